// cdk-runbook-alarms: every page carries a severity, a runbook and a first move.
// The public API is docs/design/public-api.md and the types its signatures need; package.json's `exports` map keeps
// everything else internal. Each name is one hop from its home, whose folder is its layer.

// The domain: severities and routes (lib/core).
export { Severity, Route } from './core/severity';

// The alarm contract codec (lib/core/contract.ts).
export { AlarmContractCodec, AlarmContractTooLongError, parseAlarmContract, renderAlarmContract } from './core/contract';
export type { AlarmContract, AlarmContractProps } from './core/contract';

// Constructs (lib/constructs).
export { Runbook, RunbookError } from './constructs/runbook';
export type { RunbookBinding, RunbookFileOptions, RunbookUrlOptions } from './constructs/runbook';
export { RunbookAlarm } from './constructs/runbook-alarm';
export type { RunbookAlarmProps } from './constructs/runbook-alarm';
export { RunbookCompositeAlarm } from './constructs/runbook-composite-alarm';
export type { RunbookCompositeAlarmProps } from './constructs/runbook-composite-alarm';
export type { IRunbookAlarm, RunbookAlarmContractProps } from './constructs/runbook-alarm-contract';
export { ServiceLevelObjective, BurnRateAlert } from './constructs/service-level-objective';
export type { BurnRateAlertProps, ServiceLevelObjectiveProps, SloWidgetOptions } from './constructs/service-level-objective';
export { SloIndicator } from './constructs/slo-indicator';
export type { SloAvailabilityProps, SloLatencyProps } from './constructs/slo-indicator';
export { AlertRouting } from './constructs/alert-routing';
export type { AlertRoutingProps, IAlertRouting } from './constructs/alert-routing';
export { EscalationPolicyError } from './policy/policy';
export type { EscalationContact, EscalationPolicy, EscalationPolicyProblem, SeverityRouting } from './policy/policy';
export type { EscalationSteps } from './notification/escalation';
export { RunbookAlarmActionStrategy } from './constructs/runbook-alarm-action-strategy';
export type { MonitoringAlarmActionProps } from './constructs/runbook-alarm-action-strategy';
export { SlackNotifier } from './constructs/slack-notifier';
export type { AlarmEventsProps, RouteChannel, SeverityChannel, SeverityWebhook, SlackAppProps, SlackEscalationProps, SlackNotifierProps, SlackPostmortemProps } from './constructs/slack-notifier';
export { OnCallDashboard } from './constructs/on-call-dashboard';
export type { OnCallDashboardProps } from './constructs/on-call-dashboard';

// The synth gate (lib/checks).
export { RunbookPolicy } from './checks/runbook-policy';
export type { RunbookPolicyProps } from './checks/runbook-policy';
export { IncidentReadinessChecks } from './checks/incident-readiness-checks';
export type { IncidentReadinessChecksProps } from './checks/incident-readiness-checks';
export type { RunbookLintOptions, RunbookMaxAgeDays } from './runbook/rules/rule';

// The Slack message formatter the Lambda uses (lib/notification).
export { SlackMessageFormatter, renderSlackMessage } from './notification/slack-message';
export type { SeverityEscalation, SeverityMention, SlackBlock, SlackElement, SlackMessage, SlackMessageOptions, SlackText } from './notification/slack-message';
export { parseAlarmNotification } from './notification/sns-message';
export type { AlarmMetric, AlarmMetricQuery, AlarmNotification, MetricDimension, TriggeringChild } from './notification/sns-message';
