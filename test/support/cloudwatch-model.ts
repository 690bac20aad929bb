// A model of how CloudWatch evaluates alarms, to replay synthetic traffic through the alarms a
// template defines (test support). What it models, and the documentation each part follows:
//
// - Metric data: per-minute samples per metric (namespace, name, dimensions), aggregated over a
//   period with the statistics Sum, SampleCount, Average, Minimum, Maximum and the percentile rank
//   PR(lo:hi) ("the percentage of data points with a value above lo and at or below hi", CloudWatch
//   statistics definitions). Other statistics throw: not modelled.
// - Metric math (the functions the construct uses): + - * /, comparisons (> < >= <= == != give 1 or
//   0), AND, OR, IF(condition, trueValue[, falseValue]) and FILL(series, value). A series and a series
//   combine at the timestamps both have; a scalar applies to every timestamp. A value that is not a
//   finite number (x / 0) is no datapoint. FILL gives every timestamp of the query a value.
// - Metric alarms (PutMetricAlarm, "Alarm evaluation", "Configuring how CloudWatch alarms treat
//   missing data"): evaluated every minute over a sliding window (the default EvaluationWindow: "the
//   window advances each time the alarm is evaluated"); each datapoint aggregates one Period ending
//   at the evaluation, the next one Period before it, and so on. The newest complete minute is the
//   one before the evaluation, minus the ingestion delay. M of N: ALARM when at least
//   DatapointsToAlarm of the newest EvaluationPeriods datapoints breach, else OK. Missing data: the
//   alarm retrieves more datapoints than EvaluationPeriods (the evaluation range; here 2 more); when
//   some of the newest N are missing but N real ones exist in the range, the newest N real ones are
//   evaluated and TreatMissingData is not used; when fewer than N exist, the missing ones are filled
//   as breaching (breaching) or not breaching (notBreaching); with none at all, missing gives
//   INSUFFICIENT_DATA and ignore keeps the state. (With some but fewer than N, missing and ignore
//   evaluate the real ones only: an approximation; the ServiceLevelObjective uses notBreaching.)
// - Composite alarms ("Create a composite alarm"): ALARM when the AlarmRule is true, OK otherwise,
//   re-evaluated when a child changes (here: in the same minute, children first). Rule functions
//   ALARM(), OK(), INSUFFICIENT_DATA(), TRUE, FALSE, NOT, AND, OR and parentheses; NOT binds tightest,
//   then AND, then OR.
// - Actions: a metric alarm acts on each state change (its AlarmActions, OKActions or
//   InsufficientDataActions, when ActionsEnabled). A composite alarm with an ActionsSuppressor does
//   not act while the suppressor is in ALARM, nor for ActionsSuppressorExtensionPeriod after it
//   leaves ALARM, nor, after the composite enters ALARM, during ActionsSuppressorWaitPeriod unless
//   the suppressor is in ALARM by then ("After this time, the composite alarm performs its actions":
//   read here as the actions of the state it is in then, if it has not acted on that state yet).
import { parseAlarmContract } from '../../lib/core/contract';

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Metric data

/** One minute of a metric: its samples as [value, count] pairs, or just sum and count for counters. */
interface MinuteData {
  sum: number;
  count: number;
  min: number;
  max: number;
  values?: Array<[number, number]>;
}

