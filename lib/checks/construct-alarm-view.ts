// The in-process adapter: builds the rules' AlarmView from a CfnAlarm / CfnCompositeAlarm (or any
// CfnResource of those types: third-party constructs, CfnInclude) by resolving what the resource
// will write into its template, so property overrides count. Used by RunbookPolicy and the nag pack.
import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { ROUTE_TAG } from '../core/names';
import { pageTopicsOf } from '../constructs/private/page-topics';
import { Route } from '../core/severity';
import { AlarmView, alarmViewFromProperties, isAlarmType } from '../alarm-rules/alarm-view';

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
  // An L2 alarm's L1 holds its actions as one lazy list; the L2 keeps the ARNs themselves, which
  // can be matched against page topics without resolving anything.
  const l2 = resource.node.scope instanceof cloudwatch.AlarmBase && resource.node.scope.node.defaultChild === resource
    ? (resource.node.scope as unknown as { alarmActionArns?: string[]; okActionArns?: string[] })
    : undefined;
  if (resource instanceof cloudwatch.CfnAlarm) {
    p = {
      AlarmName: resource.alarmName, AlarmDescription: resource.alarmDescription, AlarmActions: l2 ? l2.alarmActionArns : resource.alarmActions,
      OKActions: l2 ? l2.okActionArns : resource.okActions, ActionsEnabled: resource.actionsEnabled, EvaluationPeriods: resource.evaluationPeriods,
      DatapointsToAlarm: resource.datapointsToAlarm, TreatMissingData: resource.treatMissingData,
    };
  } else if (resource instanceof cloudwatch.CfnCompositeAlarm) {
    p = {
      AlarmName: resource.alarmName, AlarmDescription: resource.alarmDescription, AlarmActions: l2 ? l2.alarmActionArns : resource.alarmActions,
      OKActions: l2 ? l2.okActionArns : resource.okActions, ActionsEnabled: resource.actionsEnabled,
    };
  } else {
    return undefined;
  }
  // One resolve for all token fields: the per-call cost of resolve dominates at this size.
  const tokens: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    // A list of ARN strings (tokens or not) is kept as is: actions are matched item by item.
    const actionList = (k === 'AlarmActions' || k === 'OKActions') && Array.isArray(v) && !Token.isUnresolved(v);
    if (!actionList && hasToken(v)) tokens[k] = v;
  }
  if (Object.keys(tokens).length === 0) return p;
  const resolved = stack.resolve(tokens) as Record<string, unknown>;
  // A token may resolve to nothing (an unnamed alarm's AlarmName): drop the token, never keep its placeholder.
  for (const k of Object.keys(tokens)) delete p[k];
  return { ...p, ...resolved };
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
 * Reads alarms of one construct tree. Page topics (those registered by every routing, and any
 * CfnTopic tagged `RunbookAlarms:Route=page`) are collected once; their resolved form is cached
 * per stack, so checking thousands of alarms costs one resolve per alarm.
 */
export class ConstructAlarmReader {
  private topics?: { constructs: Set<IConstruct>; arns: Set<string> };
  private readonly pageTopicsByStack = new Map<Stack, Set<string>>();
  private readonly decisions = new Map<Stack, Map<string, boolean>>();

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
    if (!properties) {
      // Any other class of the alarm types (another copy of aws-cdk-lib, a raw CfnResource) or
      // property overrides: render the resource exactly as the template will have it.
      const rendered = stack.resolve((resource as unknown as Renderable)._toCloudFormation()) as {
        Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
      };
      const [id, body] = Object.entries(rendered?.Resources ?? {})[0] ?? [undefined, undefined];
      logicalId = id;
      properties = body?.Properties;
    }
    const view = alarmViewFromProperties(
      { path: resource.node.path, logicalId, stack: stack.node.path, type: resource.cfnResourceType },
      properties,
      (action) => this.isPageAction(action, stack),
    );
    if (logicalId === undefined) {
      // Only findings show the logical id; resolving it for every compliant alarm costs a resolve each.
      let resolved: string | undefined;
      Object.defineProperty(view, 'logicalId', { enumerable: true, get: () => (resolved ??= stack.resolve(resource.logicalId) as string) });
    }
    return view;
  }

  /**
   * True when an action reaches a page topic. Unresolved ARNs are matched by the topic they
   * reference (no resolve); resolved ones (`{"Ref": ...}`, literal ARNs) by their resolved form.
   */
  private isPageAction(action: unknown, stack: Stack): boolean {
    if (typeof action !== 'string') return this.pageTopicsIn(stack).has(jsonOf(action));
    // Thousands of alarms share a handful of topics: decide each (stack, ARN) once.
    let decided = this.decisions.get(stack);
    if (!decided) this.decisions.set(stack, (decided = new Map()));
    let page = decided.get(action);
    if (page === undefined) decided.set(action, (page = this.decidePageAction(action, stack)));
    return page;
  }

  private decidePageAction(action: unknown, stack: Stack): boolean {
    const topics = this.pageTopics();
    if (typeof action === 'string') {
      if (topics.arns.has(action)) return true;
      if (Token.isUnresolved(action)) {
        const fragments = Tokenization.reverseString(action);
        const token = fragments.length === 1 ? fragments.firstToken : undefined;
        if (token && Reference.isReference(token)) return topics.constructs.has(token.target);
        return this.pageTopicsIn(stack).has(jsonOf(stack.resolve(action)));
      }
      return this.pageTopicsIn(stack).has(action);
    }
    return this.pageTopicsIn(stack).has(jsonOf(action));
  }

  private pageTopicsIn(stack: Stack): Set<string> {
    let set = this.pageTopicsByStack.get(stack);
    if (!set) {
      set = new Set<string>();
      for (const arn of this.allPageTopicArns()) {
        try {
          set.add(jsonOf(stack.resolve(arn)));
        } catch {
          // A topic this stack cannot reference (another stage): its alarms cannot reach it either.
        }
      }
      this.pageTopicsByStack.set(stack, set);
    }
    return set;
  }

  private allPageTopicArns(): string[] {
    return [...this.pageTopics().arns];
  }

  /** The page topics of the app: their constructs and their ARNs (tokens or literals). */
  private pageTopics(): { constructs: Set<IConstruct>; arns: Set<string> } {
    if (!this.topics) {
      const constructs = new Set<IConstruct>();
      const arns = new Set<string>();
      for (const topic of pageTopicsOf(this.root)) {
        arns.add(topic.topicArn);
        const l1 = topic.node.defaultChild;
        if (l1) constructs.add(l1);
      }
      for (const node of this.root.node.findAll()) {
        if (node instanceof sns.CfnTopic && node.tags.tagValues()[ROUTE_TAG] === Route.PAGE) {
          constructs.add(node);
          arns.add(node.ref);
        }
      }
      this.topics = { constructs, arns };
    }
    return this.topics;
  }
}

function jsonOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
