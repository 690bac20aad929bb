// Builds AlarmViews for the rule tests from CloudFormation-shaped properties, as the template
// adapter would see them: a page topic `PageTopic` and a notify topic `NotifyTopic`.
import * as path from 'path';
import { renderAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { AlarmContractProps } from '../../lib/core/contract';
import { AlarmView, COMPOSITE_ALARM_TYPE, METRIC_ALARM_TYPE, alarmViewFromTemplateResource } from '../../lib/alarm-rules';
import { ROUTE_TAG } from '../../lib/core/names';

export const BASE_URL = 'https://github.com/acme/ops/blob/main';
export const GATE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'gate');
export const PAGE = { Ref: 'PageTopic' };
export const NOTIFY = { Ref: 'NotifyTopic' };

const topics = {
  PageTopic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } },
  NotifyTopic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: ROUTE_TAG, Value: 'notify' }] } },
};

/** A description carrying a contract. */
export function contract(props: Partial<AlarmContractProps> & { severity: Severity }): string {
  return renderAlarmContract(props);
}

/** A complete, compliant page: every rule passes. */
export const GOOD_PAGE: Record<string, unknown> = {
  AlarmName: 'Payments/Backlog',
  AlarmDescription: contract({ severity: Severity.SEV2, runbookUrl: `${BASE_URL}/runbooks/good.md`, firstMove: 'Scale out', owner: 'payments' }),
  AlarmActions: [PAGE],
  OKActions: [PAGE],
  EvaluationPeriods: 5,
  DatapointsToAlarm: 3,
  TreatMissingData: 'notBreaching',
};

function view(type: string, properties: Record<string, unknown>): AlarmView {
  const template = { Resources: { ...topics, Alarm: { Type: type, Properties: properties, Metadata: { 'aws:cdk:path': 'Stack/Alarm/Resource' } } } };
  return alarmViewFromTemplateResource(template, 'Alarm', { stack: 'Stack' })!;
}

export function metricAlarm(properties: Record<string, unknown>): AlarmView {
  return view(METRIC_ALARM_TYPE, properties);
}

export function compositeAlarm(properties: Record<string, unknown>): AlarmView {
  return view(COMPOSITE_ALARM_TYPE, properties);
}

/** GOOD_PAGE with some properties replaced (undefined removes one). */
export function page(overrides: Record<string, unknown> = {}): AlarmView {
  const props: Record<string, unknown> = { ...GOOD_PAGE, ...overrides };
  for (const k of Object.keys(props)) if (props[k] === undefined) delete props[k];
  return metricAlarm(props);
}
