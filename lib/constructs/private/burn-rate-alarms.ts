// The alarms of one burn-rate alert of a ServiceLevelObjective: two metric-math alarms (the long and
// the short window) with no actions, and the RunbookCompositeAlarm over them that carries the
// contract and the routing, its actions suppressed while the next faster alert fires.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Route, Severity } from '../../core/severity';
import { BurnRateTier, DAY, HOUR, rateLabel, tierComparison, windowLabel, windowSuffix } from '../../slo/objective';
import { IAlertRouting } from '../alert-routing';
import { Runbook } from '../runbook';
import { RunbookAlarm } from '../runbook-alarm';
import { RunbookCompositeAlarm } from '../runbook-composite-alarm';

export interface BurnRateAlertAlarmsProps {
  readonly sloName: string;
  readonly description: string;
  readonly target: number;
  readonly periodSeconds: number;
  readonly tier: BurnRateTier;
  /** The burn-rate metric over a window. */
  readonly burnRate: (windowSeconds: number) => cloudwatch.IMetric;
  readonly severity: Severity;
  readonly runbook?: Runbook;
  readonly firstMove?: string;
  readonly owner?: string;
  readonly dashboardUrl?: string;
  readonly routing?: IAlertRouting;
  /** The next faster alert: this one's actions wait while it is in ALARM. */
  readonly suppressor?: RunbookCompositeAlarm;
  readonly suppressorWait: Duration;
}

export interface BurnRateAlertAlarms {
  readonly alert: RunbookCompositeAlarm;
  readonly alertName: string;
  readonly longAlarmName: string;
  readonly shortAlarmName: string;
}

/** `2.1 days`, `50 h`: how long a whole period's budget lasts at a burn rate. */
function lastsFor(periodSeconds: number, rate: number): string {
  const seconds = periodSeconds / rate;
  return seconds < 2 * DAY ? `${Math.round(seconds / HOUR)} h` : `${Number((seconds / DAY).toFixed(1))} days`;
}

/** `2 %`: the share of the period's budget a tier's rate spends in its long window. */
function shareOf(tier: BurnRateTier, periodSeconds: number): string {
  return `${Number(((100 * tier.burnRate * tier.longWindowSeconds) / periodSeconds).toPrecision(3))} %`;
}

export function burnRateAlertAlarms(scope: Construct, props: BurnRateAlertAlarmsProps): BurnRateAlertAlarms {
  const { tier } = props;
  const isPage = tier.route === Route.PAGE;
  const alertName = `${props.sloName}/${tier.name}`;
  const comparison = tierComparison(tier);
  const orMore = comparison === 'GreaterThanOrEqualToThreshold';
  // `14.4× or more` for pages, `above 1×` for tickets: the comparison each uses.
  const rate = (what: string) => (orMore ? `${what} ${rateLabel(tier.burnRate)} or more` : `${what} above ${rateLabel(tier.burnRate)}`);
  const windows = [['Long', tier.longWindowSeconds], ['Short', tier.shortWindowSeconds]] as const;
  const [long, short] = windows.map(([which, seconds]) => new RunbookAlarm(scope, `${tier.name}${which}`, {
    alarmName: `${alertName}/${windowSuffix(seconds)}`,
    // Internal: no routing, so no actions. The composite alarm is what reaches people.
    severity: Severity.SEV4,
    summary: `${props.sloName}: ${rate(`burn rate over ${windowLabel(seconds)} is`)}. ` +
      `Internal: one of the two windows of the ${tier.name} alert (${alertName}), which ${isPage ? 'pages' : 'opens a ticket'}; this alarm has no actions.`,
    owner: props.owner,
    metric: props.burnRate(seconds),
    threshold: tier.burnRate,
    comparisonOperator: comparison === 'GreaterThanOrEqualToThreshold'
      ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    // The window is one alarm period, evaluated as one datapoint every minute (a sliding window).
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // No valid events in a window means no traffic: nothing burns the budget.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }));

  const budget = `the error budget (${props.target} % over ${props.periodSeconds / DAY} days)`;
  const summary = isPage
    ? `${props.description}: ${rate(`${budget} is burning at`)} over the last ${windowLabel(tier.longWindowSeconds)} ` +
      `and the last ${windowLabel(tier.shortWindowSeconds)}: ${shareOf(tier, props.periodSeconds)} of it in ${windowLabel(tier.longWindowSeconds)}; ` +
      `at this rate all of it is gone in ${lastsFor(props.periodSeconds, tier.burnRate)}.`
    : `${props.description}: ${budget} burned faster than ${rateLabel(tier.burnRate)} over the last ${windowLabel(tier.longWindowSeconds)} ` +
      `and the last ${windowLabel(tier.shortWindowSeconds)}; at this pace it runs out before the period ends.`;
  const alert = new RunbookCompositeAlarm(scope, tier.name, {
    compositeAlarmName: alertName,
    alarmRule: cloudwatch.AlarmRule.allOf(
      cloudwatch.AlarmRule.fromAlarm(long, cloudwatch.AlarmState.ALARM),
      cloudwatch.AlarmRule.fromAlarm(short, cloudwatch.AlarmState.ALARM),
    ),
    severity: props.severity,
    runbook: props.runbook,
    summary,
    firstMove: props.firstMove,
    owner: props.owner,
    dashboardUrl: props.dashboardUrl,
    routing: props.routing,
    // While a faster alert fires, this one stays quiet; after it clears, this one waits its own short
    // window, by which time a recovered incident no longer burns fast over that window either.
    ...(props.suppressor ? {
      actionsSuppressor: props.suppressor,
      actionsSuppressorWaitPeriod: props.suppressorWait,
      actionsSuppressorExtensionPeriod: Duration.seconds(tier.shortWindowSeconds),
    } : {}),
  });
  return { alert, alertName, longAlarmName: `${alertName}/${windowSuffix(tier.longWindowSeconds)}`, shortAlarmName: `${alertName}/${windowSuffix(tier.shortWindowSeconds)}` };
}
