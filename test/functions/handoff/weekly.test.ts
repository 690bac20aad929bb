// The weekly on-call report, for a team whose policy pages no rotation: the handoff function as the
// weekly schedule invokes it, over incidents the real notifier opened in the in-memory store, posting
// to the Web API stand-in on 127.0.0.1. What is asserted is what the channel shows: once a week, the
// 7 days' numbers and every incident still open, within Block Kit's limits.
import { createHandoffHandler, weeklySchedule } from '../../../lib/functions/handoff/index';
import { encodeConfig } from '../../../lib/functions/shared/config';
import { MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { LogEntry } from '../../../lib/functions/shared/runtime';
import { blockKitProblems } from '../../../lib/notification/block-kit';
import { FAST, TOKEN, allText, context, event, header, invoke, notifierContainer } from '../../support/app-notifier';
import { CONTRACT } from '../../support/slack';
import { SlackWebApiStandIn, StoredMessage, startSlackWebApi } from '../../support/slack-web-api-stand-in';

let slack: SlackWebApiStandIn;
beforeAll(async () => {
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }] });
});
afterAll(() => slack.close());

const at = (iso: string) => Date.parse(iso);
let store: MemoryIncidentStore;
let now: number;
let logs: LogEntry[];
beforeEach(() => {
  slack.reset();
  store = new MemoryIncidentStore();
  logs = [];
});

