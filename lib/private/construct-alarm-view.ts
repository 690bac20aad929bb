// The in-process adapter: builds the rules' AlarmView from a CfnAlarm / CfnCompositeAlarm (or any
// CfnResource of those types: third-party constructs, CfnInclude) by resolving what the resource
// will write into its template, so property overrides count. Used by RunbookPolicy and the nag pack.
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { AlertRouting, ROUTE_TAG } from '../alert-routing';
import { Route } from '../severity';
import { AlarmView, alarmViewFromProperties, isAlarmType } from '../rules/alarm-view';

/** The part of a CfnResource the adapter needs that CfnResource does not declare publicly. */
interface Renderable {
  _toCloudFormation(): { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
}

/** True for a CfnResource of type AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm. */
export function isAlarmResource(node: IConstruct): node is CfnResource {
  return CfnResource.isCfnResource(node) && isAlarmType(node.cfnResourceType);
}

/**
 * Reads alarms of one construct tree. Page topics (those of every AlertRouting, and any
 * CfnTopic tagged `RunbookAlarms:Route=page`) are collected once; their resolved form is cached
 * per stack, so checking thousands of alarms costs one resolve per alarm.
 */
export class ConstructAlarmReader {
  private pageTopicArns?: string[];
  private readonly pageTopicsByStack = new Map<Stack, Set<string>>();

  constructor(private readonly root: IConstruct) {}

  /** The view of `resource`, or undefined when it is not an alarm. */
  public read(resource: IConstruct): AlarmView | undefined {
    if (!isAlarmResource(resource)) return undefined;
    const stack = Stack.of(resource);
    const rendered = stack.resolve((resource as unknown as Renderable)._toCloudFormation()) as {
      Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
    };
    const [logicalId, body] = Object.entries(rendered?.Resources ?? {})[0] ?? [undefined, undefined];
    const pageTopics = this.pageTopicsIn(stack);
    return alarmViewFromProperties(
      { path: resource.node.path, logicalId, stack: stack.node.path, type: resource.cfnResourceType },
      body?.Properties,
      (action) => pageTopics.has(typeof action === 'string' ? action : JSON.stringify(action)),
    );
  }

  private pageTopicsIn(stack: Stack): Set<string> {
    let set = this.pageTopicsByStack.get(stack);
    if (!set) {
      set = new Set<string>();
      for (const arn of this.allPageTopicArns()) {
        try {
          const resolved = stack.resolve(arn);
          set.add(typeof resolved === 'string' ? resolved : JSON.stringify(resolved));
        } catch {
          // A topic this stack cannot reference (another stage): its alarms cannot reach it either.
        }
      }
      this.pageTopicsByStack.set(stack, set);
    }
    return set;
  }

  private allPageTopicArns(): string[] {
    if (!this.pageTopicArns) {
      const arns = AlertRouting.allIn(this.root).map((r) => r.pageTopic.topicArn);
      for (const node of this.root.node.findAll()) {
        if (node instanceof sns.CfnTopic && node.tags.tagValues()[ROUTE_TAG] === Route.PAGE) arns.push(node.ref);
      }
      this.pageTopicArns = arns;
    }
    return this.pageTopicArns;
  }
}
