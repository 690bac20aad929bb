// Proven by replay: synthetic traffic through the example app's payment webhook SLO, as `cdk synth`
// wrote it (periods, evaluation and datapoint counts, metric math, missing-data treatment, composite
// rules and suppressors), evaluated by the CloudWatch model of ./cloudwatch-model.ts. The measured
// detection and reset times are the table of docs/slo.md; this test fails when they drift apart.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlertRouting, Runbook, ServiceLevelObjective, SloIndicator } from '../../lib';
import { BASE_URL, FOUNDATION_FIXTURES } from '../support/cdk';
import { exampleTemplate } from '../support/synth';
import { MetricIdentity, MetricStore, Notification, alarmsOfTemplate, replay } from '../support/cloudwatch-model';

const SLO = 'Payments/WebhookAvailability';
const DAY = 24 * 60;
/** Requests per minute, and the background error rate of a healthy service (0.1× the budget). */
const REQUESTS = 10_000;
const BACKGROUND = 1;
/** The scenario starts after 3 days and an hour of healthy traffic: every window (3 days the longest) is full. */
const START = 3 * DAY + 60;
/**
 * Alarms are evaluated from 7 hours before it: an alarm's state depends only on the data in its
 * windows, and the longest suppression (the ticket's extension, 6 hours) has run out by START.
 */
const EVALUATE_FROM = START - 7 * 60;
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
  // The outages run on for a day after they end: long enough for every suppression to run out.
  { name: 'total outage', errors: () => REQUESTS, burnMinutes: 30, runMinutes: DAY },
  { name: '2 % of the budget in one hour (14.4×)', errors: () => 144, burnMinutes: 60, runMinutes: DAY },
  { name: '20× for 2 hours', errors: () => 200, burnMinutes: 120, runMinutes: DAY },
  { name: '7× for 8 hours (only the 6-hour page catches it)', errors: () => 70, burnMinutes: 8 * 60, runMinutes: DAY + 8 * 60 },
  { name: 'slow burn: the budget gone in 10 days (3×)', errors: () => 30, burnMinutes: 2 * DAY, runMinutes: 2 * DAY },
  // Longer than the longest window, so every window burns at exactly 1× at the end.
  { name: 'steady burn at 1×', errors: () => 10, burnMinutes: 4 * DAY, runMinutes: 4 * DAY },
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
  const { notifications } = replay(template, store, { from: EVALUATE_FROM, to: START + c.runMinutes, ingestionDelayMinutes: DELAY });
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
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'slo.md'), 'utf8');
    for (const row of rows) expect(doc).toContain(row);
  });
});

describe('other indicators and periods, replayed the same way', () => {
  // A latency SLO (99 % of requests at or under 300 ms) and a 28-day availability SLO counted as
  // good of valid, synthesized in process.
  let template: Record<string, any>;
  const latency = { namespace: 'Checkout', metricName: 'Latency' };
  const good = { namespace: 'Checkout', metricName: 'Succeeded' };
  const valid = { namespace: 'Checkout', metricName: 'Requests' };
  beforeAll(() => {
    const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': BASE_URL } });
    const stack = new Stack(app, 'Checkout');
    const routing = new AlertRouting(stack, 'Routing');
    const runbook = Runbook.fromFile('runbooks/good.md', { projectRoot: FOUNDATION_FIXTURES });
    new ServiceLevelObjective(stack, 'Latency', {
      indicator: SloIndicator.latency({ metric: new cloudwatch.Metric({ ...latency }), threshold: 300 }), target: 99, runbook, routing,
    });
    new ServiceLevelObjective(stack, 'Availability', {
      indicator: SloIndicator.availability({ goodEvents: new cloudwatch.Metric({ ...good, statistic: 'Sum' }), validEvents: new cloudwatch.Metric({ ...valid, statistic: 'Sum' }) }),
      target: 99.9, period: Duration.days(28), runbook, routing,
    });
    template = app.synth().getStackByName('Checkout').template;
  });

  /** Replays `minutes` of scenario after the warm-up; returns the SLO's notifications after the warm-up, as `minute alert STATE`. */
  function scenario(slo: string, feed: (store: MetricStore, minute: number, since: number) => void, minutes: number): string[] {
    const store = new MetricStore();
    for (let m = 0; m < START + minutes; m++) feed(store, m, m - START);
    return replay(template, store, { from: EVALUATE_FROM, to: START + minutes, ingestionDelayMinutes: DELAY }).notifications
      .filter((n) => n.minute >= START && n.alarm.startsWith(`Checkout/${slo}/`))
      .map((n) => `${n.minute - START} ${n.alarm.split('/').pop()} ${n.state}`);
  }

  test('latency: every request slow pages (at 100×, 99 % reaches 14.4× over the hour in 8.64 min); exactly 1 % slow (1×) never fires', () => {
    const requests = (store: MetricStore, m: number, slowShare: number) => store.addSamples(latency, m, [[120, 1000 - 1000 * slowShare], [900, 1000 * slowShare]].filter(([, c]) => c > 0) as Array<[number, number]>);
    const outage = scenario('Latency', (store, m, since) => requests(store, m, since >= 0 && since < 30 ? 1 : 0.001), 60);
    expect(outage[0]).toBe(`${9 + DELAY} FastBurn ALARM`);
    expect(outage.filter((n) => n.endsWith('ALARM')).length).toBe(1);
    expect(scenario('Latency', (store, m) => requests(store, m, 0.01), DAY)).toEqual([]);
  });

  test('28 days, counted as good of valid: 2 % of the budget in an hour (13.44×) pages', () => {
    // 100,000 requests a minute: 13.44× of a 0.1 % budget is a whole 1,344 failures.
    const traffic = (failures: number) => (store: MetricStore, m: number) => {
      store.add(valid, m, 100_000);
      store.add(good, m, 100_000 - failures);
    };
    const notes = scenario('Availability', (store, m, since) => traffic(since >= 0 && since < 60 ? 1344 : 10)(store, m), 120);
    expect(notes.find((n) => n.endsWith('ALARM'))).toBe(`${60 + DELAY} FastBurn ALARM`);
  });
});
