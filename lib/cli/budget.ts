// `runbook-alarms budget`: each ServiceLevelObjective's error budget left and burn rates, read from
// CloudWatch with the caller's credentials. The SLOs come from the synthesized app (their records in
// the cloud assembly), their metrics from their deployed alarms (DescribeAlarms gives the queries as
// deployed, references resolved), the counts from GetMetricData. Exits 1 when a budget is spent: a
// deploy pipeline step that stops feature releases, as an error-budget policy says.
import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import { Route } from '../core/severity';
import { sdkErrorText } from '../functions/shared/runtime';
import {
  BudgetStatus, EventCounts, INDICATOR_METRIC_IDS, IndicatorForm, SloRecord, budgetStatusOf, burnRateOf, eventsOf, rateLabel, readSloRecord, sumEvents, windowLabel,
} from '../slo/objective';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs } from './args';
import { budgetSpec } from './specs';

const OPTIONS = {
  assembly: { type: 'string' },
  slo: { type: 'string', multiple: true },
  region: { type: 'string' },
  'min-remaining': { type: 'string' },
  at: { type: 'string' },
  format: { type: 'string' },
} satisfies Record<string, OptionConfig>;

/** The granularity the counts are read at: 5 minutes, which CloudWatch keeps for 63 days. */
const STEP_SECONDS = 300;

/** Where one SLO stands. */
export type BudgetState = 'ok' | 'spent' | 'below-minimum' | 'no-data' | 'not-deployed';

/** One SLO's line of the report. */
export interface SloBudget {
  readonly name: string;
  readonly stack: string;
  readonly region?: string;
  readonly target: number;
  readonly periodDays: number;
  readonly indicator: IndicatorForm;
  readonly status: BudgetState;
  /** Bad and valid events over the period (undefined when not deployed). */
  readonly events?: EventCounts;
  /** Shares of the budget (undefined when not deployed). */
  readonly budget?: BudgetStatus;
  /** The burn rate over each alert's long window and the whole period (null: no events in the window). */
  readonly burnRates: Array<{ window: string; seconds: number; burnRate: number | null }>;
}

interface Located {
  readonly record: SloRecord;
  readonly stack: string;
  readonly region?: string;
}

type Sdk = typeof CloudWatchSdk;
type Query = CloudWatchSdk.MetricDataQuery;

/** The AWS SDK for CloudWatch: an optional peer dependency, needed by this command only. */
async function loadCloudWatch(): Promise<Sdk> {
  try {
    return require('@aws-sdk/client-cloudwatch') as Sdk;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new InputError('`budget` reads CloudWatch with the AWS SDK, which is not installed: npm install --save-dev @aws-sdk/client-cloudwatch');
  }
}

