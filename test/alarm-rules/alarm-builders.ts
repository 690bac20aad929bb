// Builds AlarmViews for the rule tests from CloudFormation-shaped properties, as the engine sees
// them in a synthesized template (through the evaluator of lib/assembly, over a template holding
// the alarm): `{ Ref: PageTopic }` reaches a page topic, `{ Ref: NotifyTopic }` does not.
import * as path from 'path';
import { renderAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { AlarmContractProps } from '../../lib/core/contract';
import { AlarmView, COMPOSITE_ALARM_TYPE, METRIC_ALARM_TYPE } from '../../lib/alarm-rules';
import { assemblyAlarmViews } from '../../lib/assembly/judge';
import { readTemplates } from '../../lib/assembly/reader';
import { ROUTE_TAG } from '../../lib/core/names';

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

/** The views of an alarm with these properties, one per value its description can take. */
export function views(type: string, properties: Record<string, unknown>): AlarmView[] {
  const template = {
    Resources: {
      PageTopic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } },
      NotifyTopic: { Type: 'AWS::SNS::Topic' },
      Queue: { Type: 'AWS::SQS::Queue' },
      Alarm: { Type: type, Properties: properties, Metadata: { 'aws:cdk:path': 'Stack/Alarm/Resource' } },
    },
  };
  const [alarm] = readTemplates([{ stack: 'Stack', template }]).alarms;
  return assemblyAlarmViews(alarm);
}

function view(type: string, properties: Record<string, unknown>): AlarmView {
  return views(type, properties)[0];
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
