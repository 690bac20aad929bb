// ServiceLevelObjective: an SLO over CloudWatch metrics, its error budget, and multiwindow,
// multi-burn-rate alerts that are born with a severity, a runbook and a first move: each alert is a
// RunbookCompositeAlarm (pages SEV2 by default, tickets SEV4) over two metric-math alarms, a long
// window and a short one, which have no actions of their own. The arithmetic is lib/slo/objective.ts.
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SLO_METADATA } from '../core/names';
import { Route, Severity } from '../core/severity';
import {
  BurnRateTier, DAY, IndicatorForm, SloRecord, SloTierRecord, burnFactorOf, burnRateExpression, defaultBurnRateTiers, errorBudgetOf, periodProblems,
  remainingBudgetExpression, suppressionOrder, targetProblems, tierProblems, windowLabel,
} from '../slo/objective';
import { IAlertRouting } from './alert-routing';
import { BurnRateAlertAlarms, burnRateAlertAlarms } from './private/burn-rate-alarms';
import { Runbook } from './runbook';
import { RunbookCompositeAlarm } from './runbook-composite-alarm';
import { SloIndicator } from './slo-indicator';

/** Props of {@link BurnRateAlert.page} and {@link BurnRateAlert.ticket}. */
export interface BurnRateAlertProps {
  /** The alert's name; it ends its alarm names (`<sloName>/<name>`). Letters and digits. */
  readonly name: string;
  /**
   * How many times faster than the budget allows the budget burns: 1 spends exactly the budget over
   * the period; 14.4 spends 2 % of a 30-day budget in an hour.
   */
  readonly burnRate: number;
  /** The window the burn rate is measured over (at most 7 days, CloudWatch's limit). */
  readonly longWindow: Duration;
  /** A shorter window that must burn as fast too, so the alert clears soon after recovery. A twelfth of longWindow is usual. */
  readonly shortWindow: Duration;
}

/** One burn-rate alert of a ServiceLevelObjective: a page or a ticket. */
export class BurnRateAlert {
  /** An alert that pages (the SLO's pageSeverity, SEV2 by default): it fires when the budget burns at least at burnRate. */
  public static page(props: BurnRateAlertProps): BurnRateAlert {
    return new BurnRateAlert(Route.PAGE, props);
  }

  /** An alert that opens a ticket (the SLO's ticketSeverity, SEV4 by default): it fires when the budget burns faster than burnRate. */
  public static ticket(props: BurnRateAlertProps): BurnRateAlert {
    return new BurnRateAlert(Route.TICKET, props);
  }

  /** `page` or `ticket`. */
  public readonly route: Route;
  public readonly name: string;
  public readonly burnRate: number;
  public readonly longWindow: Duration;
  public readonly shortWindow: Duration;

  private constructor(route: Route, props: BurnRateAlertProps) {
    this.route = route;
    this.name = props.name;
    this.burnRate = props.burnRate;
    this.longWindow = props.longWindow;
    this.shortWindow = props.shortWindow;
  }
}

/** Props of {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps {
  /** What is measured: `SloIndicator.availability({ badEvents, validEvents })` or `SloIndicator.latency({ metric, threshold })`. */
  readonly indicator: SloIndicator;
  /** The objective in percent of good events, e.g. 99.9. */
  readonly target: number;
  /** The period the error budget is counted over: a whole number of days. @default Duration.days(30) */
  readonly period?: Duration;
  /**
   * The procedure for the pages. Required: a page cannot be built without one (the alerts that
   * page use it; its first move and owner become theirs).
   */
  readonly runbook?: Runbook;
  /**
   * The SLO's name, shown in the CLI and starting its alarm names (`<sloName>/FastBurn`).
   * @default - the construct path, e.g. `Payments/WebhookAvailability`
   */
  readonly sloName?: string;
  /** What the SLO promises, in words ("Payment webhooks are processed"), for the alert summaries. @default - the SLO's name */
  readonly description?: string;
  /** Severity of the alerts that page: SEV1 or SEV2. @default Severity.SEV2 */
  readonly pageSeverity?: Severity;
  /** Severity of the alerts that open tickets: SEV3 or SEV4. @default Severity.SEV4 */
  readonly ticketSeverity?: Severity;
  /** A procedure for the tickets. @default - none: tickets carry the ticketFirstMove and the owner */
  readonly ticketRunbook?: Runbook;
  /** What to do first when paged. @default - the runbook's first move */
  readonly firstMove?: string;
  /**
   * What to do first on a ticket.
   * @default - "Find which requests burn the error budget and plan the fix before it is spent" (or the ticketRunbook's first move)
   */
  readonly ticketFirstMove?: string;
  /** The owning team. @default - the runbook's owner */
  readonly owner?: string;
  /** A dashboard URL for the alerts. @default - none */
  readonly dashboardUrl?: string;
  /** Wires the alerts' actions by severity (pages to the page topic, tickets to the ticket topic). @default - no actions */
  readonly routing?: IAlertRouting;
  /**
   * The burn-rate alerts, each a long and a short window. Faster alerts suppress slower ones while
   * they fire (pages before tickets).
   * @default - page at 2 % of the budget in 1 h (and 5 min), page at 5 % in 6 h (and 30 min),
   * ticket above 1× over 3 days (and 6 h): 14.4×, 6× and 1× for a 30-day period
   */
  readonly alerts?: BurnRateAlert[];
}

