// CloudWatch alarm state changes to the SlackNotifier through EventBridge: a rule on the account's
// default bus, or on a central bus that an organisation's accounts forward their alarm events to,
// sending "CloudWatch Alarm State Change" events to the notifier function (which reads them as it
// reads SNS notifications); for other accounts, the bus policy that lets them put those events, and
// nothing else. Events EventBridge could not deliver land in the notifier's failure queue.
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_STATE_CHANGE } from '../../notification/sns-message';
import type { AlarmEventsProps } from '../slack-notifier';

/** What routing alarm events made. */
export interface AlarmEvents {
  readonly rule: events.Rule;
  /** The bus policies letting other accounts send their alarm events (named accounts, an organisation). */
  readonly policies: events.CfnEventBusPolicy[];
}

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;

/** The rule (and, for other accounts, the bus policy) that brings alarm state changes to `fn`. */
export function routeAlarmEvents(scope: Construct, where: string, fn: lambda.IFunction, failureQueue: sqs.IQueue, props: AlarmEventsProps): AlarmEvents {
  const accounts = props.sourceAccounts ?? [];
  for (const a of accounts) {
    if (!Token.isUnresolved(a) && !ACCOUNT.test(a)) throw new Error(`SlackNotifier '${where}': alarmEvents.sourceAccounts has "${a}", which is not a 12-digit AWS account id`);
  }
  const org = props.sourceOrganizationId;
  if (org !== undefined && !Token.isUnresolved(org) && !ORGANIZATION.test(org)) {
    throw new Error(`SlackNotifier '${where}': alarmEvents.sourceOrganizationId "${org}" is not an AWS Organizations id (o-…, from the Organizations console)`);
  }
  const rule = new events.Rule(scope, 'AlarmEvents', {
    description: `CloudWatch alarm state changes to the Slack notifier (${where})`,
    eventBus: props.eventBus,
    eventPattern: { source: ['aws.cloudwatch'], detailType: [ALARM_STATE_CHANGE] },
  });
  // Lambda's own retries and on-failure queue take over once the function is invoked; what EventBridge cannot deliver lands in the same queue.
  rule.addTarget(new targets.LambdaFunction(fn, { deadLetterQueue: failureQueue }));
  const stack = Stack.of(scope);
  const busArn = props.eventBus?.eventBusArn ?? stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
  /** Other accounts may put CloudWatch's alarm state changes on the bus, and nothing else. */
  // A statement id is at most 64 characters (CloudFormation refuses more): a short word and the notifier's address (42).
  const allow = (id: string, word: string, principal: unknown, orgId?: string) => new events.CfnEventBusPolicy(scope, id, {
    eventBusName: props.eventBus?.eventBusName ?? 'default',
    statementId: `${word}-${scope.node.addr}`,
    statement: {
      Effect: 'Allow', Principal: principal, Action: 'events:PutEvents', Resource: busArn,
      Condition: { StringEquals: { 'events:source': 'aws.cloudwatch', 'events:detail-type': ALARM_STATE_CHANGE, ...(orgId ? { 'aws:PrincipalOrgID': orgId } : {}) } },
    },
  });
  const policies: events.CfnEventBusPolicy[] = [];
  if (accounts.length > 0) policies.push(allow('AlarmEventsFromAccounts', 'Accounts', { AWS: accounts.map((a) => stack.formatArn({ service: 'iam', region: '', account: a, resource: 'root' })) }));
  if (org !== undefined) policies.push(allow('AlarmEventsFromOrganization', 'Organization', '*', org));
  return { rule, policies };
}
