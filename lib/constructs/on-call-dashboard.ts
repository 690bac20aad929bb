// OnCallDashboard: on-call health at a glance in CloudWatch, from the metrics the SlackNotifier's
// functions already emit (Embedded Metric Format: MTTA, MTTR and Incidents per severity), no new
// data path: MTTA and MTTR p50 and p90 per severity against the response targets, pages per day,
// and pages per 12 hours against the limit of 2 (docs/on-call-health.md).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/shared/metrics';
import { SEVERITIES, Severity, isPageSeverity } from '../core/severity';
import { SlackNotifier } from './slack-notifier';

/** Props of {@link OnCallDashboard}. */
export interface OnCallDashboardProps {
  /**
   * The notifier whose functions emit the metrics (Slack app mode; MTTA needs its `escalation`,
   * which adds the Acknowledge button).
   * @default - the metrics of `metricsNamespace`
   */
  readonly notifier?: SlackNotifier;
  /** The namespace of the metrics, when no notifier is given (its `escalation.metricsNamespace`). @default 'RunbookAlarms' */
  readonly metricsNamespace?: string;
  /** The dashboard's name. @default - a name CloudFormation generates */
  readonly dashboardName?: string;
  /** The severities whose times are drawn. @default [Severity.SEV1, Severity.SEV2] */
  readonly severities?: Severity[];
  /** How far back the graphs reach when the dashboard opens. @default Duration.days(30) */
  readonly timeRange?: Duration;
  /** Pages one person can take in a 12-hour shift, drawn on the pages graph. @default 2 */
  readonly pagesPerShiftLimit?: number;
}

/** The response targets drawn on the MTTA graph, in minutes. */
const TARGET_MINUTES: Partial<Record<Severity, number>> = { [Severity.SEV1]: 5, [Severity.SEV2]: 30 };
const COLORS: Record<Severity, string> = { [Severity.SEV1]: '#c62828', [Severity.SEV2]: '#ef6c00', [Severity.SEV3]: '#1565c0', [Severity.SEV4]: '#6a1b9a' };

/**
 * A CloudWatch dashboard of on-call health: MTTA and MTTR (p50 and p90) per severity against the
 * response targets, pages per day, and pages per 12 hours against the limit, from the metrics the
 * SlackNotifier's functions emit.
 */
export class OnCallDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OnCallDashboardProps = {}) {
    super(scope, id);
    const where = this.node.path;
    const severities = props.severities ?? [Severity.SEV1, Severity.SEV2];
    if (severities.length === 0) throw new Error(`OnCallDashboard '${where}': severities is empty; give at least one (default: SEV1 and SEV2)`);
    for (const s of severities) {
      if (!SEVERITIES.includes(s)) throw new Error(`OnCallDashboard '${where}': severities: "${s}" is not one of Severity.SEV1, SEV2, SEV3, SEV4`);
    }
    const limit = props.pagesPerShiftLimit ?? 2;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`OnCallDashboard '${where}': pagesPerShiftLimit must be a whole number ≥ 1 (got ${limit})`);
    if (props.notifier && props.metricsNamespace !== undefined) {
      throw new Error(`OnCallDashboard '${where}': give notifier or metricsNamespace, not both (the notifier knows its namespace)`);
    }
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    const metric = (name: 'MTTA' | 'MTTR' | 'Incidents', severity: Severity, statistic: string, period: Duration): cloudwatch.Metric => {
      const options = { statistic, period };
      if (props.notifier) {
        if (name === 'MTTA') return props.notifier.metricTimeToAcknowledge(severity, options);
        if (name === 'MTTR') return props.notifier.metricTimeToResolve(severity, options);
        return props.notifier.metricIncidents(severity, options);
      }
      return new cloudwatch.Metric({
        namespace, metricName: name, dimensionsMap: { Severity: severity }, statistic, period,
        unit: name === 'Incidents' ? cloudwatch.Unit.COUNT : cloudwatch.Unit.SECONDS,
      });
    };

    // Times in minutes: p50 solid, p90 its lighter twin; one line each per severity.
    const times = (name: 'MTTA' | 'MTTR'): cloudwatch.IMetric[] => severities.flatMap((s, i) => (['p50', 'p90'] as const).map((stat) =>
      new cloudwatch.MathExpression({
        expression: `m${i}${stat} / 60`,
        usingMetrics: { [`m${i}${stat}`]: metric(name, s, stat, Duration.days(1)) },
        label: `${s} ${stat} (min)`,
        period: Duration.days(1),
        color: stat === 'p50' ? COLORS[s] : lighter(COLORS[s]),
      })));
    const pageSeverities = SEVERITIES.filter((s) => isPageSeverity(s));
    const pages = (period: Duration, label: string) => new cloudwatch.MathExpression({
      expression: pageSeverities.map((_, i) => `FILL(p${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(pageSeverities.map((s, i) => [`p${i}`, metric('Incidents', s, 'Sum', period)])),
      label,
      period,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: props.timeRange ?? Duration.days(30),
    });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: '## On-call health\n' +
        'Response targets: SEV1 acknowledged within 5 min, SEV2 within 30 min, SEV3 in business hours, SEV4 the next business day. ' +
        `At most ${limit} pages per 12-hour shift (each takes about 6 hours of follow-up). ` +
        'Medians and p90, not means: a few long incidents drag a mean. The report behind these numbers: `npx runbook-alarms report`.',
      width: 24,
      height: 2,
    }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Time to acknowledge (MTTA), p50 and p90 per day, minutes',
        left: times('MTTA'),
        leftYAxis: { min: 0, showUnits: false, label: 'minutes' },
        leftAnnotations: severities.filter((s) => TARGET_MINUTES[s] !== undefined)
          .map((s) => ({ value: TARGET_MINUTES[s]!, label: `${s} target ${TARGET_MINUTES[s]} min`, color: COLORS[s] })),
        width: 12,
        height: 7,
      }),
      new cloudwatch.GraphWidget({
        title: 'Time to resolve (MTTR), p50 and p90 per day, minutes',
        left: times('MTTR'),
        leftYAxis: { min: 0, showUnits: false, label: 'minutes' },
        width: 12,
        height: 7,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Incidents per day, by severity',
        left: SEVERITIES.map((s) => metric('Incidents', s, 'Sum', Duration.days(1)).with({ label: s, color: COLORS[s] })),
        stacked: true,
        view: cloudwatch.GraphWidgetView.TIME_SERIES,
        leftYAxis: { min: 0, showUnits: false },
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Pages per day (SEV1 + SEV2)',
        left: [pages(Duration.days(1), 'pages per day')],
        leftYAxis: { min: 0, showUnits: false },
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: `Pages per 12 hours (limit ${limit} per shift)`,
        left: [pages(Duration.hours(12), 'pages per 12 hours')],
        leftYAxis: { min: 0, showUnits: false },
        leftAnnotations: [{ value: limit, label: `limit ${limit}`, color: '#c62828' }],
        width: 8,
        height: 6,
      }),
    );
  }
}

/** The same hue, lighter (for the p90 line beside the p50). */
function lighter(hex: string): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).map((v) => Math.round(v + (255 - v) * 0.45));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