/** Options of the dashboard widgets an SLO offers. */
export interface SloWidgetOptions {
  /** @default - the SLO's name and what the widget shows */
  readonly title?: string;
  /** Width in grid units (24 across). @default 6 */
  readonly width?: number;
  /** Height in grid units. @default 6 */
  readonly height?: number;
}

const DEFAULT_TICKET_FIRST_MOVE = 'Find which requests burn the error budget and plan the fix before it is spent';
/** How long a slower alert waits for a faster one to fire before acting (composite alarm action suppression). */
const SUPPRESSOR_WAIT = Duration.minutes(1);

/**
 * A service level objective over CloudWatch metrics, with multiwindow, multi-burn-rate alerts that
 * carry a severity, a runbook and a first move, and its error budget for dashboards and for
 * `runbook-alarms budget`.
 *
 * Each alert is a {@link RunbookCompositeAlarm}: ALARM when both its long-window and short-window
 * burn-rate alarms are. Those are metric-math alarms with no actions (SEV4, internal): they never
 * page anyone. A slower alert's actions are suppressed while the next faster one is in ALARM, and
 * for its own short window after (so a recovering incident does not page twice).
 */
export class ServiceLevelObjective extends Construct {
  /** The SLO's name (it starts every alarm name of the SLO). */
  public readonly sloName: string;
  /** The objective in percent. */
  public readonly target: number;
  /** The period the error budget is counted over. */
  public readonly period: Duration;
  /** The error budget as a fraction of events (0.001 for 99.9 %). */
  public readonly errorBudget: number;
  /** The alerts, fastest first: the composite alarms that page or open tickets. */
  public readonly alerts: RunbookCompositeAlarm[];