/** The identity of a metric, as CloudWatch matches it. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
}

const KEYS = new WeakMap<MetricIdentity, string>();

export function metricKey(m: MetricIdentity): string {
  let key = KEYS.get(m);
  if (key === undefined) KEYS.set(m, (key = keyOf(m)));
  return key;
}

function keyOf(m: MetricIdentity): string {
  const dims = Object.entries(m.dimensions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
  return `${m.namespace}|${m.metricName}|${dims}`;
}

class MetricSeries {
  public readonly minutes = new Map<number, MinuteData>();
  private prefix?: { first: number; sum: Float64Array; count: Float64Array };
  private readonly rankPrefix = new Map<string, Float64Array>();

  public add(minute: number, value: number, count: number, keepValues: boolean): void {
    let d = this.minutes.get(minute);
    if (!d) this.minutes.set(minute, (d = { sum: 0, count: 0, min: Infinity, max: -Infinity }));
    d.sum += value * count;
    d.count += count;
    d.min = Math.min(d.min, value);
    d.max = Math.max(d.max, value);
    if (keepValues) (d.values ??= []).push([value, count]);
    this.prefix = undefined;
    this.rankPrefix.clear();
  }

  private range(): { first: number; last: number } {
    const keys = [...this.minutes.keys()];
    return { first: Math.min(...keys), last: Math.max(...keys) };
  }

  private prefixes(): { first: number; sum: Float64Array; count: Float64Array } {
    if (this.prefix) return this.prefix;
    const { first, last } = this.range();
    const n = last - first + 1;
    const sum = new Float64Array(n + 1);
    const count = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const d = this.minutes.get(first + i);
      sum[i + 1] = sum[i] + (d?.sum ?? 0);
      count[i + 1] = count[i] + (d?.count ?? 0);
    }
    return (this.prefix = { first, sum, count });
  }

  /** Sum and sample count over minutes [from, to). */
  public totals(from: number, to: number): { sum: number; count: number } {
    if (this.minutes.size === 0) return { sum: 0, count: 0 };
    const p = this.prefixes();
    const n = p.sum.length - 1;
    const i = Math.max(0, Math.min(n, from - p.first));
    const j = Math.max(0, Math.min(n, to - p.first));
    if (j <= i) return { sum: 0, count: 0 };
    return { sum: p.sum[j] - p.sum[i], count: p.count[j] - p.count[i] };
  }

  /** How many samples over [from, to) have a value in (lo, hi]. */
  public countIn(from: number, to: number, lo: number, hi: number): number {
    if (this.minutes.size === 0) return 0;
    const key = `${lo}:${hi}`;
    let prefix = this.rankPrefix.get(key);
    const { first } = this.prefixes();
    if (!prefix) {
      const n = this.prefixes().sum.length - 1;
      prefix = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) {
        const d = this.minutes.get(first + i);
        let inRange = 0;
        if (d && d.count > 0) {
          if (!d.values) throw new Error('PR() needs the samples of a metric: add them with values (MetricStore.addSamples)');
          for (const [v, c] of d.values) if (v > lo && v <= hi) inRange += c;
        }
        prefix[i + 1] = prefix[i] + inRange;
      }
      this.rankPrefix.set(key, prefix);
    }
    const n = prefix.length - 1;
    const i = Math.max(0, Math.min(n, from - first));
    const j = Math.max(0, Math.min(n, to - first));
    return j <= i ? 0 : prefix[j] - prefix[i];
  }

  public extremes(from: number, to: number): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    for (let m = from; m < to; m++) {
      const d = this.minutes.get(m);
      if (d && d.count > 0) {
        min = Math.min(min, d.min);
        max = Math.max(max, d.max);
      }
    }
    return { min, max };
  }
}

