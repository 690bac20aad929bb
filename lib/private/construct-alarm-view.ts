// The in-process adapter: builds the rules' AlarmView from a CfnAlarm / CfnCompositeAlarm (or any
// CfnResource of those types: third-party constructs, CfnInclude) by resolving what the resource
// will write into its template, so property overrides count. Used by RunbookPolicy and the nag pack.
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { AlertRouting, ROUTE_TAG } from '../alert-routing';
import { Route } from '../severity';
import { AlarmView, alarmViewFromProperties, isAlarmType } from '../rules/alarm-view';

/** The parts of a CfnResource the adapter needs that CfnResource does not declare publicly. */
interface Renderable {
  _toCloudFormation(): { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  readonly rawOverrides?: Record<string, unknown>;
}

/** True when a value (or an item of a list) is an unresolved token. */
function hasToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return Token.isUnresolved(value) || (Array.isArray(value) && value.some((v) => Token.isUnresolved(v)));
}

/**
 * The properties the rules read, from a typed L1 without overrides: resolving eight fields is far
 * cheaper than rendering the whole resource (metrics, dimensions, tags), which matters at 5,000 alarms.
 */
function typedProperties(resource: CfnResource, stack: Stack): Record<string, unknown> | undefined {
  const overrides = (resource as unknown as Renderable).rawOverrides;
  if (overrides && Object.keys(overrides).length > 0) return undefined;
  let p: Record<string, unknown>;
  if (resource instanceof cloudwatch.CfnAlarm) {
    p = {
      AlarmName: resource.alarmName, AlarmDescription: resource.alarmDescription, AlarmActions: resource.alarmActions,
      OKActions: resource.okActions, ActionsEnabled: resource.actionsEnabled, EvaluationPeriods: resource.evaluationPeriods,
      DatapointsToAlarm: resource.datapointsToAlarm, TreatMissingData: resource.treatMissingData,
    };
  } else if (resource instanceof cloudwatch.CfnCompositeAlarm) {
    p = {
      AlarmName: resource.alarmName, AlarmDescription: resource.alarmDescription, AlarmActions: resource.alarmActions,
      OKActions: resource.okActions, ActionsEnabled: resource.actionsEnabled,
    };
  } else {
    return undefined;
  }
  // One resolve for all token fields: the per-call cost of resolve dominates at this size.
  const tokens: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (hasToken(v)) tokens[k] = v;
  return Object.keys(tokens).length === 0 ? p : { ...p, ...(stack.resolve(tokens) as Record<string, unknown>) };
}

/** True for a CfnResource of type AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm. */
export function isAlarmResource(node: IConstruct): node is CfnResource {
  return CfnResource.isCfnResource(node) && isAlarmType(node.cfnResourceType);
}

/**
 * Views already built, shared by every reader: with both RunbookPolicy (during synth) and
 * IncidentReadinessChecks (after it) on, each alarm is rendered once. Nothing changes an alarm
 * after the read-only Aspects have run.
 */
const VIEWS = new WeakMap<IConstruct, AlarmView>();

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
    let view = VIEWS.get(resource);
    if (!view) {
      view = this.render(resource);
      VIEWS.set(resource, view);
    }
    return view;
  }

  private render(resource: CfnResource): AlarmView {
    const stack = Stack.of(resource);
    let properties = typedProperties(resource, stack);
    let logicalId: string | undefined;
    if (properties) {
      logicalId = stack.resolve(resource.logicalId) as string;
    } else {
      // Any other class of the alarm types (another copy of aws-cdk-lib, a raw CfnResource) or
      // property overrides: render the resource exactly as the template will have it.
      const rendered = stack.resolve((resource as unknown as Renderable)._toCloudFormation()) as {
        Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
      };
      const [id, body] = Object.entries(rendered?.Resources ?? {})[0] ?? [undefined, undefined];
      logicalId = id;
      properties = body?.Properties;
    }
    const pageTopics = this.pageTopicsIn(stack);
    return alarmViewFromProperties(
      { path: resource.node.path, logicalId, stack: stack.node.path, type: resource.cfnResourceType },
      properties,
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
