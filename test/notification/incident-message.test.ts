// The Slack app mode's parent and thread replies: what they say for each state, the durations and
// the postmortem due date, and that they are as safe and as bounded as every other message.
import fc from 'fast-check';
import { Severity } from '../../lib/core/severity';
import {
  IncidentView, formatDuration, incidentLabel, renderIncidentParent, renderIncidentReply,
} from '../../lib/notification/incident-message';
import { SLACK_LIMITS } from '../../lib/notification/slack-message';
import { AlarmNotification, notificationsFromEvent } from '../../lib/notification/sns-message';
import { CONTRACT, alarmMessage, expectSafeAndWithinLimits, snsEvent, textsOf } from '../support/slack';

const note = (over: Record<string, unknown> = {}): AlarmNotification => notificationsFromEvent(snsEvent(alarmMessage(over)))[0];
const at = (iso: string) => Date.parse(iso);
const FIRED = at('2026-11-23T02:14:00Z');
const RESOLVED = at('2026-11-23T02:37:00Z');
const header = (m: { blocks: Array<{ text?: { text: string } }> }) => m.blocks[0].text!.text;
const all = (m: Parameters<typeof textsOf>[0]) => [m.text, ...textsOf(m).map((t) => t.text.text)].join('\n');

test('durations read as people say them', () => {
  expect([45_000, 23 * 60_000, 125 * 60_000, 120 * 60_000, 28 * 3600_000, 48 * 3600_000].map(formatDuration)).toEqual(['45 s', '23 min', '2 h 5 min', '2 h', '1 d 4 h', '2 d']);
});

test('labels: ALARM, back in ALARM, RESOLVED after N min (or without a known start), INSUFFICIENT DATA', () => {
  const v = (over: Partial<IncidentView>): IncidentView => ({ state: 'ALARM', stateAt: FIRED, firedAt: FIRED, reopened: 0, ...over });
  expect(incidentLabel(v({}))).toBe('ALARM');
  expect(incidentLabel(v({ reopened: 1 }))).toBe('back in ALARM');
  expect(incidentLabel(v({ state: 'OK', resolvedAt: RESOLVED }))).toBe('RESOLVED after 23 min');
  expect(incidentLabel(v({ state: 'OK', resolvedAt: RESOLVED, firedAt: undefined }))).toBe('RESOLVED');
  expect(incidentLabel(v({ state: 'INSUFFICIENT_DATA' }))).toBe('INSUFFICIENT DATA');
});