/** Every metric's data, minute by minute (a minute is an integer: epoch seconds / 60, or a test's own clock). */
export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();

  /** Adds `count` samples of `value` in a minute: a counter publishing `value` (e.g. `count` requests of value 1). */
  public add(metric: MetricIdentity, minute: number, value: number, count = 1): void {
    this.get(metricKey(metric), true)!.add(minute, value, count, false);
  }

  /** Adds samples whose values matter one by one (latencies), so percentile ranks can be taken. */
  public addSamples(metric: MetricIdentity, minute: number, samples: ReadonlyArray<readonly [value: number, count: number]>): void {
    const s = this.get(metricKey(metric), true)!;
    for (const [value, count] of samples) s.add(minute, value, count, true);
  }

  private get(key: string, create: boolean): MetricSeries | undefined {
    let s = this.series.get(key);
    if (!s && create) this.series.set(key, (s = new MetricSeries()));
    return s;
  }

  /**
   * A statistic of a metric over minutes [from, to): undefined when the metric has no sample there
   * (CloudWatch returns no datapoint).
   */
  public statistic(metric: MetricIdentity, stat: string, from: number, to: number): number | undefined {
    const s = this.get(metricKey(metric), false);
    if (!s) return undefined;
    const { sum, count } = s.totals(from, to);
    if (count === 0) return undefined;
    const pr = /^PR\(\s*([^:)]*)\s*:\s*([^)]*)\s*\)$/i.exec(stat.trim());
    if (pr) {
      const lo = pr[1] === '' ? -Infinity : Number(pr[1]);
      const hi = pr[2] === '' ? Infinity : Number(pr[2]);
      if (Number.isNaN(lo) || Number.isNaN(hi) || /%/.test(stat)) throw new Error(`statistic ${stat}: the model takes PR with absolute bounds only`);
      return (100 * s.countIn(from, to, lo, hi)) / count;
    }
    switch (stat.toLowerCase()) {
      case 'sum': return sum;
      case 'samplecount': return count;
      case 'average': return sum / count;
      case 'minimum': return s.extremes(from, to).min;
      case 'maximum': return s.extremes(from, to).max;
      default: throw new Error(`statistic ${stat} is not modelled`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Metric math

type Ast =
  | { t: 'num'; v: number }
  | { t: 'id'; name: string }
  | { t: 'call'; fn: string; args: Ast[] }
  | { t: 'neg'; e: Ast }
  | { t: 'bin'; op: string; l: Ast; r: Ast };

const BINARY_LEVELS: string[][] = [['OR', '||'], ['AND', '&&'], ['==', '!=', '<=', '>=', '<', '>'], ['+', '-'], ['*', '/'], ['^']];

/** Parses a metric math expression (the subset of the header). */
export function parseExpression(text: string): Ast {
  const tokens = text.match(/\s*(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/^(),<>])/g);
  if (!tokens || tokens.join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) throw new Error(`cannot read expression: ${text}`);
  const toks = tokens.map((t) => t.trim());
  let i = 0;
  const peek = () => toks[i];
  const take = (expected?: string) => {
    const t = toks[i++];
    if (expected !== undefined && t?.toUpperCase() !== expected) throw new Error(`expected ${expected} in ${text}, got ${t}`);
    return t;
  };
  const level = (n: number): Ast => {
    if (n === BINARY_LEVELS.length) return unary();
    let left = level(n + 1);
    while (peek() !== undefined && BINARY_LEVELS[n].includes(peek()!.toUpperCase())) {
      const op = take().toUpperCase();
      left = { t: 'bin', op: op === '||' ? 'OR' : op === '&&' ? 'AND' : op, l: left, r: level(n + 1) };
    }
    return left;
  };
  const unary = (): Ast => {
    if (peek() === '-') {
      take();
      return { t: 'neg', e: unary() };
    }
    return primary();
  };
  const primary = (): Ast => {
    const t = take();
    if (t === undefined) throw new Error(`unexpected end of ${text}`);
    if (t === '(') {
      const e = level(0);
      take(')');
      return e;
    }
    if (/^[\d.]/.test(t)) return { t: 'num', v: Number(t) };
    if (peek() === '(') {
      take('(');
      const args: Ast[] = [];
      if (peek() !== ')') {
        args.push(level(0));
        while (peek() === ',') {
          take();
          args.push(level(0));
        }
      }
      take(')');
      return { t: 'call', fn: t.toUpperCase(), args };
    }
    return { t: 'id', name: t };
  };
  const ast = level(0);
  if (i !== toks.length) throw new Error(`unexpected ${toks[i]} in ${text}`);
  return ast;
}

/** A time series: datapoints by timestamp (the minute its period ends), or a scalar. */
export type Value = number | Map<number, number>;

const finite = (v: number): number | undefined => (Number.isFinite(v) ? v : undefined);

function binary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+': return finite(a + b);
    case '-': return finite(a - b);
    case '*': return finite(a * b);
    case '/': return finite(a / b);
    case '^': return finite(a ** b);
    case '>': return a > b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case 'AND': return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR': return a !== 0 || b !== 0 ? 1 : 0;
    default: throw new Error(`operator ${op} is not modelled`);
  }
}

