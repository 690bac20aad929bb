// The arithmetic of a service level objective, in one place for the ServiceLevelObjective construct,
// `runbook-alarms budget` and the tests: the error budget of a target, the burn-rate alert tiers and
// the CloudWatch limits they must fit, the metric math that turns event counts into a burn rate, and
// the record of an SLO the construct writes into the cloud assembly for the CLI.
// Pure module: no CDK imports.
import { Route, Severity, parseSeverity } from '../core/severity';

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;

/**
 * CloudWatch's limits on what one alarm looks back over (PutMetricAlarm): Period × EvaluationPeriods
 * at most 7 days, and at most 1 day when the period is under an hour. A burn-rate window is one
 * alarm period evaluated as one datapoint, so a window may be up to 7 days long.
 */
export const MAX_EVALUATION_SECONDS = 7 * DAY;
export const MAX_EVALUATION_SECONDS_UNDER_AN_HOUR = DAY;

/** The SLO periods the construct accepts, in days. */
export const MIN_PERIOD_DAYS = 7;
export const MAX_PERIOD_DAYS = 31;

/** How the good and bad events of an SLO are counted. */
export enum IndicatorForm {
  /** Bad events out of valid events. */
  BAD_OF_VALID = 'bad/valid',
  /** Good events out of valid events (bad = valid - good). */
  GOOD_OF_VALID = 'good/valid',
  /** Good and bad events (valid = good + bad). */
  GOOD_AND_BAD = 'good+bad',
  /** The share of requests at or under a latency threshold (CloudWatch's percentile rank, `PR(:t)`). */
  LATENCY = 'latency',
}

/** The metric ids each form's expression reads. */
export const INDICATOR_METRIC_IDS: Record<IndicatorForm, readonly string[]> = {
  [IndicatorForm.BAD_OF_VALID]: ['bad', 'valid'],
  [IndicatorForm.GOOD_OF_VALID]: ['good', 'valid'],
  [IndicatorForm.GOOD_AND_BAD]: ['good', 'bad'],
  [IndicatorForm.LATENCY]: ['fast'],
};

/** One burn-rate alert: it fires when the budget burns at `burnRate` over both windows. */
export interface BurnRateTier {
  /** Its name in alarm names, e.g. `FastBurn`. */
  readonly name: string;
  /** A page (wakes someone) or a ticket (next business day). */
  readonly route: Route;
  /** How many times faster than "exactly the budget over the period" the budget burns. */
  readonly burnRate: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
}

/**
 * Pages fire when the budget burns at least at their rate (2 % of a 30-day budget in one hour is
 * 14.4×, and pages); tickets when it burns faster than theirs (at the default 1× the budget lasts
 * exactly the period: being on track is not a ticket).
 */
export function tierComparison(tier: Pick<BurnRateTier, 'route'>): 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' {
  return tier.route === Route.PAGE ? 'GreaterThanOrEqualToThreshold' : 'GreaterThanThreshold';
}

/** A decimal computed from decimals, without binary noise: 100 - 99.9 is 0.1, not 0.09999999999999432. */
function decimal(x: number): number {
  return Number(x.toPrecision(12));
}

/** The error budget of a target in percent, as a fraction: 99.9 -> 0.001. */
export function errorBudgetOf(targetPercent: number): number {
  return decimal((100 - targetPercent) / 100);
}

/**
 * What the error ratio is multiplied by to give the burn rate (1 / budget): 1000 for 99.9 %. The
 * expressions multiply counts by it before dividing, so integer counts at exactly a tier's rate give
 * exactly its threshold (1000 × 144 / 10000 is 14.4; 144 / 10000 / 0.001 is 14.399999999999999).
 */
export function burnFactorOf(targetPercent: number): number {
  return decimal(1 / errorBudgetOf(targetPercent));
}

/** Problems with a target, as sentences; empty when it is usable. */
export function targetProblems(targetPercent: number): string[] {
  if (typeof targetPercent !== 'number' || !Number.isFinite(targetPercent)) return [`target must be a number of percent such as 99.9, got ${String(targetPercent)}`];
  if (targetPercent <= 0 || targetPercent >= 100) return [`target must be above 0 and below 100 (percent, e.g. 99.9), got ${targetPercent}`];
  if (decimal(targetPercent) !== targetPercent || String(targetPercent).replace(/^\d+\.?/, '').length > 6) {
    return [`target ${targetPercent} has more than 6 decimals; write it as a percentage such as 99.95`];
  }
  return [];
}