  private readonly form: IndicatorForm;
  private readonly metrics: Record<string, cloudwatch.IMetric>;
  private readonly tiers: BurnRateTier[];

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    const where = `ServiceLevelObjective '${this.node.path}'`;
    const period = props.period ?? Duration.days(30);
    const periodSeconds = period.toSeconds();
    const problems = [...targetProblems(props.target), ...periodProblems(periodSeconds)];
    const pageSeverity = props.pageSeverity ?? Severity.SEV2;
    const ticketSeverity = props.ticketSeverity ?? Severity.SEV4;
    if (pageSeverity !== Severity.SEV1 && pageSeverity !== Severity.SEV2) problems.push(`pageSeverity must be Severity.SEV1 or SEV2 (a page), got ${pageSeverity}`);
    if (ticketSeverity !== Severity.SEV3 && ticketSeverity !== Severity.SEV4) problems.push(`ticketSeverity must be Severity.SEV3 or SEV4 (not a page), got ${ticketSeverity}`);
    const sloName = props.sloName ?? this.node.path;
    if (Token.isUnresolved(sloName) || !/^[\x20-\x7e]{1,200}$/.test(sloName)) {
      problems.push(`sloName must be 1 to 200 printable ASCII characters, known at synth (it starts the alarm names), got "${sloName}"`);
    }
    const tiers = props.alerts === undefined
      ? defaultBurnRateTiers(periodSeconds / DAY)
      : props.alerts.map((a) => ({ name: a.name, route: a.route, burnRate: a.burnRate, longWindowSeconds: a.longWindow.toSeconds(), shortWindowSeconds: a.shortWindow.toSeconds() }));
    if (problems.length === 0) problems.push(...tierProblems(tiers, props.target, periodSeconds));
    if (problems.length > 0) {
      throw new Error(`${where}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
    }
    const ordered = suppressionOrder(tiers);
    const pages = ordered.filter((t) => t.route === Route.PAGE);
    if (pages.length > 0 && !props.runbook) {
      throw new Error(
        `${where} pages (its ${pages.map((t) => t.name).join(' and ')} alert${pages.length > 1 ? 's are' : ' is'} ${pageSeverity}) and has no runbook: ` +
          "pass runbook: Runbook.fromFile('runbooks/<scenario>.md') or Runbook.fromUrl('https://...'). An alert without a runbook is noise.",
      );
    }
    const indicator = props.indicator._bind(`${where}: indicator`);

    this.sloName = sloName;
    this.target = props.target;
    this.period = period;
    this.errorBudget = errorBudgetOf(props.target);
    this.form = indicator.form;
    this.metrics = indicator.metrics;
    this.tiers = ordered;

    const built: BurnRateAlertAlarms[] = [];
    for (const tier of ordered) {
      const isPage = tier.route === Route.PAGE;
      built.push(burnRateAlertAlarms(this, {
        sloName,
        description: props.description ?? sloName,
        target: props.target,
        periodSeconds,
        tier,
        burnRate: (seconds) => this.burnRateMetric(Duration.seconds(seconds)),
        severity: isPage ? pageSeverity : ticketSeverity,
        runbook: isPage ? props.runbook : props.ticketRunbook,
        firstMove: isPage ? props.firstMove : props.ticketFirstMove ?? (props.ticketRunbook ? undefined : DEFAULT_TICKET_FIRST_MOVE),
        owner: props.owner ?? props.runbook?.owner,
        dashboardUrl: props.dashboardUrl,
        routing: props.routing,
        suppressor: built[built.length - 1]?.alert,
        suppressorWait: SUPPRESSOR_WAIT,
      }));
    }
    this.alerts = built.map((b) => b.alert);

    const record: SloRecord = {
      version: 1,
      name: sloName,
      description: props.description,
      targetPercent: props.target,
      periodDays: periodSeconds / DAY,
      form: this.form,
      latencyThreshold: indicator.latencyThreshold,
      indicatorAlarmName: built[0].longAlarmName,
      tiers: built.map((b, i): SloTierRecord => ({
        name: ordered[i].name,
        route: ordered[i].route,
        severity: b.alert.severity,
        burnRate: ordered[i].burnRate,
        longWindowSeconds: ordered[i].longWindowSeconds,
        shortWindowSeconds: ordered[i].shortWindowSeconds,
        alarmName: b.alertName,
        longAlarmName: b.longAlarmName,
        shortAlarmName: b.shortAlarmName,
      })),
    };
    // `runbook-alarms budget` finds the SLO in the cloud assembly by this record.
    this.node.addMetadata(SLO_METADATA, record);
  }

  /** The burn rate over a window: 1 spends exactly the budget over the period. */
  public burnRateMetric(window: Duration): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: burnRateExpression(this.form, burnFactorOf(this.target)),
      usingMetrics: this.metrics,
      period: window,
      label: `${this.sloName} burn rate (${windowLabel(window.toSeconds())})`,
    });
  }

  /** The error budget left, in percent, over the period ending at each datapoint (negative when overspent). */
  public remainingBudgetMetric(): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: remainingBudgetExpression(this.form, burnFactorOf(this.target)),
      usingMetrics: this.metrics,
      period: this.period,
      label: `${this.sloName} error budget left (%)`,
    });
  }

  /** A single-value widget: the error budget left over the last period, for the team's dashboard. */
  public errorBudgetWidget(options: SloWidgetOptions = {}): cloudwatch.SingleValueWidget {
    return new cloudwatch.SingleValueWidget({
      title: options.title ?? `${this.sloName}: error budget left (${this.target} % over ${this.period.toDays()} days)`,
      metrics: [this.remainingBudgetMetric()],
      setPeriodToTimeRange: true,
      start: `-P${this.period.toDays()}D`,
      width: options.width ?? 6,
      height: options.height ?? 6,
    });
  }

  /** A graph of the burn rate per hour over the last 7 days, with each alert's rate marked. */
  public burnRateWidget(options: SloWidgetOptions = {}): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({
      title: options.title ?? `${this.sloName}: burn rate`,
      left: [this.burnRateMetric(Duration.hours(1))],
      leftAnnotations: this.tiers.map((t) => ({ value: t.burnRate, label: `${t.name} ${t.burnRate}× over ${windowLabel(t.longWindowSeconds)}` })),
      leftYAxis: { min: 0, showUnits: false },
      start: '-P7D',
      width: options.width ?? 12,
      height: options.height ?? 6,
    });
  }
}