function combine(a: Value, b: Value, f: (x: number, y: number) => number | undefined): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b) ?? NaN;
  const out = new Map<number, number>();
  const keys = typeof a === 'number' ? [...(b as Map<number, number>).keys()] : [...a.keys()];
  for (const k of keys) {
    const x = typeof a === 'number' ? a : a.get(k);
    const y = typeof b === 'number' ? b : b.get(k);
    if (x === undefined || y === undefined) continue;
    const v = f(x, y);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** Evaluates an expression at the timestamps `grid`, with `ids` giving the series of metrics and other expressions. */
export function evaluate(ast: Ast, ids: (name: string) => Value, grid: readonly number[]): Value {
  switch (ast.t) {
    case 'num': return ast.v;
    case 'id': return ids(ast.name);
    case 'neg': return combine(0, evaluate(ast.e, ids, grid), (x, y) => x - y);
    case 'bin': return combine(evaluate(ast.l, ids, grid), evaluate(ast.r, ids, grid), (x, y) => binary(ast.op, x, y));
    case 'call': {
      if (ast.fn === 'FILL') {
        const series = evaluate(ast.args[0], ids, grid);
        const fill = evaluate(ast.args[1], ids, grid);
        if (typeof fill !== 'number') throw new Error('FILL with a series or REPEAT/LINEAR is not modelled');
        if (typeof series === 'number') return series;
        return new Map(grid.map((g) => [g, series.get(g) ?? fill]));
      }
      if (ast.fn === 'IF') {
        const cond = evaluate(ast.args[0], ids, grid);
        const yes = evaluate(ast.args[1], ids, grid);
        const no = ast.args[2] ? evaluate(ast.args[2], ids, grid) : undefined;
        const pick = (c: number, k: number): number | undefined => {
          const branch = c !== 0 ? yes : no;
          if (branch === undefined) return undefined;
          return typeof branch === 'number' ? finite(branch) : branch.get(k);
        };
        if (typeof cond === 'number') {
          const branch = cond !== 0 ? yes : no;
          return branch ?? new Map();
        }
        const out = new Map<number, number>();
        for (const [k, c] of cond) {
          const v = pick(c, k);
          if (v !== undefined) out.set(k, v);
        }
        return out;
      }
      throw new Error(`metric math function ${ast.fn} is not modelled`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Alarms from a template

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One metric query of an alarm: a metric with a statistic, or an expression. */
interface Query {
  readonly id: string;
  readonly returnData: boolean;
  readonly metric?: MetricIdentity;
  readonly stat?: string;
  readonly expression?: Ast;
}

export interface MetricAlarmDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  readonly treatMissingData: string;
  readonly queries: readonly Query[];
  readonly alarmActions: readonly unknown[];
  readonly okActions: readonly unknown[];
  readonly insufficientDataActions: readonly unknown[];
  readonly actionsEnabled: boolean;
  readonly description?: string;
}

type RuleAst =
  | { t: 'const'; v: boolean }
  | { t: 'state'; state: AlarmState; alarm: string }
  | { t: 'not'; e: RuleAst }
  | { t: 'and' | 'or'; l: RuleAst; r: RuleAst };

export interface CompositeAlarmDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly rule: RuleAst;
  readonly ruleText: string;
  readonly suppressor?: string;
  readonly waitMinutes: number;
  readonly extensionMinutes: number;
  readonly alarmActions: readonly unknown[];
  readonly okActions: readonly unknown[];
  readonly actionsEnabled: boolean;
  readonly description?: string;
}

const ARN_PREFIX = 'arn:model:cloudwatch:alarm:';

/** The text of a template value with `Fn::GetAtt [X, Arn]` written as a model ARN naming X, and `Fn::Join` joined. */
function resolveText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(resolveText).join(v['Fn::Join'][0]);
  if (v?.['Fn::GetAtt'] && v['Fn::GetAtt'][1] === 'Arn') return `${ARN_PREFIX}${v['Fn::GetAtt'][0]}`;
  if (v?.Ref) return `${ARN_PREFIX}${v.Ref}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)} in the model`);
}

/** Parses a composite AlarmRule. */
export function parseAlarmRule(text: string): RuleAst {
  const re = /\s*(\(|\)|AND\b|OR\b|NOT\b|TRUE\b|FALSE\b|(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"([^"]*)"|([^)\s]+))\s*\))/iy;
  const toks: Array<{ k: string; state?: AlarmState; name?: string }> = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read alarm rule at "${text.slice(pos, pos + 30)}"`);
    pos = re.lastIndex;
    if (m[2]) toks.push({ k: 'state', state: m[2].toUpperCase() as AlarmState, name: m[3] ?? m[4] });
    else toks.push({ k: m[1].toUpperCase() });
  }
  let i = 0;
  const or = (): RuleAst => {
    let l = and();
    while (toks[i]?.k === 'OR') {
      i++;
      l = { t: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): RuleAst => {
    let l = not();
    while (toks[i]?.k === 'AND') {
      i++;
      l = { t: 'and', l, r: not() };
    }
    return l;
  };
  const not = (): RuleAst => {
    if (toks[i]?.k === 'NOT') {
      i++;
      return { t: 'not', e: not() };
    }
    const tok = toks[i++];
    if (!tok) throw new Error(`alarm rule ends early: ${text}`);
    if (tok.k === '(') {
      const e = or();
      if (toks[i++]?.k !== ')') throw new Error(`missing ) in ${text}`);
      return e;
    }
    if (tok.k === 'TRUE' || tok.k === 'FALSE') return { t: 'const', v: tok.k === 'TRUE' };
    if (tok.k === 'state') return { t: 'state', state: tok.state!, alarm: tok.name! };
    throw new Error(`unexpected ${tok.k} in ${text}`);
  };
  const ast = or();
  if (i !== toks.length) throw new Error(`unexpected ${toks[i].k} in ${text}`);
  return ast;
}

function seconds(v: unknown, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${what}: ${JSON.stringify(v)} is not a number of seconds`);
  return n;
}

