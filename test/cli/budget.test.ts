// `runbook-alarms budget` against the example app's cloud assembly and a CloudWatch stand-in on
// 127.0.0.1 (AWS_ENDPOINT_URL_CLOUDWATCH), which describes the SLO's alarms as the template defines
// them and answers GetMetricData from 30 days of synthetic webhook traffic. The CLI runs as users
// run it: the built binary in a subprocess, in a process of its own.
import * as fs from 'fs';
import * as path from 'path';
import { AwsStandIn, startAwsStandIn } from '../support/aws-stand-in';
import { MetricIdentity, alarmsOfTemplate } from '../support/cloudwatch-model';
import { exampleSynth, exampleTemplate } from '../support/synth';
import { CliResult, runCliAsync, tempDir } from './helpers';

const SLO = 'Payments/WebhookAvailability';
const REQUESTS = 10_000;
const DAY = 1440;

/** Runs the CLI asynchronously (the stand-in answers from this process), with credentials for the stand-in only. */
function budget(args: string[], standIn: AwsStandIn, env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['budget', ...args], {
    env: { ...standIn.env(), AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTESTSTANDIN', AWS_SECRET_ACCESS_KEY: 'stand-in', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '',
      // The SDK's own notice that it will need Node.js 22 (this suite may run on 20).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
}

describe('runbook-alarms budget', () => {
  let standIn: AwsStandIn;
  let assembly: string;
  let bad: MetricIdentity;
  let valid: MetricIdentity;
  let sloAlarms: Array<{ name: string; metrics: unknown }>;
  // The end of the period judged: a whole 5 minutes, passed as --at, so the counts are exact.
  const now = Math.floor(Date.now() / 300_000) * 5;
  const AT = new Date(now * 60_000).toISOString();

  beforeAll(async () => {
    standIn = await startAwsStandIn();
    assembly = exampleSynth().outdir;
    const template = exampleTemplate('Payments');
    const alarms = alarmsOfTemplate(template).metric.filter((a) => a.name.startsWith(`${SLO}/`));
    bad = alarms[0].queries.find((q) => q.id === 'bad')!.metric!;
    valid = alarms[0].queries.find((q) => q.id === 'valid')!.metric!;
    sloAlarms = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && String(r.Properties.AlarmName).startsWith(`${SLO}/`))
      .map((r) => ({ name: r.Properties.AlarmName, metrics: r.Properties.Metrics }));
  });
  afterAll(() => standIn.close());

  /** Deploys the SLO's alarms into the stand-in and publishes `errors(minutesAgo)` per minute over 31 days. */
  function deployWithTraffic(errors: (minutesAgo: number) => number): void {
    standIn.reset();
    for (const a of sloAlarms) standIn.alarms.set(a.name, { type: 'MetricAlarm', state: 'OK', at: Date.now(), definition: { Metrics: a.metrics } });
    for (let ago = 1; ago <= 31 * DAY; ago++) {
      standIn.metrics.add(valid, now - ago, REQUESTS);
      const e = errors(ago);
      if (e > 0) standIn.metrics.add(bad, now - ago, e);
    }
  }

  test('reads the SLO from the assembly and its counts from CloudWatch: budget left and burn rates, in text', async () => {
    // Healthy at 0.1× for 30 days, except a 2-hour incident at 20× three days ago and 2× in the last hour.
    deployWithTraffic((ago) => (ago <= 60 ? 20 : ago > 3 * DAY && ago <= 3 * DAY + 120 ? 200 : 1));
    const r = await budget(['--assembly', assembly, '--at', AT], standIn);
    expect(r.stderr).toBe('');
    // 30 days: 60 min × 20 + 120 min × 200 + the other 43,020 min × 1 = 68,220 bad of 432,000,000,
    // so 1000 × 68,220 / 432,000,000 = 15.8 % of the budget spent. The 1 h window is all at 2×; the
    // 6 h one is (1,200 + 300) / 3,600,000 × 1000 = 0.42×; 3 days (1,200 + 4,260) / 43,200,000 × 1000 = 0.13×.
    expect(r.stdout).toBe([
      `${SLO} (Payments; 99.9 % over 30 days)`,
      '  error budget: 84.2 % left (15.8 % spent: 68,220 bad of 432,000,000 events)',
      '  burn rate: 2× over 1 h, 0.42× over 6 h, 0.13× over 3 days, 0.16× over 30 days',
      '1 SLO: every error budget has some left',
      '',
    ].join('\n'));
    expect(r.code).toBe(0);
  });

  test('a spent budget fails the run (exit 1), in JSON too; the stand-in pages through GetMetricData', async () => {
    deployWithTraffic(() => 12); // 1.2×: 120 % of the budget over the period
    standIn.metricDataPageSize = 5_000;
    const r = await budget(['--assembly', assembly, '--at', AT, '--format', 'json'], standIn);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ slos: 1, minRemainingPercent: 0, failing: [SLO] });
    const [slo] = report.slos;
    expect(slo).toMatchObject({ name: SLO, stack: 'Payments', target: 99.9, periodDays: 30, indicator: 'bad/valid', status: 'spent' });
    expect(slo.budget.consumed).toBeCloseTo(1.2, 10);
    expect(slo.budget.remaining).toBeCloseTo(-0.2, 10);
    expect(slo.burnRates.map((b: any) => [b.window, Number(b.burnRate.toFixed(6))])).toEqual([['1 h', 1.2], ['6 h', 1.2], ['3 days', 1.2], ['30 days', 1.2]]);
    expect(standIn.calls.filter((c) => c.operation === 'GetMetricData').length).toBe(4); // 2 × 8,640 datapoints, 5,000 a page
    expect(r.code).toBe(1);
    const text = await budget(['--assembly', assembly, '--at', AT], standIn);
    expect(text.stdout).toContain(`${SLO} (Payments; 99.9 % over 30 days)  SPENT`);
    expect(text.stdout).toMatch(/1 of 1 SLO has spent the error budget: Payments\/WebhookAvailability\. Hold feature releases/);
    expect(text.code).toBe(1);
  });

  test('--min-remaining fails a budget that is not spent but below the line', async () => {
    deployWithTraffic(() => 5); // 0.5×: half the budget left
    const ok = await budget(['--assembly', assembly, '--at', AT, '--min-remaining', '40'], standIn);
    expect(ok.stdout).toMatch(/error budget: 50 % left/);
    expect(ok.code).toBe(0);
    const below = await budget(['--assembly', assembly, '--at', AT, '--min-remaining', '60%'], standIn);
    expect(below.stdout).toContain('BELOW MINIMUM');
    expect(below.stdout).toMatch(/less than 60 % of its error budget left/);
    expect(below.code).toBe(1);
  });

  test('an SLO not deployed yet (its alarms unknown to CloudWatch) does not fail the first deploy', async () => {
    standIn.reset();
    const r = await budget(['--assembly', assembly, '--at', AT, '--format', 'json'], standIn);
    expect(JSON.parse(r.stdout).slos[0].status).toBe('not-deployed');
    expect(r.code).toBe(0);
  });

  test('CloudWatch refusing the call is exit 2 with its error, never a pass', async () => {
    deployWithTraffic(() => 1);
    standIn.failNext('DescribeAlarms', 1, 403, 'AccessDenied');
    const r = await budget(['--assembly', assembly], standIn, { AWS_MAX_ATTEMPTS: '1' });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^runbook-alarms budget: Payments\/WebhookAvailability: CloudWatch DescribeAlarms: AccessDenied: stand-in failure\n$/);
    expect(r.code).toBe(2);
  });

  test('usage and input errors: an unknown SLO, an assembly without SLOs, a missing assembly', async () => {
    const unknown = await budget(['--assembly', assembly, '--slo', 'Payments/Nope'], standIn);
    expect(unknown.stderr).toMatch(/no SLO named "Payments\/Nope" in .*; its SLOs: Payments\/WebhookAvailability/);
    expect(unknown.code).toBe(2);
    const dir = tempDir('no-slo');
    try {
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: {} }));
      const none = await budget(['--assembly', dir], standIn);
      expect(none.stderr).toMatch(/holds no ServiceLevelObjective/);
      expect(none.code).toBe(2);
      const missing = await budget(['--assembly', path.join(dir, 'nope')], standIn);
      expect(missing.stderr).toMatch(/does not exist; run `cdk synth` first/);
      expect(missing.code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
