// AlertRouting: severity → page / notify / ticket SNS topics (docs/design/severity.md). Pages also announce
// recovery (OK actions). A topic not given is created when a route first needs it (an alarm of its
// route, or a caller asking for it), KMS-encrypted with a key CloudWatch may use, created with the
// first such topic: a routing given its topics creates nothing. Built from an escalation policy
// file, it also checks at synth that something carries out every word of the policy.
import * as path from 'path';
import { Annotations, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ROUTE_TAG } from '../core/names';
import { EscalationPolicy, EscalationPolicyError, SeverityRouting, isSlackChannel, policyPlace, readEscalationPolicy } from '../policy/policy';
import { Route, Severity, SeverityPolicy } from '../core/severity';
import { constructError } from './private/construct-error';
import { isPolicyCarried } from './private/policy-carriers';
import { registerPageTopic, registerPolicyPageTopics } from './private/page-topics';

/** Something that wires an alarm's actions for its severity. Implement it to plug in your own routing. */
export interface IAlertRouting {
  /**
   * The topic that pages a human. Alarms whose actions reach it are pages for the synth gate,
   * whatever severity their description claims.
   */
  readonly pageTopic: sns.ITopic;
  /** Every topic this routing sends alarms to (the SlackNotifier subscribes to them). */
  readonly topics: sns.ITopic[];
  /** The escalation policy the routing follows, when it has one. @default - none */
  readonly escalationPolicy?: EscalationPolicy;
  /** The route alarms of this severity take. */
  routeFor(severity: Severity): Route;
  /** Adds the alarm (and, for pages, OK) actions for an alarm of this severity. */
  bindAlarm(alarm: cloudwatch.AlarmBase, severity: Severity): void;
}

/** Props of {@link AlertRouting}. */
export interface AlertRoutingProps {
  /** Topic that pages the on-call engineer. @default - a new KMS-encrypted topic */
  readonly pageTopic?: sns.ITopic;
  /** Topic for channel notifications. @default - a new KMS-encrypted topic, created when an alarm of this route is bound (or the topic is asked for) */
  readonly notifyTopic?: sns.ITopic;
  /** Topic that opens tickets. @default - a new KMS-encrypted topic, created when an alarm of this route is bound (or the topic is asked for) */
  readonly ticketTopic?: sns.ITopic;
  /** Key for the topics this construct creates. @default - a new key with rotation enabled, created with the first topic this construct creates */
  readonly encryptionKey?: kms.IKey;
  /** Send OK notifications for pages, so the engineer knows it recovered. @default true */
  readonly okActionsOnPages?: boolean;
  /**
   * The routing of each severity, e.g. read from a file by `AlertRouting.fromFile`.
   * @default - SEV1/SEV2 page, SEV3 notify, SEV4 ticket (docs/design/severity.md#routes)
   */
  readonly escalationPolicy?: EscalationPolicy;
}

const ROUTING_SYMBOL = Symbol.for('cdk-runbook-alarms.AlertRouting');