function minutesOf(secondsValue: number, what: string): number {
  if (secondsValue % 60 !== 0) throw new Error(`${what}: ${secondsValue} s; the model steps in minutes`);
  return secondsValue / 60;
}

/** Dimensions as the metric store keys them; a value known only at deploy time stays its template JSON. */
function dimensionsOf(list: unknown): Record<string, string> {
  return Object.fromEntries(((list as Json[]) ?? []).map((d) => [d.Name, typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value)]));
}

/** The alarms of a CloudFormation template, as the model runs them. */
export function alarmsOfTemplate(template: Json): { metric: MetricAlarmDefinition[]; composite: CompositeAlarmDefinition[] } {
  const metric: MetricAlarmDefinition[] = [];
  const composite: CompositeAlarmDefinition[] = [];
  for (const [logicalId, resource] of Object.entries<Json>(template.Resources ?? {})) {
    const p = resource.Properties ?? {};
    const name = typeof p.AlarmName === 'string' ? p.AlarmName : logicalId;
    const common = {
      logicalId,
      name,
      alarmActions: p.AlarmActions ?? [],
      okActions: p.OKActions ?? [],
      actionsEnabled: p.ActionsEnabled !== false,
      description: typeof p.AlarmDescription === 'string' ? p.AlarmDescription : undefined,
    };
    if (resource.Type === 'AWS::CloudWatch::Alarm') {
      let queries: Query[];
      let period: number;
      if (p.Metrics) {
        queries = (p.Metrics as Json[]).map((q) => ({
          id: q.Id,
          returnData: q.ReturnData !== false,
          expression: q.Expression ? parseExpression(q.Expression) : undefined,
          metric: q.MetricStat ? { namespace: q.MetricStat.Metric.Namespace, metricName: q.MetricStat.Metric.MetricName, dimensions: dimensionsOf(q.MetricStat.Metric.Dimensions) } : undefined,
          stat: q.MetricStat?.Stat,
        }));
        const periods = new Set((p.Metrics as Json[]).filter((q) => q.MetricStat).map((q) => seconds(q.MetricStat.Period, `${logicalId} Period`)));
        if (periods.size !== 1) throw new Error(`${logicalId}: the model evaluates one period per alarm, the metrics have ${[...periods].join(', ')}`);
        period = [...periods][0];
        if (queries.filter((q) => q.returnData).length !== 1) throw new Error(`${logicalId}: an alarm returns exactly one query`);
      } else {
        period = seconds(p.Period, `${logicalId} Period`);
        queries = [{ id: 'm', returnData: true, metric: { namespace: p.Namespace, metricName: p.MetricName, dimensions: dimensionsOf(p.Dimensions) }, stat: p.Statistic ?? p.ExtendedStatistic }];
      }
      const evaluationPeriods = Number(p.EvaluationPeriods);
      const periodMinutes = minutesOf(period, `${logicalId} Period`);
      // PutMetricAlarm's limits: the model refuses what CloudWatch refuses.
      if (period * evaluationPeriods > (period < 3600 ? 86400 : 604800)) throw new Error(`${logicalId}: Period × EvaluationPeriods exceeds CloudWatch's limit`);
      metric.push({
        ...common,
        insufficientDataActions: p.InsufficientDataActions ?? [],
        periodMinutes,
        evaluationPeriods,
        datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods),
        threshold: Number(p.Threshold),
        comparison: p.ComparisonOperator,
        treatMissingData: p.TreatMissingData ?? 'missing',
        queries,
      });
    } else if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
      const ruleText = resolveText(p.AlarmRule);
      composite.push({
        ...common,
        rule: parseAlarmRule(ruleText),
        ruleText,
        suppressor: p.ActionsSuppressor === undefined ? undefined : resolveText(p.ActionsSuppressor),
        // CloudFormation's defaults when a suppressor is set: 60 s each.
        waitMinutes: minutesOf(seconds(p.ActionsSuppressorWaitPeriod ?? 60, `${logicalId} wait`), `${logicalId} wait`),
        extensionMinutes: minutesOf(seconds(p.ActionsSuppressorExtensionPeriod ?? 60, `${logicalId} extension`), `${logicalId} extension`),
      });
    }
  }
  return { metric, composite };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function breaches(value: number, threshold: number, comparison: string): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: throw new Error(`ComparisonOperator ${comparison} is not modelled`);
  }
}

