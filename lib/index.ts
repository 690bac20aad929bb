// cdk-runbook-alarms: every page carries a severity, a runbook and a first move.
export * from './severity';
export * from './alarm-contract';
export * from './finding';
export * from './runbook-parser';
export * from './runbook-lint';
export * from './runbook';
export * from './escalation-policy';
export * from './alert-routing';
export * from './runbook-alarm';
export * from './runbook-composite-alarm';
export * from './runbook-policy';
export * from './incident-readiness-checks';
export * from './slack-notifier';
export { renderSlackMessage, isSlackMention } from './slack/render';
export type { SlackMessage, SlackMessageOptions, SlackBlock, SlackText, SlackElement, SeverityMention, SeverityEscalation } from './slack/render';
export { parseAlarmNotification } from './slack/notification';
export type { AlarmNotification, AlarmMetric, AlarmMetricQuery, MetricDimension, TriggeringChild } from './slack/notification';
// The alarm rules, for custom front doors (your own CI check over templates, say).
export * from './rules';
