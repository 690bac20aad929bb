// Proven by replay: synthetic traffic through the example app's payment webhook SLO, as `cdk synth`
// wrote it (periods, evaluation and datapoint counts, metric math, missing-data treatment, composite
// rules and suppressors), evaluated by the CloudWatch model of ./cloudwatch-model.ts. The measured
// detection and reset times are the table of docs/slo.md; this test fails when they drift apart.
import * as fs from 'fs';
import * as path from 'path';
import { exampleTemplate } from '../synth-helpers';
import { MetricIdentity, MetricStore, Notification, alarmsOfTemplate, replay } from './cloudwatch-model';

const SLO = 'Payments/WebhookAvailability';
const DAY = 24 * 60;
/** Requests per minute, and the background error rate of a healthy service (0.1× the budget). */
const REQUESTS = 10_000;
const BACKGROUND = 1;
/** The scenario starts after 4 days of healthy traffic: every window (3 days the longest) is full. */
const START = 4 * DAY;
/**
 * Minutes between a minute of traffic ending and CloudWatch evaluating alarms on it (the model's
 * ingestion delay). Every time measured below includes it.
 */
const DELAY = 1;

interface Case {
  readonly name: string;
  /** Errors per minute, by minutes since START (negative: the warm-up). */
  readonly errors: (minute: number) => number;
  /** How long after START the bad traffic lasts. */
  readonly burnMinutes: number;
  /** How long after START the replay runs. */
  readonly runMinutes: number;
  /** No traffic at all (no datapoint published) during the burn. */
  readonly silent?: boolean;
}

const CASES: Case[] = [
  { name: 'total outage', errors: () => REQUESTS, burnMinutes: 30, runMinutes: 3 * DAY },
  { name: '2 % of the budget in one hour (14.4×)', errors: () => 144, burnMinutes: 60, runMinutes: 3 * DAY },
  { name: '20× for 2 hours', errors: () => 200, burnMinutes: 120, runMinutes: 3 * DAY },
  { name: '7× for 8 hours (only the 6-hour page catches it)', errors: () => 70, burnMinutes: 8 * 60, runMinutes: 3 * DAY },
  { name: 'slow burn: the budget gone in 10 days (3×)', errors: () => 30, burnMinutes: 4 * DAY, runMinutes: 4 * DAY },
  { name: 'steady burn at 1×', errors: () => 10, burnMinutes: 5 * DAY, runMinutes: 5 * DAY },
  { name: 'no traffic for 2 hours', errors: () => 0, burnMinutes: 120, runMinutes: 1 * DAY, silent: true },
];

/** The indicator's metrics, as the synthesized alarms query them. */
function indicatorMetrics(template: Record<string, any>): { bad: MetricIdentity; valid: MetricIdentity } {
  const alarm = alarmsOfTemplate(template).metric.find((a) => a.name.startsWith(`${SLO}/`))!;
  const metricOf = (id: string) => alarm.queries.find((q) => q.id === id)!.metric!;
  return { bad: metricOf('bad'), valid: metricOf('valid') };
}

interface Measured {
  readonly notifications: Notification[];
  /** Minutes from the burn's start to each alert's first ALARM notification. */
  readonly detected: Map<string, number>;
  /** Minutes from the burn's end to each alert's OK notification after it. */
  readonly reset: Map<string, number>;
}

function run(template: Record<string, any>, c: Case): Measured {
  const { bad, valid } = indicatorMetrics(template);
  const store = new MetricStore();
  for (let m = 0; m < START + c.runMinutes; m++) {
    const since = m - START;
    const burning = since >= 0 && since < c.burnMinutes;
    if (burning && c.silent) continue;
    store.add(valid, m, REQUESTS);
    const errors = burning ? c.errors(since) : BACKGROUND;
    // Error counts are not published when zero: the alarms' FILL(bad, 0) covers that.
    if (errors > 0) store.add(bad, m, errors);
  }
  const { notifications } = replay(template, store, { from: 0, to: START + c.runMinutes, ingestionDelayMinutes: DELAY });
  const ours = notifications.filter((n) => n.minute >= START && n.alarm.startsWith(`${SLO}/`));
  const detected = new Map<string, number>();
  const reset = new Map<string, number>();
  for (const n of ours) {
    const alert = n.alarm.slice(SLO.length + 1);
    if (n.state === 'ALARM' && !detected.has(alert)) detected.set(alert, n.minute - START);
    if (n.state === 'OK' && detected.has(alert) && !reset.has(alert)) reset.set(alert, n.minute - START - c.burnMinutes);
  }
  return { notifications: ours, detected, reset };
}

/** `1 min`, `24 h 1 min`. */
function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