/** How many datapoints beyond EvaluationPeriods an alarm retrieves (its evaluation range). */
export const EXTRA_DATAPOINTS = 2;

/** The datapoints of an alarm at an evaluation: newest first, undefined where missing. */
export function datapointsOf(alarm: MetricAlarmDefinition, store: MetricStore, dataEnd: number): Array<number | undefined> {
  const n = alarm.evaluationPeriods + EXTRA_DATAPOINTS;
  const grid = Array.from({ length: n }, (_, k) => dataEnd - k * alarm.periodMinutes);
  const values = new Map<string, Value>();
  const byId = new Map(alarm.queries.map((q) => [q.id, q]));
  const valueOf = (id: string): Value => {
    const known = values.get(id);
    if (known !== undefined) return known;
    const q = byId.get(id);
    if (!q) throw new Error(`${alarm.logicalId}: expression uses unknown id ${id}`);
    let v: Value;
    if (q.metric) {
      const series = new Map<number, number>();
      for (const g of grid) {
        const s = store.statistic(q.metric, q.stat!, g - alarm.periodMinutes, g);
        if (s !== undefined) series.set(g, s);
      }
      v = series;
    } else {
      v = evaluate(q.expression!, valueOf, grid);
    }
    values.set(id, v);
    return v;
  };
  const out = valueOf(alarm.queries.find((q) => q.returnData)!.id);
  return grid.map((g) => (typeof out === 'number' ? finite(out) : out.get(g)));
}