describe('the parent', () => {
  test('an open incident is the usual ALARM message (first move, runbook button, mention) with a status line under the header', () => {
    const m = renderIncidentParent(note(), { state: 'ALARM', stateAt: FIRED, firedAt: FIRED, reopened: 0 }, {
      mentions: [{ severity: Severity.SEV2, mention: '<!subteam^S0ONCALL>' }],
    });
    expect(header(m)).toBe('🔴 SEV2 · ALARM · Payments/WebhookBacklog');
    expect(m.blocks[1].text!.text).toMatch(/^\*In ALARM\* since <!date\^\d+\^/);
    expect(all(m)).toContain('*First move*');
    expect(m.text).toBe('<!subteam^S0ONCALL> [SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
    expect(m.blocks.find((b) => b.type === 'actions')!.elements!.map((e) => e.text.text)).toEqual(['Open runbook', 'View alarm']);
    expectSafeAndWithinLimits(m, ['<!subteam^S0ONCALL>']);
  });

  test('resolved: RESOLVED after 23 min, fired and resolved times, the postmortem due 48 h later (SEV1/SEV2), configurable', () => {
    const ok = note({ NewStateValue: 'OK', OldStateValue: 'ALARM', StateChangeTime: '2026-11-23T02:37:00.000+0000' });
    const view = { state: 'OK', stateAt: RESOLVED, firedAt: FIRED, resolvedAt: RESOLVED, reopened: 0 };
    const m = renderIncidentParent(ok, view);
    expect(header(m)).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
    expect(m.text).toBe('[SEV2] RESOLVED after 23 min: Payments/WebhookBacklog — postmortem due by 2026-11-25 02:37:00 UTC');
    expect(m.blocks[1].text!.text).toContain(`fired <!date^${FIRED / 1000}^`);
    expect(m.blocks[1].text!.text).toContain('Postmortem due 48 h after the resolution.');
    expect(all(m)).toContain(`:memo: *Postmortem due by <!date^${(RESOLVED + 48 * 3600_000) / 1000}^`);
    expect(all(m)).not.toContain('*First move*');
    expect(renderIncidentParent(ok, view, { postmortemDueHours: 24 }).text).toMatch(/postmortem due by 2026-11-24 02:37:00 UTC$/);
    // No postmortem for a SEV3.
    const sev3 = note({ NewStateValue: 'OK', AlarmDescription: CONTRACT.replace('SEV2', 'SEV3') });
    expect(all(renderIncidentParent(sev3, view))).not.toMatch(/[Pp]ostmortem due/);
    expectSafeAndWithinLimits(m);
  });

  test('back in ALARM and INSUFFICIENT DATA say so in the header and the status line', () => {
    const back = renderIncidentParent(note(), { state: 'ALARM', stateAt: at('2026-11-23T02:50:00Z'), firedAt: FIRED, reopened: 1 });
    expect(header(back)).toBe('🔴 SEV2 · back in ALARM · Payments/WebhookBacklog');
    expect(back.blocks[1].text!.text).toMatch(/^\*Back in ALARM\* since .*; first fired /);
    const nodata = renderIncidentParent(note({ NewStateValue: 'INSUFFICIENT_DATA' }), { state: 'INSUFFICIENT_DATA', stateAt: RESOLVED, firedAt: FIRED, reopened: 0 });
    expect(header(nodata)).toBe('⚪ SEV2 · INSUFFICIENT DATA · Payments/WebhookBacklog');
    expect(nodata.blocks[1].text!.text).toMatch(/Not a recovery/);
  });
});

describe('thread replies', () => {
  test('still in ALARM / back in ALARM carry the first move and the mention; RESOLVED the postmortem due date', () => {
    const view = { state: 'ALARM', stateAt: FIRED, firedAt: FIRED, reopened: 0 };
    const mentions = [{ severity: Severity.SEV2, mention: '<!subteam^S0ONCALL>' }];
    const still = renderIncidentReply(note({ StateChangeTime: '2026-11-23T02:20:00.000+0000' }), view, { previousState: 'ALARM', late: false }, { mentions });
    expect(still.text).toBe('<!subteam^S0ONCALL> [SEV2] still in ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
    expect(all(still)).toContain(':point_right: *First move:* Scale out');
    expectSafeAndWithinLimits(still, ['<!subteam^S0ONCALL>']);
    expect(renderIncidentReply(note(), view, { previousState: 'OK', late: false }).text).toMatch(/^\[SEV2\] back in ALARM: /);
    const ok = note({ NewStateValue: 'OK', StateChangeTime: '2026-11-23T02:37:00.000+0000' });
    const resolved = renderIncidentReply(ok, { ...view, state: 'OK', stateAt: RESOLVED, resolvedAt: RESOLVED }, { previousState: 'ALARM', late: false }, { mentions });
    expect(resolved.text).toBe('[SEV2] RESOLVED after 23 min: Payments/WebhookBacklog — postmortem due by 2026-11-25 02:37:00 UTC');
    expect(all(resolved)).not.toContain('S0ONCALL'); // nobody is woken for a recovery
  });

  test('a late reply says so and neither mentions anyone nor asks for a postmortem', () => {
    const view = { state: 'OK', stateAt: RESOLVED, firedAt: FIRED, resolvedAt: RESOLVED, reopened: 0 };
    const late = renderIncidentReply(note(), view, { previousState: 'OK', late: true }, { mentions: [{ severity: Severity.SEV2, mention: '<!here>' }] });
    expect(late.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog (delivered late)');
    expect(all(late)).toMatch(/\*Delivered late\*: this ALARM is older than the state shown above \(RESOLVED after 23 min since /);
    expect(all(late)).not.toContain('<!here>');
    expect(all(late)).not.toMatch(/[Pp]ostmortem/);
  });
});

test('whatever the alarm says, parent and replies stay within Block Kit limits with no live mention or link from alarm text', () => {
  const hostile = fc.oneof(fc.string({ maxLength: 3000 }), fc.constantFrom('<!here>', '@channel', '<@U123>', '<https://evil|bank>', '&<>', '👍'.repeat(900), '\u202e', 'x'.repeat(5000)));
  // Prototype names too: a lookup table read through Object.prototype would show a function's source.
  const states = fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA', 'WEIRD', 'constructor', 'toString', '__proto__', 'valueOf');
  fc.assert(fc.property(hostile, hostile, hostile, states, fc.boolean(), fc.integer({ min: 0, max: 3 }), (name, reason, firstMove, state, late, reopened) => {
    const n = note({
      AlarmName: name || 'x', NewStateValue: state, NewStateReason: reason,
      AlarmDescription: `${reason.slice(0, 200)}\n\nSeverity: SEV1\nRunbook: https://example.com/rb\nFirst move: ${firstMove.replace(/\n/g, ' ').slice(0, 400) || 'x'}`,
    });
    const view = { state, stateAt: RESOLVED, firedAt: FIRED, resolvedAt: state === 'OK' ? RESOLVED : undefined, reopened };
    for (const m of [renderIncidentParent(n, view), renderIncidentReply(n, view, { previousState: 'ALARM', late }, {})]) {
      expectSafeAndWithinLimits(m);
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(all(m)).not.toMatch(/\[native code\]|\[object Object\]/);
    }
  }), { numRuns: 150 });
});

describe('acknowledgement and escalation on the parent and in the thread', () => {
  const SEV1 = CONTRACT.replace('SEV2', 'SEV1');
  const view = (over: Partial<IncidentView> = {}): IncidentView => ({ state: 'ALARM', stateAt: FIRED, firedAt: FIRED, reopened: 0, ...over });
  const buttons = (m: { blocks: any[] }) => m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

  test('a page waiting for someone has an Acknowledge button first (an action with a value, no URL); without one configured, nothing changes', () => {
    const n = note({ AlarmDescription: SEV1 });
    const parent = renderIncidentParent(n, view({ acknowledgeValue: '{"i":"inc-1","a":"arn:x"}', escalationLevels: ['secondary'] }));
    expect(buttons(parent)[0]).toEqual({ type: 'button', text: { type: 'plain_text', text: 'Acknowledge', emoji: true }, action_id: 'acknowledge', value: '{"i":"inc-1","a":"arn:x"}' });
    expect(buttons(parent).map((b: any) => b.action_id)).toEqual(['acknowledge', 'open-runbook', 'view-alarm']);
    expectSafeAndWithinLimits(parent);
    expect(buttons(renderIncidentParent(n, view())).map((b: any) => b.action_id)).toEqual(['open-runbook', 'view-alarm']);
    // Resolved, or acknowledged: no button.
    expect(buttons(renderIncidentParent(n, view({ acknowledgeValue: 'v', state: 'OK', resolvedAt: RESOLVED })))[0].action_id).not.toBe('acknowledge');
    expect(buttons(renderIncidentParent(n, view({ acknowledgeValue: 'v', acknowledgedAt: FIRED + 120_000, acknowledgedBy: 'U0ALICE' })))[0].action_id).not.toBe('acknowledge');
  });

  test('acknowledged: `Acknowledged by @user after 2 min`, the one mention a message of ours makes of a user by itself', () => {
    const parent = renderIncidentParent(note({ AlarmDescription: SEV1 }), view({ acknowledgedAt: FIRED + 120_000, acknowledgedBy: 'U0ALICE', escalatedLevel: 1, escalatedAt: FIRED + 300_000, escalationLevels: ['secondary_oncall', 'lead'] }));
    expect(all(parent)).toContain(':raised_hand: *Acknowledged* by <@U0ALICE> after 2 min');
    expect(all(parent)).toContain(':arrow_double_up: *Escalated* to secondary_oncall');
    expectSafeAndWithinLimits(parent, ['<@U0ALICE>']);
    // A user id that is not one (from a hostile or broken record) is never written as a mention.
    const odd = renderIncidentParent(note({ AlarmDescription: SEV1 }), view({ acknowledgedAt: FIRED + 60_000, acknowledgedBy: '!channel' }));
    expect(all(odd)).toContain('*Acknowledged* by someone after 1 min');
    expectSafeAndWithinLimits(odd);
  });

  test('the escalation reply mentions the level\'s contacts and says what comes next; alarm text stays inert', async () => {
    const { renderEscalationReply, renderAcknowledgementReply } = await import('../../lib/notification/incident-message');
    const n = note({ AlarmDescription: SEV1, AlarmName: 'db <!channel> @here' });
    const reply = renderEscalationReply(n, { level: 1, levels: 2, names: ['secondary_oncall'], mentions: ['<@U0SECOND>'], unacknowledgedMinutes: 5, paged: true, next: { name: 'lead', inMinutes: 5 } });
    expect(reply.text).toMatch(/^<@U0SECOND> \[SEV1\] Escalated \(not acknowledged after 5 min\): db/);
    expect(all(reply)).toContain('Level 1 of 2. Next: lead in 5 min unless acknowledged.');
    expectSafeAndWithinLimits(reply, ['<@U0SECOND>']);
    const ack = renderAcknowledgementReply(n, view({ acknowledgedAt: FIRED + 90_000, acknowledgedBy: 'U0ALICE' }), true);
    expect(ack.text).toMatch(/^\[SEV1\] Acknowledged by <@U0ALICE> after 2 min: db/);
    expectSafeAndWithinLimits(ack, ['<@U0ALICE>']);
  });
});
