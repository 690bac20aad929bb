// The page topics of an app: every topic some routing pages through, whoever built the routing
// (AlertRouting, or a custom IAlertRouting given to RunbookAlarm or SlackNotifier). The gate reads
// them to treat alarms whose actions reach one as pages, whatever their description claims.
import { Tags } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { PAGE_TOPIC_ARN_METADATA, ROUTE_TAG } from '../../core/names';
import { Route } from '../../core/severity';
import { EscalationPolicy, contactTopicArns } from '../../policy/policy';

const PAGE_TOPICS = new WeakMap<IConstruct, Set<sns.ITopic>>();

/**
 * Records `topic` as a page topic of the app `scope` belongs to. A topic defined in the app is
 * also tagged `RunbookAlarms:Route=page`, so the synthesized template says it too (the CLI reads it).
 */
export function registerPageTopic(scope: IConstruct, topic: sns.ITopic): void {
  const root = scope.node.root;
  let topics = PAGE_TOPICS.get(root);
  if (!topics) PAGE_TOPICS.set(root, (topics = new Set()));
  if (topics.has(topic)) return;
  topics.add(topic);
  if (topic.node.defaultChild instanceof sns.CfnTopic) Tags.of(topic).add(ROUTE_TAG, Route.PAGE);
  // An imported topic carries no tag in any template: its ARN is recorded in the assembly instead,
  // on the topic's own construct, as its stack resolves it (an import, an SSM parameter, tokens of
  // region and account), for the gate to evaluate in that template.
  else topic.node.addMetadata(PAGE_TOPIC_ARN_METADATA, topic.topicArn);
}

/**
 * Records the SNS topics of an escalation policy's contacts as paging routes: an escalation
 * contact's own pager topic pages a human, whichever alarm is routed to it.
 */
export function registerPolicyPageTopics(scope: IConstruct, policy: EscalationPolicy | undefined): void {
  for (const arn of new Set((policy?.contacts ?? []).flatMap(contactTopicArns))) {
    scope.node.addMetadata(PAGE_TOPIC_ARN_METADATA, arn);
  }
}

/** The page topics registered in the app `scope` belongs to. */
export function pageTopicsOf(scope: IConstruct): sns.ITopic[] {
  return [...(PAGE_TOPICS.get(scope.node.root) ?? [])];
}
