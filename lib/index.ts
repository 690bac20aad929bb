// cdk-runbook-alarms: every page carries a severity, a runbook and a first move.
export * from './core/severity';
export * from './core/contract';
export * from './core/finding';
export * from './runbook/parser';
export * from './runbook/lint';
export * from './constructs/runbook';
export * from './escalation/policy';
export * from './constructs/alert-routing';
export * from './constructs/runbook-alarm';
export * from './constructs/runbook-composite-alarm';
export * from './checks/runbook-policy';
export * from './checks/incident-readiness-checks';
export * from './constructs/slack-notifier';
export { renderSlackMessage, isSlackMention } from './notification/slack-message';
export type { SlackMessage, SlackMessageOptions, SlackBlock, SlackText, SlackElement, SeverityMention, SeverityEscalation } from './notification/slack-message';
export { parseAlarmNotification } from './notification/sns-message';
export type { AlarmNotification, AlarmMetric, AlarmMetricQuery, MetricDimension, TriggeringChild } from './notification/sns-message';
// The alarm rules, for custom front doors (your own CI check over templates, say).
export * from './alarm-rules';