/** Maps severities to SNS topics and wires alarms to them. */
export class AlertRouting extends Construct implements IAlertRouting {
  /**
   * Builds the routing from an escalation-policy YAML file (docs/escalation-policy.md). A file that
   * cannot be used stops the synth with every problem, each at its `file:line:col` with the fix.
   */
  public static fromFile(scope: Construct, id: string, file: string, props: AlertRoutingProps = {}): AlertRouting {
    let policy: EscalationPolicy;
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    if (typeof file !== 'string' || file.trim() === '') {
      throw constructError(`AlertRouting '${where}': fromFile needs the policy file's path, e.g. AlertRouting.fromFile(this, '${id}', 'escalation-policy.yaml') (got ${JSON.stringify(file)})`);
    }
    try {
      policy = readEscalationPolicy(path.resolve(file));
    } catch (e) {
      if (e instanceof EscalationPolicyError) {
        const n = e.problems.length;
        throw new EscalationPolicyError(file, e.problems, `AlertRouting '${where}': ${file} cannot be used (${n} problem${n > 1 ? 's' : ''}); fix each line (docs/escalation-policy.md):`);
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw constructError(`AlertRouting '${where}': cannot read ${file} (${path.resolve(file)}): ${code ?? (e as Error).message}`);
    }
    return new AlertRouting(scope, id, { ...props, escalationPolicy: { ...policy, file } });
  }

  /** True for an {@link AlertRouting} (works across copies of this library). */
  public static isAlertRouting(x: unknown): x is AlertRouting {
    return typeof x === 'object' && x !== null && ROUTING_SYMBOL in x;
  }

  public readonly pageTopic: sns.ITopic;
  /** The escalation policy this routing was read from, if any. */
  public readonly escalationPolicy?: EscalationPolicy;
  private readonly okActionsOnPages: boolean;
  private readonly routing: Map<Severity, SeverityRouting>;
  private readonly given: Partial<Record<Route, sns.ITopic>>;
  private readonly made = new Map<Route, sns.ITopic>();
  private readonly givenKey?: kms.IKey;
  private key?: kms.IKey;
  private readonly topicListeners: Array<(topic: sns.ITopic) => void> = [];

  constructor(scope: Construct, id: string, props: AlertRoutingProps = {}) {
    super(scope, id);
    Object.defineProperty(this, ROUTING_SYMBOL, { value: true });
    props ??= {};
    if (props.escalationPolicy !== undefined && !Array.isArray(props.escalationPolicy?.routing)) {
      throw constructError(`AlertRouting '${this.node.path}': escalationPolicy must be an escalation policy (routing: SeverityRouting[]); read one with AlertRouting.fromFile(this, '${id}', 'escalation-policy.yaml')`);
    }
    this.escalationPolicy = props.escalationPolicy;
    this.okActionsOnPages = props.okActionsOnPages ?? true;
    const configured = props.escalationPolicy?.routing ?? [];
    this.routing = new Map(
      SeverityPolicy.ALL.map((s) => [s, configured.find((r) => r.severity === s) ?? { severity: s, route: SeverityPolicy.defaultRoute(s) }]),
    );
    this.given = { [Route.PAGE]: props.pageTopic, [Route.NOTIFY]: props.notifyTopic, [Route.TICKET]: props.ticketTopic };
    this.givenKey = props.encryptionKey;
    this.pageTopic = this.topicFor(Route.PAGE);
    registerPageTopic(this, this.pageTopic);
    registerPolicyPageTopics(this, props.escalationPolicy);
    if (props.escalationPolicy) this.checkPolicy(props.escalationPolicy);
  }

  /** Topic for channel notifications (created on first use when not given). */
  public get notifyTopic(): sns.ITopic {
    return this.topicFor(Route.NOTIFY);
  }

  /** Topic that opens tickets (created on first use when not given). */
  public get ticketTopic(): sns.ITopic {
    return this.topicFor(Route.TICKET);
  }

  /** The key of the topics this construct created, if it created any. */
  public get encryptionKey(): kms.IKey | undefined {
    return this.key;
  }

  /** The route alarms of this severity take. */
  public routeFor(severity: Severity): Route {
    return this.routing.get(severity)!.route;
  }

  /** How this severity is routed and escalated. */
  public routingFor(severity: Severity): SeverityRouting {
    return this.routing.get(severity)!;
  }

  /** The topic of a route: the one given, else one this routing creates now (once). */
  public topicFor(route: Route): sns.ITopic {
    const given = this.given[route];
    if (given) return given;
    let topic = this.made.get(route);
    if (!topic) {
      topic = this.createTopic(route);
      this.made.set(route, topic);
      for (const listener of this.topicListeners) listener(topic);
    }
    return topic;
  }

  /** The topics this routing sends alarms to so far: the ones given, and the ones it created for alarms bound to it. */
  public get topics(): sns.ITopic[] {
    return [Route.PAGE, Route.NOTIFY, Route.TICKET].flatMap((r) => {
      const t = this.given[r] ?? this.made.get(r);
      return t ? [t] : [];
    });
  }

  /** Calls `listener` with every topic of this routing: those there now, and each one created later. */
  public onTopic(listener: (topic: sns.ITopic) => void): void {
    for (const t of this.topics) listener(t);
    this.topicListeners.push(listener);
  }

  public bindAlarm(alarm: cloudwatch.AlarmBase, severity: Severity): void {
    const route = this.routeFor(severity);
    const action = new cwActions.SnsAction(this.topicFor(route));
    alarm.addAlarmAction(action);
    if (route === Route.PAGE && this.okActionsOnPages) alarm.addOkAction(action);
  }

  /** Says once what the file leaves to the severity table, and has the synth check that every word is carried out. */
  private checkPolicy(policy: EscalationPolicy): void {
    const fromTable = policy.routing.filter((r) => r.fromTable);
    if (fromTable.length > 0) {
      Annotations.of(this).addInfo(`${policy.file} leaves ${fromTable.map((r) => r.severity).join(', ')} out: ${fromTable.length > 1 ? 'they take' : 'it takes'} ` +
        `the severity table's route (${fromTable.map((r) => `${r.severity} ${r.route}`).join(', ')}; docs/design/severity.md#routes)`);
    }
    this.node.addValidation({
      validate: () => (isPolicyCarried(this) ? [] : notifierWords(policy).map((w) => `${w}: nothing carries it out; ` +
        `give a SlackNotifier routing: this AlertRouting (${this.node.path}) (docs/escalation-policy.md), or remove it from ${policy.file}`)),
    });
  }

  private createTopic(route: Route): sns.Topic {
    const id = route === Route.PAGE ? 'PageTopic' : route === Route.NOTIFY ? 'NotifyTopic' : 'TicketTopic';
    const displayName = route === Route.PAGE ? 'Pages: wake the on-call engineer' : route === Route.NOTIFY ? 'Notifications: post to the team channel' : 'Tickets: next business day';
    const topic = new sns.Topic(this, id, { masterKey: this.topicKey(), enforceSSL: true, displayName });
    Tags.of(topic).add(ROUTE_TAG, route);
    return topic;
  }

  /** The key of the created topics: the one given, else one made with the first topic. */
  private topicKey(): kms.IKey {
    if (this.key) return this.key;
    if (this.givenKey) return (this.key = this.givenKey);
    const key = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: `Encrypts the alert topics of ${this.node.path}`,
    });
    // CloudWatch alarms publish to encrypted topics only if they may use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return (this.key = key);
  }
}

/**
 * The words of a policy only a SlackNotifier carries out, each at its place: a page contact (its
 * mention, its topic), `escalate_after`/`then`, and `notify` (a channel gets the message, a contact
 * its mention and topic). A page label of a file without contacts is the page topic's own.
 */
export function notifierWords(policy: EscalationPolicy): string[] {
  const words: string[] = [];
  const contacts = new Set((policy.contacts ?? []).map((c) => c.name));
  for (const r of policy.routing) {
    const base = `severity_routing.${r.severity}`;
    if (r.page && contacts.has(r.page)) words.push(`${policyPlace(policy, `${base}.page`)} ${r.severity}.page "${r.page}" (mentioned on the page, its topic published)`);
    if (r.escalateTo?.length || r.then) words.push(`${policyPlace(policy, `${base}.escalate_after`)} ${r.severity}.escalate_after and then (escalation of unacknowledged pages)`);
    (r.notify ?? []).forEach((t, i) => words.push(`${policyPlace(policy, `${base}.notify[${i}]`)} ${r.severity}.notify "${t}" (${isSlackChannel(t) ? 'the channel gets the message' : 'mentioned, its topic published'})`));
  }
  return words;
}