/** The state a metric alarm evaluates to from its datapoints (newest first). */
export function evaluateDatapoints(alarm: Pick<MetricAlarmDefinition, 'evaluationPeriods' | 'datapointsToAlarm' | 'threshold' | 'comparison' | 'treatMissingData'>,
  datapoints: ReadonlyArray<number | undefined>, current: AlarmState): AlarmState {
  const n = alarm.evaluationPeriods;
  const real = datapoints.filter((d): d is number => d !== undefined);
  let evaluated: boolean[];
  if (datapoints.slice(0, n).every((d) => d !== undefined) || real.length >= n) {
    evaluated = real.slice(0, n).map((d) => breaches(d, alarm.threshold, alarm.comparison));
  } else if (real.length === 0 && (alarm.treatMissingData === 'missing' || alarm.treatMissingData === 'ignore')) {
    return alarm.treatMissingData === 'missing' ? 'INSUFFICIENT_DATA' : current;
  } else {
    evaluated = real.map((d) => breaches(d, alarm.threshold, alarm.comparison));
    if (alarm.treatMissingData === 'breaching' || alarm.treatMissingData === 'notBreaching') {
      const filler = alarm.treatMissingData === 'breaching';
      while (evaluated.length < n) evaluated.push(filler);
    }
  }
  return evaluated.filter(Boolean).length >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}

function ruleHolds(rule: RuleAst, stateOf: (alarm: string) => AlarmState): boolean {
  switch (rule.t) {
    case 'const': return rule.v;
    case 'state': return stateOf(rule.alarm) === rule.state;
    case 'not': return !ruleHolds(rule.e, stateOf);
    case 'and': return ruleHolds(rule.l, stateOf) && ruleHolds(rule.r, stateOf);
    case 'or': return ruleHolds(rule.l, stateOf) || ruleHolds(rule.r, stateOf);
  }
}

/** An action an alarm took: the notifications people get. */
export interface Notification {
  readonly minute: number;
  readonly alarm: string;
  readonly logicalId: string;
  readonly state: AlarmState;
  readonly targets: readonly unknown[];
  /** The severity its description's contract gives, if any. */
  readonly severity?: string;
}

export interface ReplayOptions {
  /** The first minute evaluated. */
  readonly from: number;
  /** The minute after the last one evaluated. */
  readonly to: number;
  /** Minutes between a sample's minute ending and CloudWatch serving it. @default 1 */
  readonly ingestionDelayMinutes?: number;
}

export interface Replay {
  /** State changes per alarm (logical id), in order. */
  readonly history: Map<string, Array<{ minute: number; state: AlarmState }>>;
  /** Every action taken, in order. */
  readonly notifications: Notification[];
}

/**
 * Runs the alarms of `template` minute by minute over the data in `store`: metric alarms first,
 * then composites (in the order their rules and suppressors need), then their actions.
 */