describe('the payment webhook SLO of the example app, replayed', () => {
  let template: Record<string, any>;
  const results = new Map<string, Measured>();
  beforeAll(() => {
    template = exampleTemplate('Payments');
    for (const c of CASES) results.set(c.name, run(template, c));
  });
  const pages = (m: Measured) => m.notifications.filter((n) => n.state === 'ALARM' && (n.severity === 'SEV1' || n.severity === 'SEV2'));
  const tickets = (m: Measured) => m.notifications.filter((n) => n.state === 'ALARM' && n.severity === 'SEV4');

  test('a total outage pages within 5 minutes, once, and the page clears within its short window (5 min) of recovery', () => {
    const m = results.get('total outage')!;
    expect(m.detected.get('FastBurn')).toBeLessThanOrEqual(5);
    // Within the short window once CloudWatch has the recovered minutes.
    expect(m.reset.get('FastBurn')! - DELAY).toBeLessThanOrEqual(5);
    // The slower page and the ticket stay quiet: suppressed while FastBurn fires, and for their own
    // short window after, by which time the outage has left that window too.
    expect(pages(m).map((n) => n.alarm)).toEqual([`${SLO}/FastBurn`]);
    expect(tickets(m)).toEqual([]);
  });

  test('burning 2 % of the budget in an hour pages, and clears within 5 minutes once it stops', () => {
    const m = results.get('2 % of the budget in one hour (14.4×)')!;
    expect(m.detected.get('FastBurn')! - DELAY).toBeLessThanOrEqual(60);
    expect(m.reset.get('FastBurn')! - DELAY).toBeLessThanOrEqual(5);
    expect(pages(m).map((n) => n.alarm)).toEqual([`${SLO}/FastBurn`]);
  });

  test('the suppressors are what keep it to one page: without them the same outage pages twice and opens a ticket', () => {
    const bare = JSON.parse(JSON.stringify(template));
    for (const r of Object.values<any>(bare.Resources)) {
      if (r.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
      delete r.Properties.ActionsSuppressor;
      delete r.Properties.ActionsSuppressorWaitPeriod;
      delete r.Properties.ActionsSuppressorExtensionPeriod;
    }
    const m = run(bare, CASES[0]);
    expect(pages(m).map((n) => n.alarm)).toEqual([`${SLO}/FastBurn`, `${SLO}/SlowBurn`]);
    expect(tickets(m).map((n) => n.alarm)).toEqual([`${SLO}/Ticket`]);
  });

  test('a burn the fast page catches pages once: the 6-hour page stays suppressed through the recovery', () => {
    const m = results.get('20× for 2 hours')!;
    expect(pages(m).map((n) => n.alarm)).toEqual([`${SLO}/FastBurn`]);
    expect(m.reset.get('FastBurn')! - DELAY).toBeLessThanOrEqual(5);
  });

  test('a burn too slow for the 1-hour page is paged by the 6-hour one, which clears within its short window (30 min)', () => {
    const m = results.get('7× for 8 hours (only the 6-hour page catches it)')!;
    expect(pages(m).map((n) => n.alarm)).toEqual([`${SLO}/SlowBurn`]);
    expect(m.reset.get('SlowBurn')! - DELAY).toBeLessThanOrEqual(30);
  });

  test('a slow burn that would spend the budget in 10 days opens a ticket and never pages', () => {
    const m = results.get('slow burn: the budget gone in 10 days (3×)')!;
    expect(pages(m)).toEqual([]);
    expect(tickets(m).map((n) => n.alarm)).toEqual([`${SLO}/Ticket`]);
    expect(m.detected.get('Ticket')).toBeLessThanOrEqual(DAY + 5);
  });

  test('a steady burn at 1× (the budget spent exactly over the period) never fires', () => {
    expect(results.get('steady burn at 1×')!.notifications).toEqual([]);
  });

  test('no traffic at all burns no budget: nothing fires', () => {
    expect(results.get('no traffic for 2 hours')!.notifications).toEqual([]);
  });

  test('docs/slo.md gives the measured detection and reset times', () => {
    const rows = CASES.map((c) => {
      const m = results.get(c.name)!;
      const fired = [...m.detected.keys()];
      const detection = fired.length === 0 ? 'nothing fires' : fired.map((a) => `${a} after ${duration(m.detected.get(a)!)}`).join(', ');
      const reset = fired.map((a) => (m.reset.has(a) ? `${a} ${duration(m.reset.get(a)!)} after it ends` : undefined)).filter(Boolean).join(', ') || '—';
      return `| ${c.name} | ${detection} | ${reset} |`;
    });
    process.stdout.write(rows.join('\n') + '\n');
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'slo.md'), 'utf8');
    for (const row of rows) expect(doc).toContain(row);
  });
});
