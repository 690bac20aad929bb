import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AlertRouting, EscalationPolicyError, Route, Severity } from '../lib';
import { parseEscalationPolicy } from '../lib/escalation/policy';
import { FOUNDATION_FIXTURES, newStack } from './helpers';
import { POLICY_YAML } from './handler/escalation-setup';

describe('AlertRouting.fromFile', () => {
  test('reads the escalation policy: routes, escalation and channels', () => {
    const routing = AlertRouting.fromFile(newStack(), 'Routing', path.join(FOUNDATION_FIXTURES, 'escalation-policy.yaml'));
    expect(routing.routeFor(Severity.SEV1)).toBe(Route.PAGE);
    expect(routing.routeFor(Severity.SEV3)).toBe(Route.PAGE); // this team pages on SEV3
    expect(routing.routeFor(Severity.SEV4)).toBe(Route.TICKET);
    expect(routing.routingFor(Severity.SEV1)).toMatchObject({ page: 'payments-primary', escalateAfterMinutes: 5, then: 'payments-secondary', notify: ['#incidents'] });
    expect(routing.routingFor(Severity.SEV2).escalateAfterMinutes).toBe(15);
  });

  test('without a file, SPEC §4 routing applies', () => {
    const routing = new AlertRouting(newStack(), 'R');
    expect([Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4].map((s) => routing.routeFor(s))).toEqual([Route.PAGE, Route.PAGE, Route.NOTIFY, Route.TICKET]);
  });

  test('a missing file is an I/O error naming the path', () => {
    expect(() => AlertRouting.fromFile(newStack(), 'R', '/nonexistent/escalation.yaml')).toThrow(/ENOENT.*escalation\.yaml/);
  });
});

describe('escalation policy errors carry file:line:col', () => {
  const base = `severity_routing:
  SEV1:
    page: primary
  SEV2:
    page: primary
  SEV3:
    notify: "#alerts"
  SEV4:
    ticket: OPS
`;
  const cases: Array<[string, string, RegExp]> = [
    ['invalid YAML', 'severity_routing:\n  SEV1: [page\n', /^policy\.yaml:\d+:\d+ invalid YAML/],
    ['unknown severity', base.replace('SEV4:', 'SEV5:'), /^policy\.yaml:1:1 severity_routing has no SEV4; every severity needs a route\npolicy\.yaml:8:3 "SEV5" is not a severity; use SEV1, SEV2, SEV3 or SEV4$/],
    ['misspelt field', base.replace('    page: primary\n  SEV2', '    page: primary\n    escalate_afer: 5m\n  SEV2'), /^policy\.yaml:4:5 unknown field "escalate_afer" under SEV1; did you mean "escalate_after"\?/],
    ['bad duration', base.replace('    page: primary\n  SEV2', '    page: primary\n    escalate_after: soon\n  SEV2'), /^policy\.yaml:4:21 SEV1\.escalate_after "soon" is not a duration; write 5m, 15m or 1h$/],
    ['then without escalate_after', base.replace('    page: primary\n  SEV2', '    page: primary\n    then: boss\n  SEV2'), /^policy\.yaml:4:11 SEV1\.then needs escalate_after/],
    ['a SEV1 that does not page', base.replace('    page: primary\n  SEV2', '    notify: "#x"\n  SEV2'), /^policy\.yaml:2:3 SEV1 must page/],
    ['a severity routed nowhere', base.replace('    ticket: OPS\n', '    ticket: false\n'), /^policy\.yaml:8:3 SEV4 routes nowhere; give it page, notify or ticket$/],
    ['a missing severity', base.replace('  SEV4:\n    ticket: OPS\n', ''), /^policy\.yaml:1:1 severity_routing has no SEV4/],
    ['no severity_routing key', 'routing: {}\n', /^policy\.yaml:1:1 unknown key "routing" \(keys: severity_routing, contacts\)\npolicy\.yaml:1:1 missing `severity_routing:`/],
    ['a misspelt top-level key', base.replace('severity_routing:', 'severity_routng:'), /^policy\.yaml:1:1 unknown key "severity_routng"; did you mean "severity_routing"\? \(keys: severity_routing, contacts\)$/],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    let error: unknown;
    try {
      parseEscalationPolicy(text, 'policy.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EscalationPolicyError);
    expect((error as Error).message).toMatch(message);
  });

  test('every problem of a file is reported at once, in file order', () => {
    const text = base
      .replace('    page: primary\n  SEV2', '    pager: primary\n  SEV2')
      .replace('    notify: "#alerts"', '    notify: "#alerts"\n    escalate_after: soon')
      .replace('  SEV4:\n    ticket: OPS\n', '  SEV4:\n    ticket: OPS\nextra: 1\n');
    let error: EscalationPolicyError | undefined;
    try {
      parseEscalationPolicy(text, 'policy.yaml');
    } catch (e) {
      error = e as EscalationPolicyError;
    }
    expect(error).toBeInstanceOf(EscalationPolicyError);
    expect(error!.message.split('\n')).toEqual([
      'policy.yaml:3:5 unknown field "pager" under SEV1; did you mean "page"? (fields: page, escalate_after, then, notify, ticket, respond_within)',
      'policy.yaml:8:21 SEV3.escalate_after "soon" is not a duration; write 5m, 15m or 1h',
      'policy.yaml:11:1 unknown key "extra" (keys: severity_routing, contacts)',
    ]);
    expect(error!.problems).toHaveLength(3);
    expect([error!.line, error!.column]).toEqual([3, 5]);
  });

  test('fromFile reports the error with the real file name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-'));
    const file = path.join(dir, 'escalation-policy.yaml');
    fs.writeFileSync(file, 'severity_routing:\n  SEV1:\n    pager: x\n');
    expect(() => AlertRouting.fromFile(newStack(), 'R', file)).toThrow(`${file}:3:5 unknown field "pager" under SEV1; did you mean "page"?`);
  });
});

