// What the page says the runbook means: the first move and, set apart next to it, the never-do
// warning (`Never:`); how fast a person is expected to start (the policy's `respond_within`, else
// the severity table). In the webhook message, the app mode's parent and replies, the escalation
// reply, and the `text` fallback.
import fc from 'fast-check';
import { RESPONSE_TARGETS, Severity } from '../../lib/core/severity';
import { escalationText, escalationsOf, splitEscalation } from '../../lib/notification/escalation';
import { IncidentView, renderEscalationReply, renderIncidentParent, renderIncidentReply } from '../../lib/notification/incident-message';
import { SlackMessage, renderSlackMessage } from '../../lib/notification/slack-message';
import { AlarmNotification, notificationsFromEvent } from '../../lib/notification/sns-message';
import { CONTRACT, alarmMessage, expectSafeAndWithinLimits, snsEvent, textsOf } from '../support/slack';

const NEVER = '"delete all" events to resolve the stagnation';
const WITH_NEVER = CONTRACT.replace('\nOwner:', `\nNever: ${NEVER}\nOwner:`);
const note = (over: Record<string, unknown> = {}): AlarmNotification => notificationsFromEvent(snsEvent(alarmMessage({ AlarmDescription: WITH_NEVER, ...over })))[0];
const texts = (m: SlackMessage) => textsOf(m).map((t) => t.text.text);
const all = (m: SlackMessage) => [m.text, ...texts(m)].join('\n');
const view = (over: Partial<IncidentView> = {}): IncidentView => ({ state: 'ALARM', stateAt: Date.parse('2026-11-23T02:14:00Z'), firedAt: Date.parse('2026-11-23T02:14:00Z'), reopened: 0, ...over });

describe('the never-do warning', () => {
  test('is set apart next to the first move, between the same dividers', () => {
    const m = renderSlackMessage(note());
    const types = m.blocks.map((b) => b.type);
    const first = m.blocks.findIndex((b) => b.text?.text.startsWith(':point_right: *First move*'));
    expect(types.slice(first - 1, first + 3)).toEqual(['divider', 'section', 'section', 'divider']);
    expect(m.blocks[first + 1].text!.text).toBe(':no_entry: *Never*\n>"delete all" events to resolve the stagnation');
  });

  test('the text fallback carries both: [SEV2] ALARM: <name> — <first move> · Never: <warning>', () => {
    expect(renderSlackMessage(note()).text).toBe(`[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog · Never: ${NEVER}`);
    const alone = note({ AlarmDescription: WITH_NEVER.replace(/\nFirst move: .*/, '') });
    expect(renderSlackMessage(alone).text).toBe(`[SEV2] ALARM: Payments/WebhookBacklog — Never: ${NEVER}`);
    expect(renderSlackMessage(alone).blocks.some((b) => b.text?.text.startsWith(':no_entry: *Never*'))).toBe(true);
  });

  test('is for ALARM only: a resolution does not repeat it', () => {
    const ok = renderSlackMessage(note({ NewStateValue: 'OK', OldStateValue: 'ALARM' }));
    expect(all(ok)).not.toContain('Never');
  });

  test('in the app mode: the parent, an ALARM reply and the escalation reply show it', () => {
    const n = note();
    expect(all(renderIncidentParent(n, view()))).toContain(':no_entry: *Never*\n>"delete all"');
    const reply = renderIncidentReply(n, view({ reopened: 1 }), { previousState: 'OK', late: false });
    expect(texts(reply)[0]).toContain(`\n:point_right: *First move:* Scale out the webhook consumer to drain the backlog\n:no_entry: *Never:* ${NEVER}`);
    expect(reply.text).toContain(`· Never: ${NEVER}`);
    const escalated = renderEscalationReply(n, { level: 1, levels: 1, names: ['secondary'], mentions: [], unacknowledgedMinutes: 15, paged: false });
    expect(all(escalated)).toContain(`:no_entry: *Never:* ${NEVER}`);
  });

  test('alarm text in it stays inert and within Block Kit limits, whatever it holds (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 4000 }), fc.constantFrom('<!here>', '@channel', '<https://evil.example|click>', '&lt;', ''), (text, hostile) => {
      const n = note({ AlarmDescription: `${WITH_NEVER}`.replace(`Never: ${NEVER}`, `Never: ${hostile}${text.replace(/[\r\n\u2028\u2029\v\f\u0085]/g, ' ')}`) });
      for (const m of [renderSlackMessage(n), renderIncidentParent(n, view()), renderIncidentReply(n, view({ reopened: 1 }), { previousState: 'OK', late: false })]) {
        expectSafeAndWithinLimits(m);
      }
    }), { numRuns: 200 });
  });
});

describe('the response target', () => {
  const sev = (s: Severity) => note({ AlarmDescription: WITH_NEVER.replace('Severity: SEV2', `Severity: ${s}`) });
  const respond = (m: SlackMessage) => texts(m).find((t) => t.startsWith(':stopwatch:'));

  test.each([
    [Severity.SEV1, ':stopwatch: *Respond* immediately (within 5 min)'],
    [Severity.SEV2, ':stopwatch: *Respond* within minutes (30 min at most)'],
    [Severity.SEV3, ':stopwatch: *Respond* during business hours'],
    [Severity.SEV4, ':stopwatch: *Respond* next business day'],
  ])('without a policy, %s says the severity table\'s', (s, line) => {
    expect(respond(renderSlackMessage(sev(s)))).toBe(line);
    expect(RESPONSE_TARGETS[s]).toBe(line.replace(':stopwatch: *Respond* ', ''));
  });

  test('the policy\'s respond_within leads its escalation line, and is shown as the target, the escalation under it', () => {
    const steps = { severity: Severity.SEV2, page: 'primary_oncall', escalateAfterMinutes: 15, then: 'secondary_oncall', respondWithin: 'within 10 min', respondWithinMinutes: 10 };
    const line = escalationText(steps)!;
    expect(line).toBe('respond within 10 min; pages primary_oncall; unacknowledged after 15 min → secondary_oncall');
    expect(splitEscalation(line)).toEqual({ respond: 'within 10 min', rest: 'pages primary_oncall; unacknowledged after 15 min → secondary_oncall' });
    expect(respond(renderSlackMessage(note(), { escalations: escalationsOf([steps]) })))
      .toBe(':stopwatch: *Respond* within 10 min\n:alarm_clock: *Escalation:* pages primary_oncall; unacknowledged after 15 min → secondary_oncall');
  });

  test('a policy without respond_within keeps the table\'s target above its escalation line; a line of only a target has no escalation', () => {
    expect(respond(renderSlackMessage(note(), { escalations: [{ severity: Severity.SEV2, text: 'pages primary_oncall' }] })))
      .toBe(':stopwatch: *Respond* within minutes (30 min at most)\n:alarm_clock: *Escalation:* pages primary_oncall');
    expect(splitEscalation('respond during business hours')).toEqual({ respond: 'during business hours', rest: '' });
    expect(respond(renderSlackMessage(sev(Severity.SEV3), { escalations: [{ severity: Severity.SEV3, text: 'respond during business hours' }] })))
      .toBe(':stopwatch: *Respond* during business hours');
  });

  test('on ALARM only, and never without a severity', () => {
    expect(respond(renderSlackMessage(note({ NewStateValue: 'OK' })))).toBeUndefined();
    expect(respond(renderSlackMessage(note({ AlarmDescription: 'Runbook: https://x.example/r' })))).toBeUndefined();
    expect(respond(renderIncidentParent(note(), view()))).toBe(':stopwatch: *Respond* within minutes (30 min at most)');
  });
});
