// Builds AlarmViews for the rule tests from CloudFormation-shaped properties, as the engine sees
// them in a synthesized template: `{ Ref: PageTopic }` reaches a page topic, `{ Ref: NotifyTopic }` does not.
import * as path from 'path';
import { renderAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { AlarmContractProps } from '../../lib/core/contract';
import { AlarmView, COMPOSITE_ALARM_TYPE, METRIC_ALARM_TYPE, alarmViewFromProperties } from '../../lib/alarm-rules';

export const BASE_URL = 'https://github.com/acme/ops/blob/main';
export const GATE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'gate');
export const PAGE = { Ref: 'PageTopic' };
export const NOTIFY = { Ref: 'NotifyTopic' };

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
  const isPageTopic = (action: unknown) => [PAGE, { 'Fn::GetAtt': ['PageTopic', 'TopicArn'] }].some((p) => JSON.stringify(action) === JSON.stringify(p));
  return alarmViewFromProperties({ path: 'Stack/Alarm/Resource', logicalId: 'Alarm', stack: 'Stack', type }, properties, isPageTopic);
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