/** Problems with a period given in seconds. */
export function periodProblems(periodSeconds: number): string[] {
  if (!Number.isInteger(periodSeconds / DAY)) return [`period must be a whole number of days (28 or 30 are usual), got ${periodSeconds / DAY} days`];
  const days = periodSeconds / DAY;
  if (days < MIN_PERIOD_DAYS || days > MAX_PERIOD_DAYS) return [`period must be between ${MIN_PERIOD_DAYS} and ${MAX_PERIOD_DAYS} days (28 or 30 are usual), got ${days} days`];
  return [];
}

const round4 = (x: number) => Number(x.toFixed(4));

/**
 * The default alerts, after the SRE workbook's multiwindow, multi-burn-rate table: page when 2 % of
 * the period's budget burns in an hour (checked over the last 5 minutes too, so the page clears soon
 * after recovery) or 5 % in 6 hours (and the last 30 minutes); open a ticket when the last 3 days
 * (and 6 hours) burned faster than the budget allows. Page rates follow the period: 14.4× and 6×
 * for 30 days, 13.44× and 5.6× for 28.
 */
export function defaultBurnRateTiers(periodDays: number): BurnRateTier[] {
  const hours = periodDays * 24;
  return [
    { name: 'FastBurn', route: Route.PAGE, burnRate: round4(0.02 * hours), longWindowSeconds: HOUR, shortWindowSeconds: 5 * MINUTE },
    { name: 'SlowBurn', route: Route.PAGE, burnRate: round4((0.05 * hours) / 6), longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * MINUTE },
    { name: 'Ticket', route: Route.TICKET, burnRate: 1, longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * HOUR },
  ];
}

/**
 * The order tiers suppress each other in: pages before tickets, each from the fastest burn. Each
 * tier's actions are suppressed while the one before it is in ALARM.
 */
export function suppressionOrder<T extends Pick<BurnRateTier, 'route' | 'burnRate'>>(tiers: readonly T[]): T[] {
  const rank = (t: T) => (t.route === Route.PAGE ? 0 : 1);
  return [...tiers].sort((a, b) => rank(a) - rank(b) || b.burnRate - a.burnRate);
}

const TIER_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** Problems with a set of tiers for an SLO of this target and period; empty when CloudWatch can run them. */
export function tierProblems(tiers: readonly BurnRateTier[], targetPercent: number, periodSeconds: number): string[] {
  const problems: string[] = [];
  if (tiers.length === 0) problems.push('alerts is empty: give at least one BurnRateAlert.page(...)');
  const budget = errorBudgetOf(targetPercent);
  const seen = new Set<string>();
  for (const t of tiers) {
    const what = `alert "${t.name}"`;
    if (!TIER_NAME.test(t.name)) problems.push(`${what}: name must be 1 to 32 letters and digits, starting with a letter (it ends the alarm names)`);
    if (seen.has(t.name)) problems.push(`${what}: two alerts have this name; names must be unique`);
    seen.add(t.name);
    if (!(typeof t.burnRate === 'number' && Number.isFinite(t.burnRate) && t.burnRate > 0)) {
      problems.push(`${what}: burnRate must be a number above 0, got ${String(t.burnRate)}`);
      continue;
    }
    for (const [label, seconds] of [['longWindow', t.longWindowSeconds], ['shortWindow', t.shortWindowSeconds]] as const) {
      if (!Number.isInteger(seconds) || seconds < MINUTE || seconds % MINUTE !== 0) {
        problems.push(`${what}: ${label} must be a whole number of minutes (a CloudWatch alarm period is a multiple of 60 seconds), got ${seconds} seconds`);
      }
    }
    if (t.shortWindowSeconds >= t.longWindowSeconds) {
      problems.push(`${what}: shortWindow (${windowLabel(t.shortWindowSeconds)}) must be shorter than longWindow (${windowLabel(t.longWindowSeconds)}); a twelfth of it is usual`);
    }
    const limit = t.longWindowSeconds < HOUR ? MAX_EVALUATION_SECONDS_UNDER_AN_HOUR : MAX_EVALUATION_SECONDS;
    if (t.longWindowSeconds > limit) {
      problems.push(`${what}: longWindow ${windowLabel(t.longWindowSeconds)} is longer than a CloudWatch alarm can look back (7 days); use 7 days or less`);
    }
    if (t.longWindowSeconds > periodSeconds) problems.push(`${what}: longWindow ${windowLabel(t.longWindowSeconds)} is longer than the SLO period`);
    // The error ratio a tier fires at cannot exceed 100 %.
    const ratio = t.burnRate * budget;
    if (t.route === Route.PAGE ? ratio > 1 : ratio >= 1) {
      problems.push(`${what}: at ${t.burnRate}× a ${targetPercent} % target needs an error ratio of ${decimal(ratio * 100)} %, so it can never fire; lower burnRate or raise the target`);
    }
  }
  return problems;
}

