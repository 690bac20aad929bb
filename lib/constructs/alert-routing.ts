// AlertRouting: severity → page / notify / ticket SNS topics (docs/design/severity.md). Pages also announce
// recovery (OK actions). Created topics are KMS-encrypted with a key CloudWatch may use.
import * as path from 'path';
import { Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ROUTE_TAG } from '../core/names';
import { EscalationPolicy, SeverityRouting, readEscalationPolicy } from '../policy/policy';
import { Route, Severity, SeverityPolicy } from '../core/severity';
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
  /** Topic for channel notifications. @default - a new KMS-encrypted topic */
  readonly notifyTopic?: sns.ITopic;
  /** Topic that opens tickets. @default - a new KMS-encrypted topic */
  readonly ticketTopic?: sns.ITopic;
  /** Key for the topics this construct creates. @default - a new key with rotation enabled */
  readonly encryptionKey?: kms.IKey;
  /** Send OK notifications for pages, so the engineer knows it recovered. @default true */
  readonly okActionsOnPages?: boolean;
  /**
   * The routing of each severity, e.g. `readEscalationPolicy('escalation-policy.yaml')`.
   * @default - SEV1/SEV2 page, SEV3 notify, SEV4 ticket (docs/design/severity.md#routes)
   */
  readonly escalationPolicy?: EscalationPolicy;
}

const ROUTING_SYMBOL = Symbol.for('cdk-runbook-alarms.AlertRouting');

/** Maps severities to SNS topics and wires alarms to them. */
export class AlertRouting extends Construct implements IAlertRouting {
  /**
   * Builds the routing from an escalation-policy YAML file:
   * `severity_routing: { SEV1: { page, escalate_after, then, notify }, ... }`.
   * Errors name the file, line and column.
   */
  public static fromFile(scope: Construct, id: string, file: string, props: AlertRoutingProps = {}): AlertRouting {
    const policy = readEscalationPolicy(path.resolve(file));
    return new AlertRouting(scope, id, { ...props, escalationPolicy: { ...policy, file } });
  }

  /** True for an {@link AlertRouting} (works across copies of this library). */
  public static isAlertRouting(x: unknown): x is AlertRouting {
    return typeof x === 'object' && x !== null && ROUTING_SYMBOL in x;
  }

  public readonly pageTopic: sns.ITopic;
  public readonly notifyTopic: sns.ITopic;
  public readonly ticketTopic: sns.ITopic;
  /** The key of the topics this construct created, if it created any. */
  public readonly encryptionKey?: kms.IKey;
  /** The escalation policy this routing was read from, if any. */
  public readonly escalationPolicy?: EscalationPolicy;
  private readonly okActionsOnPages: boolean;
  private readonly routing: Map<Severity, SeverityRouting>;

  constructor(scope: Construct, id: string, props: AlertRoutingProps = {}) {
    super(scope, id);
    Object.defineProperty(this, ROUTING_SYMBOL, { value: true });
    this.escalationPolicy = props.escalationPolicy;
    this.okActionsOnPages = props.okActionsOnPages ?? true;
    const configured = props.escalationPolicy?.routing ?? [];
    this.routing = new Map(
      SeverityPolicy.ALL.map((s) => [s, configured.find((r) => r.severity === s) ?? { severity: s, route: SeverityPolicy.defaultRoute(s) }]),
    );

    const needsKey = !props.pageTopic || !props.notifyTopic || !props.ticketTopic;
    if (needsKey) this.encryptionKey = props.encryptionKey ?? this.createKey();
    this.pageTopic = props.pageTopic ?? this.createTopic('PageTopic', Route.PAGE, 'Pages: wake the on-call engineer');
    this.notifyTopic = props.notifyTopic ?? this.createTopic('NotifyTopic', Route.NOTIFY, 'Notifications: post to the team channel');
    this.ticketTopic = props.ticketTopic ?? this.createTopic('TicketTopic', Route.TICKET, 'Tickets: next business day');
    registerPageTopic(this, this.pageTopic);
    registerPolicyPageTopics(this, props.escalationPolicy);
  }

  /** The route alarms of this severity take. */
  public routeFor(severity: Severity): Route {
    return this.routing.get(severity)!.route;
  }

  /** How this severity is routed and escalated. */
  public routingFor(severity: Severity): SeverityRouting {
    return this.routing.get(severity)!;
  }

  /** The topic of a route. */
  public topicFor(route: Route): sns.ITopic {
    return route === Route.PAGE ? this.pageTopic : route === Route.NOTIFY ? this.notifyTopic : this.ticketTopic;
  }

  /** All three topics (page, notify, ticket). */
  public get topics(): sns.ITopic[] {
    return [this.pageTopic, this.notifyTopic, this.ticketTopic];
  }

  public bindAlarm(alarm: cloudwatch.AlarmBase, severity: Severity): void {
    const route = this.routeFor(severity);
    const action = new cwActions.SnsAction(this.topicFor(route));
    alarm.addAlarmAction(action);
    if (route === Route.PAGE && this.okActionsOnPages) alarm.addOkAction(action);
  }

  private createKey(): kms.Key {
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
    return key;
  }

  private createTopic(id: string, route: Route, displayName: string): sns.Topic {
    const topic = new sns.Topic(this, id, { masterKey: this.encryptionKey, enforceSSL: true, displayName });
    Tags.of(topic).add(ROUTE_TAG, route);
    return topic;
  }
}
