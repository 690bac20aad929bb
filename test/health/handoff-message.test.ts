// The handoff report in Slack: the shift's numbers, what is open, the noisy alarms with runbook
// buttons and the overdue follow-up; within Block Kit's limits however much there is, and posted
// through the functions' Web API client to the Slack stand-in on 127.0.0.1.
import fc from 'fast-check';
import { DEFAULT_DELIVERY } from '../../lib/functions/shared/delivery';
import { SlackWebApi } from '../../lib/functions/shared/slack-api';
import { computeHealth } from '../../lib/health/health';
import { handoffBlocks, handoffProblems, renderHandoffReport } from '../../lib/health/handoff-message';
import { PERIOD, SHIFTS, TZ, healthFixture } from '../support/health-fixture';
import { startSlackWebApi } from '../support/slack-web-api-stand-in';

const alice = { from: SHIFTS[0].from, to: SHIFTS[0].to };
const shiftReport = () => computeHealth(healthFixture(), { ...alice, shifts: [SHIFTS[0]], timeZone: TZ, now: alice.to });
const texts = (m: { blocks: any[] }) => m.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: any) => f.text), ...(b.elements ?? []).map((e: any) => e.text.text)]).filter(Boolean).join('\n');

test('a shift\'s handoff: its pages against the limit, sleep hours, MTTA against the targets, escalations', () => {
  const options = { from: '<@U0ALICE>', to: '<@U0BOB>' };
  const m = renderHandoffReport(shiftReport(), options);
  expect(handoffProblems(m, options)).toEqual([]);
  expect(m.text).toBe('On-call handoff: 3 pages, 1 shift over the limit, 0 still open, 0 postmortems overdue');
  expect(m.blocks[0].text!.text).toBe('On-call handoff: 2026-03-28 08:00 to 2026-03-29 08:00 (Europe/Berlin)');
  const all = texts(m);
  expect(all).toContain('<@U0ALICE> hands over to <@U0BOB>.');
  expect(all).toContain('*Pages*\n3 in 2 12-hour shifts :warning: 1 shift over the limit of 2');
  expect(all).toContain('*Sleep and off hours*\n3 pages in sleep hours, 3 off hours');
  expect(all).toContain('*Time to acknowledge (median)*\nSEV1 2 min (target within 5 min; 1 missed), SEV2 4 min (target within 30 min; 0 missed)');
  expect(all).toContain('*Escalated*\n1 of 3 pages (level 1: 1)');
});

test('the whole period: what is open, the noisy alarms with their runbooks, the overdue postmortems', () => {
  const m = renderHandoffReport(computeHealth(healthFixture(), { ...PERIOD, shifts: SHIFTS, timeZone: TZ }), { title: 'Weekly on-call report' });
  expect(handoffProblems(m, {})).toEqual([]);
  const all = texts(m);
  expect(all).toContain('*Still open (1)*\n• SEV2 Payments/Latency, fired 2026-03-30 21:00, acknowledged');
  expect(all).toContain('• Payments/Flappy (SEV2): 1 incident, 1 flap, 2 re-alerts, 1 never acknowledged');
  // Deadlock's postmortem of an incident before the period is still owed: a report shows it too.
  expect(all).toContain('*Follow-up overdue: 2 postmortems*\n• Payments/Deadlock (SEV2), fired 2026-03-26 13:00, due 2026-03-30 15:00\n• Payments/Flappy (SEV2), fired 2026-03-29 14:00, due 2026-03-30 14:00, Draft');
  const actions = m.blocks.find((b) => b.type === 'actions')!;
  expect(actions.elements!.map((e) => [e.text.text, e.url])).toEqual([
    ['Runbook: Payments/Flappy', 'https://github.com/acme/ops/blob/main/runbooks/flappy.md'],
    ['Runbook: Payments/Db', 'https://github.com/acme/ops/blob/main/runbooks/db.md'],
    ['Runbook: Payments/Deadlock', 'https://github.com/acme/ops/blob/main/runbooks/deadlock.md'],
  ]);
});

test('property: within Block Kit\'s limits and safe, whatever the alarms are called and however many there are', () => {
  const name = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('<!channel> & <@U123>', '@here now', 'a'.repeat(5000), '*_~`>'));
  fc.assert(fc.property(fc.array(fc.record({ name, severity: fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'x'), open: fc.boolean(), hours: fc.integer({ min: 0, max: 160 }) }), { maxLength: 80 }), (alarms) => {
    const facts = alarms.map((a, i) => ({
      incidentId: `i${i}`, alarmName: a.name, severity: a.severity, firedAt: PERIOD.from + a.hours * 1_800_000,
      ...(a.open ? {} : { mttrSeconds: 60, resolvedAt: PERIOD.from + a.hours * 1_800_000 + 60_000 }),
      notification: JSON.stringify({ alarmDescription: `x\n\nSeverity: SEV2\nRunbook: https://example.com/${encodeURIComponent(a.name)}` }),
    }));
    const m = renderHandoffReport(computeHealth(facts, { ...PERIOD, timeZone: TZ }), { from: a0(alarms), to: '<@U0BOB>' });
    expect(handoffProblems(m, { from: a0(alarms), to: '<@U0BOB>' })).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(8);
  }), { numRuns: 150 });
});
const a0 = (alarms: { name: string }[]) => alarms[0]?.name ?? 'someone';

test('the hook: the numbers\' blocks a handoff message appends, and the message posts to Slack', async () => {
  // Alice's shift: the numbers, and the alarm that re-alerted in it with its runbook.
  expect(handoffBlocks(shiftReport()).map((b) => b.type)).toEqual(['section', 'section', 'actions']);
  const slack = await startSlackWebApi({ channels: [{ id: 'C0TEAM', name: 'team' }] });
  try {
    const api = new SlackWebApi({ fetch: (url, init) => fetch(url, init), token: async () => 'xoxb-test-token', delivery: DEFAULT_DELIVERY, apiUrl: slack.url });
    const m = renderHandoffReport(computeHealth(healthFixture(), { ...PERIOD, shifts: SHIFTS, timeZone: TZ }), { to: '<@U0BOB>' });
    const sent = await api.postMessage('C0TEAM', m, Date.now() + 10_000);
    const [posted] = slack.parents('C0TEAM');
    expect(posted.ts).toBe(sent.ts);
    expect(posted.text).toBe(m.text);
    expect(posted.blocks).toEqual(m.blocks);
  } finally {
    await slack.close();
  }
});