/** `5 min`, `1 h`, `3 days`, `90 min`: a window as people say it. */
export function windowLabel(seconds: number): string {
  if (seconds % DAY === 0) return seconds === DAY ? '1 day' : `${seconds / DAY} days`;
  if (seconds % HOUR === 0) return `${seconds / HOUR} h`;
  if (seconds % MINUTE === 0) return `${seconds / MINUTE} min`;
  return `${seconds} s`;
}

/** `5m`, `1h`, `3d`: a window in an alarm name. */
export function windowSuffix(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY}d`;
  if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
  if (seconds % MINUTE === 0) return `${seconds / MINUTE}m`;
  return `${seconds}s`;
}

/** `14.4×` */
export function rateLabel(rate: number): string {
  return `${decimal(rate)}×`;
}

/**
 * The metric math of the burn rate over one alarm period, for each form: the error ratio times
 * {@link burnFactorOf}. Counts that are not reported when zero (errors) are filled with 0; a window
 * without valid events has no datapoint (an alarm treats it as not breaching: no traffic burns no budget).
 * `fast` is `PR(:threshold)`, the percentage of requests at or under the threshold.
 */
export function burnRateExpression(form: IndicatorForm, factor: number): string {
  const f = String(factor);
  switch (form) {
    case IndicatorForm.BAD_OF_VALID:
      return `IF(valid > 0, ${f} * FILL(bad, 0) / valid, 0)`;
    case IndicatorForm.GOOD_OF_VALID:
      return `IF(valid > 0, ${f} * (valid - FILL(good, 0)) / valid, 0)`;
    case IndicatorForm.GOOD_AND_BAD:
      return `IF(FILL(good, 0) + FILL(bad, 0) > 0, ${f} * FILL(bad, 0) / (FILL(good, 0) + FILL(bad, 0)), 0)`;
    case IndicatorForm.LATENCY:
      return `${f} * (100 - fast) / 100`;
  }
}

/** The remaining error budget in percent, over an expression period as long as the SLO's. */
export function remainingBudgetExpression(form: IndicatorForm, factor: number): string {
  return `100 - 100 * (${burnRateExpression(form, factor)})`;
}

/** Bad and valid events over some window (fractional for latency, where they come from a percentage). */
export interface EventCounts {
  readonly bad: number;
  readonly valid: number;
}

/**
 * Bad and valid events of one datapoint, from the values of the form's metrics (`bad`, `good`,
 * `valid`; for latency `fast`, the PR percentage, and `count`, the SampleCount). Missing values are
 * absent events, as the alarms' FILL makes them.
 */
export function eventsOf(form: IndicatorForm, values: Readonly<Record<string, number | undefined>>): EventCounts {
  const v = (id: string) => values[id] ?? 0;
  switch (form) {
    case IndicatorForm.BAD_OF_VALID:
      return { bad: v('bad'), valid: v('valid') };
    case IndicatorForm.GOOD_OF_VALID:
      return { bad: Math.max(0, v('valid') - v('good')), valid: v('valid') };
    case IndicatorForm.GOOD_AND_BAD:
      return { bad: v('bad'), valid: v('good') + v('bad') };
    case IndicatorForm.LATENCY:
      return values.fast === undefined ? { bad: 0, valid: 0 } : { bad: (v('count') * (100 - v('fast'))) / 100, valid: v('count') };
  }
}

/** The sum of event counts. */
export function sumEvents(counts: readonly EventCounts[]): EventCounts {
  let bad = 0;
  let valid = 0;
  for (const c of counts) {
    bad += c.bad;
    valid += c.valid;
  }
  return { bad, valid };
}

/** The burn rate of these events against this target (undefined without valid events). */
export function burnRateOf(events: EventCounts, targetPercent: number): number | undefined {
  if (!(events.valid > 0)) return undefined;
  return (burnFactorOf(targetPercent) * events.bad) / events.valid;
}

/** What is left of the error budget after the events of a whole period. */
export interface BudgetStatus {
  /** The share of the budget spent (1 = all of it; above 1 when overspent). */
  readonly consumed: number;
  /** The share left (1 - consumed; negative when overspent). */
  readonly remaining: number;
}

/** The budget of a period with these events (all of it left when there were none). */
export function budgetStatusOf(periodEvents: EventCounts, targetPercent: number): BudgetStatus {
  const consumed = burnRateOf(periodEvents, targetPercent) ?? 0;
  return { consumed, remaining: 1 - consumed };
}

/** How long the budget of a full period lasts at a burn rate, in seconds (Infinity at 0). */
export function exhaustionSeconds(burnRate: number, periodSeconds: number): number {
  return burnRate > 0 ? periodSeconds / burnRate : Infinity;
}

/** One tier as the assembly records it. */
export interface SloTierRecord {
  readonly name: string;
  readonly route: Route;
  readonly severity: Severity;
  readonly burnRate: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  /** The composite alarm's name (the alert). */
  readonly alarmName: string;
  readonly longAlarmName: string;
  readonly shortAlarmName: string;
}

/** What the construct records about an SLO in the cloud assembly (metadata `cdk-runbook-alarms:slo`). */
export interface SloRecord {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly targetPercent: number;
  readonly periodDays: number;
  readonly form: IndicatorForm;
  /** For latency: the threshold, in the metric's unit. */
  readonly latencyThreshold?: number;
  /** A child alarm whose deployed metric queries are the indicator's (the CLI reads them with DescribeAlarms). */
  readonly indicatorAlarmName: string;
  readonly tiers: readonly SloTierRecord[];
}

/** Reads an SLO record from assembly metadata; a string says what is wrong with it. */
export function readSloRecord(data: unknown): SloRecord | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not an object';
  const r = data as Record<string, unknown>;
  if (r.version !== 1) return `version ${JSON.stringify(r.version)} is not one this version of runbook-alarms reads (1); upgrade the CLI to match the library`;
  const str = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const name = str('name');
  const form = Object.values(IndicatorForm).find((f) => f === r.form);
  const target = num(r.targetPercent);
  const periodDays = num(r.periodDays);
  const indicatorAlarmName = str('indicatorAlarmName');
  if (!name || !form || target === undefined || targetProblems(target).length || periodDays === undefined || !indicatorAlarmName || !Array.isArray(r.tiers)) {
    return 'a field is missing or invalid (name, form, targetPercent, periodDays, indicatorAlarmName, tiers)';
  }
  const tiers: SloTierRecord[] = [];
  for (const raw of r.tiers as unknown[]) {
    const t = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const route = [Route.PAGE, Route.TICKET, Route.NOTIFY].find((x) => x === t.route);
    const severity = typeof t.severity === 'string' ? parseSeverity(t.severity) : undefined;
    const burnRate = num(t.burnRate);
    const long = num(t.longWindowSeconds);
    const short = num(t.shortWindowSeconds);
    const names = [t.name, t.alarmName, t.longAlarmName, t.shortAlarmName];
    if (!route || !severity || burnRate === undefined || long === undefined || short === undefined || !names.every((n) => typeof n === 'string')) {
      return `tier ${JSON.stringify(t.name)} is missing a field`;
    }
    tiers.push({ name: t.name as string, route, severity, burnRate, longWindowSeconds: long, shortWindowSeconds: short,
      alarmName: t.alarmName as string, longAlarmName: t.longAlarmName as string, shortAlarmName: t.shortAlarmName as string });
  }
  return {
    version: 1,
    name,
    description: str('description'),
    targetPercent: target,
    periodDays,
    form,
    latencyThreshold: num(r.latencyThreshold),
    indicatorAlarmName,
    tiers,
  };
}