export function replay(template: Json, store: MetricStore, options: ReplayOptions): Replay {
  const { metric, composite } = alarmsOfTemplate(template);
  const delay = options.ingestionDelayMinutes ?? 1;
  const state = new Map<string, AlarmState>();
  const history = new Map<string, Array<{ minute: number; state: AlarmState }>>();
  const notifications: Notification[] = [];
  const byRef = new Map<string, string>();
  for (const a of [...metric, ...composite]) {
    state.set(a.logicalId, 'INSUFFICIENT_DATA');
    history.set(a.logicalId, []);
    byRef.set(`${ARN_PREFIX}${a.logicalId}`, a.logicalId);
    byRef.set(a.name, a.logicalId);
  }
  const idOf = (ref: string) => {
    const id = byRef.get(ref);
    if (!id) throw new Error(`alarm ${ref} is not in the template`);
    return id;
  };
  // Composites in dependency order (a rule or suppressor naming another composite comes after it).
  const deps = (c: CompositeAlarmDefinition): string[] => {
    const out: string[] = [];
    const walk = (r: RuleAst) => {
      if (r.t === 'state') out.push(idOf(r.alarm));
      else if (r.t === 'not') walk(r.e);
      else if (r.t === 'and' || r.t === 'or') { walk(r.l); walk(r.r); }
    };
    walk(c.rule);
    if (c.suppressor) out.push(idOf(c.suppressor));
    return out;
  };
  const ordered: CompositeAlarmDefinition[] = [];
  const pending = [...composite];
  while (pending.length) {
    const ready = pending.findIndex((c) => deps(c).every((d) => !pending.some((p) => p.logicalId === d)));
    if (ready < 0) throw new Error('composite alarms depend on each other in a cycle');
    ordered.push(...pending.splice(ready, 1));
  }
  const severityOf = (description?: string) => parseAlarmContract(description).severity;
  const act = (minute: number, a: { name: string; logicalId: string; description?: string; actionsEnabled: boolean }, s: AlarmState, targets: readonly unknown[]) => {
    if (a.actionsEnabled && targets.length > 0) notifications.push({ minute, alarm: a.name, logicalId: a.logicalId, state: s, targets, severity: severityOf(a.description) });
  };
  // Per composite: the state it last acted on, when it entered ALARM, when its suppressor left ALARM.
  const acted = new Map<string, AlarmState>();
  const enteredAlarm = new Map<string, number>();
  const suppressorLeft = new Map<string, number>();

  for (let minute = options.from; minute < options.to; minute++) {
    const dataEnd = minute - delay;
    for (const a of metric) {
      const before = state.get(a.logicalId)!;
      const after = evaluateDatapoints(a, datapointsOf(a, store, dataEnd), before);
      if (after === before) continue;
      state.set(a.logicalId, after);
      history.get(a.logicalId)!.push({ minute, state: after });
      act(minute, a, after, after === 'ALARM' ? a.alarmActions : after === 'OK' ? a.okActions : a.insufficientDataActions);
    }
    for (const c of ordered) {
      const before = state.get(c.logicalId)!;
      const after: AlarmState = ruleHolds(c.rule, (ref) => state.get(idOf(ref))!) ? 'ALARM' : 'OK';
      if (after !== before) {
        state.set(c.logicalId, after);
        history.get(c.logicalId)!.push({ minute, state: after });
        if (after === 'ALARM') enteredAlarm.set(c.logicalId, minute);
      }
      if (c.suppressor) {
        const sup = idOf(c.suppressor);
        const supHistory = history.get(sup)!;
        const last = supHistory[supHistory.length - 1];
        if (last && last.minute === minute && last.state !== 'ALARM' && supHistory.length > 1 && supHistory[supHistory.length - 2].state === 'ALARM') suppressorLeft.set(c.logicalId, minute);
      }
      const now = state.get(c.logicalId)!;
      if (!acted.has(c.logicalId)) {
        // The first evaluation after creation acts on the state it finds.
        acted.set(c.logicalId, now);
        act(minute, c, now, now === 'ALARM' ? c.alarmActions : c.okActions);
        continue;
      }
      if (acted.get(c.logicalId) === now) continue;
      if (c.suppressor) {
        const supState = state.get(idOf(c.suppressor));
        const left = suppressorLeft.get(c.logicalId);
        const inExtension = left !== undefined && minute < left + c.extensionMinutes;
        const waiting = now === 'ALARM' && minute < enteredAlarm.get(c.logicalId)! + c.waitMinutes;
        if (supState === 'ALARM' || inExtension || waiting) continue;
      }
      acted.set(c.logicalId, now);
      act(minute, c, now, now === 'ALARM' ? c.alarmActions : c.okActions);
    }
  }
  return { history, notifications };
}
