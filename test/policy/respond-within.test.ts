// `respond_within` in an escalation policy's severity_routing: how fast a person is expected to
// start, shown on every page of that severity (the severity table's target without it).
import { EscalationPolicyError, parseEscalationPolicy } from '../../lib/policy/policy';
import { escalationsOf } from '../../lib/notification/escalation';
import { Severity } from '../../lib/core/severity';

const BASIC = `severity_routing:
  SEV1:
    page: primary
    respond_within: 5m
    escalate_after: 5m
    then: secondary
  SEV2:
    page: primary
    respond_within: 30 min
  SEV3:
    notify: "#alerts"
    respond_within: business hours
  SEV4:
    ticket: OPS
    respond_within: Next business day
contacts:
  primary: "<@U0PRIMARY>"
  secondary: "<@U0SECOND>"
`;

test('a duration, "business hours" or "next business day"; read into the text the page shows and minutes', () => {
  const routing = parseEscalationPolicy(BASIC, 'p.yaml').routing;
  expect(routing.map((r) => [r.severity, r.respondWithin, r.respondWithinMinutes])).toEqual([
    [Severity.SEV1, 'within 5 min', 5],
    [Severity.SEV2, 'within 30 min', 30],
    [Severity.SEV3, 'during business hours', undefined],
    [Severity.SEV4, 'next business day', undefined],
  ]);
});

test('it leads the escalation line the SlackNotifier and `preview --policy` give the message', () => {
  expect(escalationsOf(parseEscalationPolicy(BASIC, 'p.yaml').routing)).toEqual([
    { severity: Severity.SEV1, text: 'respond within 5 min; pages primary; unacknowledged after 5 min → secondary' },
    { severity: Severity.SEV2, text: 'respond within 30 min; pages primary' },
    { severity: Severity.SEV3, text: 'respond during business hours; notify #alerts' },
    { severity: Severity.SEV4, text: 'respond next business day; ticket in OPS' },
  ]);
});

test('optional: without it, nothing is added (the page shows the severity table\'s target)', () => {
  const routing = parseEscalationPolicy(BASIC.replace(/\n\s+respond_within:.*/g, ''), 'p.yaml').routing;
  expect(routing.every((r) => r.respondWithin === undefined && r.respondWithinMinutes === undefined)).toBe(true);
  expect(escalationsOf(routing)[1]).toEqual({ severity: Severity.SEV2, text: 'pages primary' });
});

test('a value that is no response target is an error at its line and column, saying what to write', () => {
  const bad = BASIC.replace('respond_within: 30 min', 'respond_within: asap').replace('respond_within: business hours', 'respond_within: [1, 2]');
  let error: EscalationPolicyError | undefined;
  try {
    parseEscalationPolicy(bad, 'p.yaml');
  } catch (e) {
    error = e as EscalationPolicyError;
  }
  expect(error?.message.split('\n')).toEqual([
    'p.yaml:9:21 SEV2.respond_within must be a response target: a duration (5m, 30m, 4h), "business hours" or "next business day" (it is "asap")',
    'p.yaml:12:21 SEV3.respond_within must be a response target: a duration (5m, 30m, 4h), "business hours" or "next business day" (it is a list)',
  ]);
  expect(() => parseEscalationPolicy(BASIC.replace('respond_within: 5m', 'respond_withn: 5m'), 'p.yaml')).toThrow(/unknown key "respond_withn" under SEV1; did you mean "respond_within"\?/);
});
