// SloIndicator: what a ServiceLevelObjective measures, as CloudWatch metrics: availability from two
// of good, bad and valid event counts, or latency as the share of requests under a threshold.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IndicatorForm } from '../slo/objective';

/** Props of {@link SloIndicator.availability}: give two of the three counts. */
export interface SloAvailabilityProps {
  /**
   * Events that count against the objective (5XX responses, failed jobs), with statistic `Sum`.
   * @default - validEvents minus goodEvents
   */
  readonly badEvents?: cloudwatch.IMetric;
  /** Events that met the objective, with statistic `Sum`. @default - validEvents minus badEvents */
  readonly goodEvents?: cloudwatch.IMetric;
  /** Every event the objective is about (requests, jobs), with statistic `Sum` or `SampleCount`. @default - goodEvents plus badEvents */
  readonly validEvents?: cloudwatch.IMetric;
}

/** Props of {@link SloIndicator.latency}. */
export interface SloLatencyProps {
  /**
   * A latency metric with one sample per request (ALB `TargetResponseTime`, API Gateway `Latency`,
   * your own). Its statistic is replaced by the percentile rank `PR(:threshold)`, the percentage of
   * requests at or under the threshold, so it must be a metric, not a math expression.
   */
  readonly metric: cloudwatch.Metric;
  /** The latency a good request stays at or under, in the metric's unit (ALB: seconds; API Gateway: milliseconds). */
  readonly threshold: number;
}

/** What an indicator turns into once checked: the metric ids of its expression and their metrics. */
export interface BoundIndicator {
  readonly form: IndicatorForm;
  readonly metrics: Record<string, cloudwatch.IMetric>;
  readonly latencyThreshold?: number;
}

const COUNT_STATISTICS = ['sum', 'samplecount'];

/** What a ServiceLevelObjective measures. */
export class SloIndicator {
  /**
   * Availability: the share of events that are good. Give two of badEvents, goodEvents and
   * validEvents (counts, statistic `Sum`); the third follows from them.
   */
  public static availability(props: SloAvailabilityProps): SloIndicator {
    return new SloIndicator('availability', props, undefined);
  }

  /**
   * Latency: the share of requests at or under `threshold`, from CloudWatch's percentile rank
   * statistic (`PR(:threshold)`) of the latency metric.
   */
  public static latency(props: SloLatencyProps): SloIndicator {
    return new SloIndicator('latency', undefined, props);
  }

  /** `availability` or `latency`. */
  public readonly kind: string;

  private constructor(kind: string, private readonly availabilityProps?: SloAvailabilityProps, private readonly latencyProps?: SloLatencyProps) {
    this.kind = kind;
  }

  /**
   * Checks the indicator and returns its metrics by expression id. `where` names the construct
   * for errors, which list every problem at once.
   * @internal
   */
  public _bind(where: string): BoundIndicator {
    const problems: string[] = [];
    let bound: BoundIndicator | undefined;
    if (this.availabilityProps) {
      const p = this.availabilityProps;
      const given = (['badEvents', 'goodEvents', 'validEvents'] as const).filter((k) => p[k] !== undefined);
      if (given.length !== 2) {
        problems.push(`SloIndicator.availability needs two of badEvents, goodEvents and validEvents (the third follows), got ${given.length === 0 ? 'none' : given.join(' and ')}`);
      }
      for (const k of given) problems.push(...statisticProblems(k, p[k]!));
      if (problems.length === 0) {
        const form = p.badEvents && p.validEvents ? IndicatorForm.BAD_OF_VALID : p.goodEvents && p.validEvents ? IndicatorForm.GOOD_OF_VALID : IndicatorForm.GOOD_AND_BAD;
        const metrics: Record<string, cloudwatch.IMetric> = {};
        if (p.badEvents) metrics.bad = p.badEvents;
        if (p.goodEvents) metrics.good = p.goodEvents;
        if (p.validEvents) metrics.valid = p.validEvents;
        bound = { form, metrics };
      }
    } else {
      const p = this.latencyProps!;
      if (!(p.metric instanceof cloudwatch.Metric)) problems.push('SloIndicator.latency metric must be a cloudwatch.Metric (its statistic becomes PR(:threshold)), not a math expression');
      if (typeof p.threshold !== 'number' || !Number.isFinite(p.threshold) || p.threshold <= 0) {
        problems.push(`SloIndicator.latency threshold must be a number above 0 in the metric's unit, got ${String(p.threshold)}`);
      }
      if (problems.length === 0) {
        bound = { form: IndicatorForm.LATENCY, metrics: { fast: p.metric.with({ statistic: cloudwatch.Stats.percentileRank(p.threshold) }) }, latencyThreshold: p.threshold };
      }
    }
    if (problems.length > 0 || !bound) {
      throw new Error(`${where}: ${problems.length === 1 ? problems[0] : `${problems.length} problems with the indicator:\n  ${problems.join('\n  ')}`}`);
    }
    return bound;
  }
}

/** A count read with Average or p99 is not a count: the error ratio would be meaningless. */
function statisticProblems(prop: string, metric: cloudwatch.IMetric): string[] {
  const stat = metric.toMetricConfig().metricStat?.statistic;
  if (stat === undefined || COUNT_STATISTICS.includes(stat.toLowerCase())) return [];
  return [`SloIndicator.availability ${prop} uses the statistic ${stat}; event counts need Sum (metric.with({ statistic: 'Sum' }))`];
}