/** The handoff function as the construct configures it in Slack app mode (no contact plan: no rotation). */
const handoff = () => createHandoffHandler({
  env: encodeConfig({ botTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot', channel: 'C0ALERTS', incidentTable: 'incidents', apiUrl: slack.url, service: 'payments' }),
  secrets: { getSecretString: async () => JSON.stringify({ botToken: TOKEN }) },
  store, delivery: FAST, log: (e) => logs.push(e), now: () => now,
});
const WEEKLY = { source: 'cdk-runbook-alarms', kind: 'weekly', at: 'Mon 09:00', timeZone: 'UTC' } as const;

/** An alarm of the backlog's contract (SEV2: a page) under another name, going to `state` at `time`, through the real notifier. */
async function alarm(name: string, state: 'ALARM' | 'OK', time: string) {
  now = at(time) + 3000;
  const c = notifierContainer(slack, {}, { store, now: () => now });
  const arn = `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;
  const out = await invoke(c, event(state, time.replace('Z', '+0000'), { message: { AlarmName: name, AlarmArn: arn, AlarmDescription: CONTRACT } }));
  expect(out.error).toBeUndefined();
}

/** The week of Monday 23 to Monday 30 November 2026 (UTC): a page at night, resolved; a page still open; one open since two weeks before. */
async function aWeek() {
  await alarm('Payments/Ledger', 'ALARM', '2026-11-10T12:00:00.000Z');
  await alarm('Payments/WebhookBacklog', 'ALARM', '2026-11-24T03:00:00.000Z');
  await alarm('Payments/WebhookBacklog', 'OK', '2026-11-24T03:20:00.000Z');
  await alarm('Payments/DbConnections', 'ALARM', '2026-11-27T14:00:00.000Z');
  // The week after the report's: not in its numbers.
  await alarm('Payments/Refunds', 'ALARM', '2026-11-30T09:00:00.000Z');
  await alarm('Payments/Refunds', 'OK', '2026-11-30T09:01:00.000Z');
  slack.reset();
}

const report = (): StoredMessage => {
  const parents = slack.parents('C0ALERTS');
  expect(parents).toHaveLength(1);
  return parents[0];
};

test('once a week, on time: the 7 days\' numbers and every incident still open, within Block Kit\'s limits; a retry or a second fire posts nothing more', async () => {
  await aWeek();
  const h = handoff();
  now = at('2026-11-30T09:00:04Z');
  expect(await h(WEEKLY, context())).toEqual({ kind: 'reported', from: at('2026-11-23T09:00:00Z'), at: at('2026-11-30T09:00:00Z'), pages: 2, unresolved: 2 });
  const posted = report();
  expect(posted.text).toBe('Weekly on-call report · payments: 2 pages, 0 shifts over the limit, 2 still open, 1 postmortem overdue');
  expect(header(posted)).toBe('Weekly on-call report · payments: 2026-11-23 09:00 to 2026-11-30 09:00 (UTC)');
  const blocks = allText(posted);
  // Without a rotation the week is cut at 08:00 and 20:00: 13 twelve-hour shifts, and Monday's 09:00–20:00 and 08:00–09:00 at either end.
  expect(blocks).toMatch(/\*Pages\*\\n2 in 15 12-hour shifts \(limit 2 per 12 h\)/);
  expect(blocks).toContain('1 page in sleep hours');
  // Open: the week's page and the one from two weeks before (not in the numbers); the resolved one is not.
  expect(blocks).toMatch(/\*Still open \(2\)\*\\n• SEV2 Payments\/Ledger, fired 2026-11-10 12:00, \*not acknowledged\*\\n• SEV2 Payments\/DbConnections, fired 2026-11-27 14:00/);
  // Follow-up: the resolved SEV2's postmortem was due two business days after (Thursday 26 November).
  expect(blocks).toMatch(/Follow-up overdue: 1 postmortem\*\\n• Payments\/WebhookBacklog \(SEV2\), fired 2026-11-24 03:00, due 2026-11-26/);
  expect(blocks).not.toContain('Payments/Refunds');
  expect(blockKitProblems({ text: posted.text, blocks: posted.blocks as never })).toEqual([]);
  expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  expect(logs).toContainEqual(expect.objectContaining({ msg: 'weekly report posted', from: '2026-11-23T09:00:00.000Z', to: '2026-11-30T09:00:00.000Z', pages: 2, unresolved: 2 }));

  // Lambda's retry, or the schedule's, in the same week: nothing more.
  now = at('2026-11-30T09:03:00Z');
  expect(await h(WEEKLY, context())).toEqual({ kind: 'skipped', why: 'this week\'s report was posted before' });
  // A record re-driven from the failure queue carries the schedule's event: the same week, nothing more.
  expect(await handoff()({ requestPayload: WEEKLY }, context())).toEqual({ kind: 'skipped', why: 'this week\'s report was posted before' });
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  // The next Monday is the next week's report.
  now = at('2026-12-07T09:00:02Z');
  expect(await h(WEEKLY, context())).toMatchObject({ kind: 'reported', from: at('2026-11-30T09:00:00Z'), at: at('2026-12-07T09:00:00Z'), pages: 1, unresolved: 2 });
  expect(slack.parents('C0ALERTS')).toHaveLength(2);
});

test('a late or early fire keeps to its own week; a fire far from the report\'s time posts nothing', async () => {
  await aWeek();
  const h = handoff();
  // 25 minutes late: still the week that ended at 09:00.
  now = at('2026-11-30T09:25:00Z');
  expect(await h(WEEKLY, context())).toMatchObject({ kind: 'reported', from: at('2026-11-23T09:00:00Z'), at: at('2026-11-30T09:00:00Z') });
  // 50 minutes early, a week later: that week's report (the period still ends at the report's time).
  now = at('2026-12-07T08:10:00Z');
  expect(await h(WEEKLY, context())).toMatchObject({ kind: 'reported', from: at('2026-11-30T09:00:00Z'), at: at('2026-12-07T09:00:00Z') });
  // …and the fire on time after it is the same week's.
  now = at('2026-12-07T09:00:01Z');
  expect(await h(WEEKLY, context())).toEqual({ kind: 'skipped', why: 'this week\'s report was posted before' });
  // An hour late, or a Tuesday: no report of any week.
  for (const when of ['2026-12-14T10:00:00Z', '2026-12-15T09:00:00Z', '2026-12-14T07:30:00Z']) {
    now = at(when);
    expect(await h(WEEKLY, context())).toEqual({ kind: 'skipped', why: 'no weekly report now' });
  }
  expect(slack.parents('C0ALERTS')).toHaveLength(2);
});

test('in the team\'s time zone: the week across a daylight-saving change is 167 hours, Monday 10:00 to Monday 10:00 on Berlin\'s clock', async () => {
  const h = handoff();
  const berlin = { ...WEEKLY, at: 'Mon 10:00', timeZone: 'Europe/Berlin' };
  // Monday 30 March 2026, 10:00 CEST (08:00Z): the clocks went forward on Sunday 29 March.
  now = at('2026-03-30T08:00:05Z');
  expect(await h(berlin, context())).toMatchObject({ kind: 'reported', from: at('2026-03-23T09:00:00Z'), at: at('2026-03-30T08:00:00Z'), pages: 0, unresolved: 0 });
  expect(header(report())).toBe('Weekly on-call report · payments: 2026-03-23 10:00 to 2026-03-30 10:00 (Europe/Berlin)');
  // The weekday and time as the schedule's input says them, `Fri 16:30` too.
  expect(weeklySchedule({ ...berlin, at: 'Fri 16:30' })).toMatchObject({ firstDay: 1, minutes: 16 * 60 + 30, days: 7, zone: 'Europe/Berlin' });
});

test('many incidents open: the report names a few and counts the rest, within Block Kit\'s limits', async () => {
  for (let i = 0; i < 30; i++) await alarm(`Payments/Shard-${String(i).padStart(2, '0')}-${'x'.repeat(200)}`, 'ALARM', `2026-11-2${5 + (i % 3)}T1${i % 10}:00:00.000Z`);
  now = at('2026-11-30T09:00:00Z');
  slack.reset();
  expect(await handoff()(WEEKLY, context())).toMatchObject({ kind: 'reported', pages: 30, unresolved: 30 });
  const posted = report();
  expect(allText(posted)).toContain('…and 25 more (`runbook-alarms report`)');
  expect(allText(posted)).toMatch(/:warning: \d+ shifts? over the limit of 2/);
  expect(blockKitProblems({ text: posted.text, blocks: posted.blocks as never })).toEqual([]);
});

test('a schedule input that says no time is an error that says to redeploy; Slack refusing is retried by Lambda, and nothing is claimed', async () => {
  now = at('2026-11-30T09:00:00Z');
  await expect(handoff()({ ...WEEKLY, at: 'Monday morning' }, context())).rejects.toThrow('the weekly report\'s schedule says "Monday morning" in "UTC", not a weekday and a time in an IANA time zone: redeploy the SlackNotifier');
  await expect(handoff()({ ...WEEKLY, timeZone: 'Mars/Olympus' }, context())).rejects.toThrow(/redeploy the SlackNotifier/);
  slack.script('chat.postMessage', [{ body: { ok: false, error: 'channel_not_found' } }]);
  await expect(handoff()(WEEKLY, context())).rejects.toThrow(/^the weekly report of 2026-11-30T09:00:00.000Z not posted: .*channel_not_found/);
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
  // The retry posts it.
  expect(await handoff()(WEEKLY, context())).toMatchObject({ kind: 'reported' });
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
});