describe('contacts and escalation levels', () => {
  // The escalation tests' policy (test/handler/escalation-setup.ts): line 1 is a comment.
  const policy = POLICY_YAML;
  const problems = (text: string): string[] => {
    try {
      parseEscalationPolicy(text, 'policy.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(EscalationPolicyError);
      return (e as Error).message.split('\n');
    }
    return [];
  };

  test('contacts map names to a Slack mention and/or an SNS topic; then: [a, b] is one level each', () => {
    const parsed = parseEscalationPolicy(policy, 'policy.yaml');
    expect(parsed.contacts).toEqual([
      { name: 'primary_oncall', slackMention: '<!subteam^S0PRIMARY>' },
      { name: 'secondary_oncall', slackMention: '<@U0SECOND>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:secondary-pager' },
      { name: 'team_lead', slackMention: '<@U0LEAD>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:team-lead-sms' },
    ]);
    expect(parsed.routing[0]).toMatchObject({ page: 'primary_oncall', escalateAfterMinutes: 5, then: 'secondary_oncall', escalateTo: ['secondary_oncall', 'team_lead'] });
    expect(parsed.routing[1]).toMatchObject({ then: 'secondary_oncall', escalateTo: ['secondary_oncall'] });
  });

  test('a name paged but not defined is an error at its line and column, with the closest contact', () => {
    expect(problems(policy.replace('then: [secondary_oncall, team_lead]', 'then: [secondary_oncal, team_lead]'))).toEqual([
      'policy.yaml:15:12 SEV1.then "secondary_oncal" is not a contact; did you mean "secondary_oncall"? (contacts: primary_oncall, secondary_oncall, team_lead); define it under contacts:',
    ]);
    expect(problems(policy.replace('  SEV2:\n    page: primary_oncall', '  SEV2:\n    page: night_owl'))).toEqual([
      'policy.yaml:17:11 SEV2.page "night_owl" is not a contact (contacts: primary_oncall, secondary_oncall, team_lead); define it under contacts:',
    ]);
  });

  test('contacts are checked like the rest of the file: every problem with file:line:col', () => {
    const broken = policy
      .replace('slack: "<!subteam^S0PRIMARY>"', 'slack: "@here"')
      .replace('sns: arn:aws:sns:eu-west-1:123456789012:secondary-pager', 'sms: +15550100')
      .replace('sns: arn:aws:sns:eu-west-1:123456789012:team-lead-sms', 'sns: arn:aws:sns:eu-west-1:123456789012:lead.fifo');
    expect(problems(broken)).toEqual([
      'policy.yaml:4:12 contacts.primary_oncall.slack must be a user "<@U0123ABCD>" or a user group "<!subteam^S0123ABCD>" (quoted; @here and @channel are not contacts)',
      'policy.yaml:7:5 unknown field "sms" under contacts.secondary_oncall; did you mean "sns"? (fields: slack, sns)',
      'policy.yaml:10:10 contacts.team_lead.sns must be an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>; FIFO topics need a message group: use a standard topic',
    ]);
    expect(problems(policy.replace('  team_lead:\n    slack: "<@U0LEAD>"\n    sns: arn:aws:sns:eu-west-1:123456789012:team-lead-sms', '  team_lead: {}'))).toEqual([
      'policy.yaml:8:3 contact team_lead reaches no one; give it slack: "<@U0123ABCD>" and/or sns: <topic ARN>',
    ]);
    expect(problems(policy.replace('then: [secondary_oncall, team_lead]', 'then: [secondary_oncall, secondary_oncall]'))).toEqual([
      'policy.yaml:15:30 SEV1.then lists "secondary_oncall" twice; each entry is the next escalation level',
    ]);
    expect(problems(policy.replace('contacts:', 'contact:'))[0]).toBe('policy.yaml:2:1 unknown key "contact"; did you mean "contacts"? (keys: severity_routing, contacts)');
  });

  test('without a contacts section, page and then stay free text (as before)', () => {
    const parsed = parseEscalationPolicy(fs.readFileSync(path.join(FOUNDATION_FIXTURES, 'escalation-policy.yaml'), 'utf8'), 'p.yaml');
    expect(parsed.contacts).toBeUndefined();
    expect(parsed.routing[0]).toMatchObject({ page: 'payments-primary', then: 'payments-secondary', escalateTo: ['payments-secondary'] });
  });
});