/** The SLOs of the assembly, checked; a broken record is an input error naming it. */
async function sloRecords(dir: string): Promise<Located[]> {
  const { readCloudAssembly, AssemblyReadError } = await import('../assembly/reader');
  let slos;
  try {
    slos = readCloudAssembly(dir).slos;
  } catch (e) {
    if (e instanceof AssemblyReadError) throw new InputError(e.message);
    throw e;
  }
  const problems: string[] = [];
  const out: Located[] = [];
  for (const s of slos) {
    const record = readSloRecord(s.record);
    if (typeof record === 'string') problems.push(`${s.stack} ${s.constructPath}: its SLO record cannot be read: ${record}`);
    else out.push({ record, stack: s.stack, region: s.region });
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return out;
}

/** The queries GetMetricData needs for the indicator: the deployed alarm's metrics, at a 5-minute step. */
function indicatorQueries(record: SloRecord, deployed: Query[]): Query[] | string {
  const queries: Query[] = [];
  for (const id of INDICATOR_METRIC_IDS[record.form]) {
    const q = deployed.find((d) => d.Id === id);
    if (!q?.MetricStat?.Metric) return `its alarm ${record.indicatorAlarmName} has no metric "${id}"`;
    queries.push({ Id: id, MetricStat: { Metric: q.MetricStat.Metric, Period: STEP_SECONDS, Stat: q.MetricStat.Stat }, ReturnData: true });
    // A percentile rank is a share: the sample count weighs it.
    if (record.form === IndicatorForm.LATENCY) queries.push({ Id: 'count', MetricStat: { Metric: q.MetricStat.Metric, Period: STEP_SECONDS, Stat: 'SampleCount' }, ReturnData: true });
  }
  return queries;
}

/** Reads one SLO's counts from CloudWatch and judges its budget. */
async function judge(sdk: Sdk, client: CloudWatchSdk.CloudWatchClient, slo: Located, end: number, minRemaining: number): Promise<SloBudget> {
  const { record } = slo;
  const base = { name: record.name, stack: slo.stack, region: slo.region, target: record.targetPercent, periodDays: record.periodDays, indicator: record.form };
  const periodSeconds = record.periodDays * 86400;
  const windows = [...new Set([...record.tiers.filter((t) => t.route !== Route.NOTIFY).map((t) => t.longWindowSeconds), periodSeconds])].sort((a, b) => a - b);
  let described: CloudWatchSdk.DescribeAlarmsCommandOutput;
  try {
    described = await client.send(new sdk.DescribeAlarmsCommand({ AlarmNames: [record.indicatorAlarmName] }));
  } catch (e) {
    throw new InputError(`${record.name}: ${sdkErrorText(e, 'CloudWatch DescribeAlarms').text}`);
  }
  const alarm = described.MetricAlarms?.find((a) => a.AlarmName === record.indicatorAlarmName);
  if (!alarm) return { ...base, status: 'not-deployed', burnRates: windows.map((s) => ({ window: windowLabel(s), seconds: s, burnRate: null })) };
  const queries = indicatorQueries(record, alarm.Metrics ?? []);
  if (typeof queries === 'string') throw new InputError(`${record.name}: ${queries}; was it deployed by another version of the library?`);

  // Values by timestamp (seconds), then events per 5-minute step.
  const steps = new Map<number, Record<string, number>>();
  let token: string | undefined;
  do {
    let page: CloudWatchSdk.GetMetricDataCommandOutput;
    try {
      page = await client.send(new sdk.GetMetricDataCommand({
        MetricDataQueries: queries, StartTime: new Date((end - periodSeconds) * 1000), EndTime: new Date(end * 1000), NextToken: token,
      }));
    } catch (e) {
      throw new InputError(`${record.name}: ${sdkErrorText(e, 'CloudWatch GetMetricData').text}`);
    }
    for (const result of page.MetricDataResults ?? []) {
      const values = result.Values ?? [];
      (result.Timestamps ?? []).forEach((t, i) => {
        const at = Math.round(new Date(t).getTime() / 1000);
        const step = steps.get(at) ?? {};
        step[result.Id!] = (step[result.Id!] ?? 0) + values[i];
        steps.set(at, step);
      });
    }
    token = page.NextToken;
  } while (token);

  const perStep = [...steps.entries()].map(([at, values]) => ({ at, events: eventsOf(record.form, values) }));
  const within = (seconds: number) => sumEvents(perStep.filter((s) => s.at >= end - seconds).map((s) => s.events));
  const events = within(periodSeconds);
  const budget = budgetStatusOf(events, record.targetPercent);
  const burnRates = windows.map((s) => ({ window: windowLabel(s), seconds: s, burnRate: burnRateOf(within(s), record.targetPercent) ?? null }));
  const status: BudgetState = !(events.valid > 0) ? 'no-data' : budget.remaining <= 0 ? 'spent' : budget.remaining * 100 < minRemaining ? 'below-minimum' : 'ok';
  return { ...base, status, events, budget, burnRates };
}

const percent = (share: number) => `${Number((share * 100).toFixed(1))} %`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** The text report: one block per SLO, then the verdict. */
export function formatBudgetText(slos: readonly SloBudget[], minRemaining: number): string {
  const lines: string[] = [];
  for (const s of slos) {
    const where = [s.stack, s.region].filter(Boolean).join(', ');
    lines.push(`${s.name} (${where}; ${s.target} % over ${s.periodDays} days)${s.status === 'spent' ? '  SPENT' : s.status === 'below-minimum' ? '  BELOW MINIMUM' : ''}`);
    if (s.status === 'not-deployed') {
      lines.push('  not deployed: its alarms are not in CloudWatch yet (or --region is not its region)');
      continue;
    }
    if (s.status === 'no-data') {
      lines.push(`  no events in the last ${s.periodDays} days: nothing spent`);
      continue;
    }
    const b = s.budget!;
    lines.push(`  error budget: ${percent(b.remaining)} left (${percent(b.consumed)} spent: ${count(s.events!.bad)} bad of ${count(s.events!.valid)} events)`);
    lines.push(`  burn rate: ${s.burnRates.map((r) => `${r.burnRate === null ? 'no events' : rateLabel(Number(r.burnRate.toFixed(2)))} over ${r.window}`).join(', ')}`);
  }
  const failing = slos.filter((s) => s.status === 'spent' || s.status === 'below-minimum');
  const n = `${slos.length} SLO${slos.length === 1 ? '' : 's'}`;
  if (failing.length === 0) {
    lines.push(`${n}: every error budget has ${minRemaining > 0 ? `at least ${minRemaining} %` : 'some'} left`);
  } else {
    lines.push(`${failing.length} of ${n} ${failing.length === 1 ? 'has' : 'have'} ${minRemaining > 0 ? `less than ${minRemaining} % of its error budget left` : 'spent the error budget'}: ` +
      `${failing.map((s) => s.name).join(', ')}. Hold feature releases and fix reliability first (the error-budget policy).`);
  }
  return lines.join('\n') + '\n';
}

/** The JSON report. */
export function formatBudgetJson(slos: readonly SloBudget[], minRemaining: number): string {
  const failing = slos.filter((s) => s.status === 'spent' || s.status === 'below-minimum').map((s) => s.name);
  return JSON.stringify({ slos, summary: { slos: slos.length, minRemainingPercent: minRemaining, failing } }, null, 2) + '\n';
}

export async function budgetCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, budgetSpec.help);
  if (!parsed) return ExitCode.OK;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`budget takes no positional arguments, got ${positionals.join(' ')}`);
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const rawMin = values['min-remaining'] as string | undefined;
  const minRemaining = rawMin === undefined ? 0 : Number(rawMin.replace(/%$/, ''));
  if (!Number.isFinite(minRemaining) || minRemaining < 0 || minRemaining > 100) throw new UsageError(`--min-remaining takes a percentage from 0 to 100, got "${rawMin}"`);

  const dir = (values.assembly as string | undefined) ?? 'cdk.out';
  let slos = await sloRecords(dir);
  const wanted = (values.slo as string[] | undefined) ?? [];
  if (wanted.length > 0) {
    const names = slos.map((s) => s.record.name);
    const unknown = wanted.filter((w) => !names.includes(w));
    if (unknown.length > 0) throw new UsageError(`no SLO named ${unknown.map((u) => `"${u}"`).join(', ')} in ${dir}; its SLOs: ${names.join(', ') || 'none'}`);
    slos = slos.filter((s) => wanted.includes(s.record.name));
  }
  if (slos.length === 0) throw new InputError(`${dir} holds no ServiceLevelObjective: run \`cdk synth\` for the app that defines them, or pass --assembly`);

  const sdk = await loadCloudWatch();
  const clients = new Map<string, CloudWatchSdk.CloudWatchClient>();
  const clientFor = (region: string | undefined) => {
    const key = region ?? '';
    let c = clients.get(key);
    if (!c) clients.set(key, (c = new sdk.CloudWatchClient(region ? { region } : {})));
    return c;
  };
  const rawAt = values.at as string | undefined;
  const at = rawAt === undefined ? Date.now() : Date.parse(rawAt);
  if (!Number.isFinite(at) || (rawAt !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(rawAt))) {
    throw new UsageError(`--at takes an ISO time with its offset, e.g. 2026-12-01T09:00:00Z; got "${rawAt}"`);
  }
  // The counts are read in whole 5-minute steps, up to the last one that has ended.
  const end = Math.floor(at / 1000 / STEP_SECONDS) * STEP_SECONDS;
  const region = values.region as string | undefined;
  const report: SloBudget[] = [];
  try {
    for (const slo of slos) report.push(await judge(sdk, clientFor(region ?? slo.region), { ...slo, region: region ?? slo.region }, end, minRemaining));
  } finally {
    for (const c of clients.values()) c.destroy();
  }
  process.stdout.write(format === 'json' ? formatBudgetJson(report, minRemaining) : formatBudgetText(report, minRemaining));
  return report.some((s) => s.status === 'spent' || s.status === 'below-minimum') ? ExitCode.FINDINGS : ExitCode.OK;
}
