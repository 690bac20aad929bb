// `runbook-alarms preview --assembly cdk.out <alarm>`: the ALARM and OK messages an alarm of the
// synthesized app would produce, as the SlackNotifier deployed with it would post them. The alarm's
// notification is built from its template (description, metric, thresholds, with what the template
// can resolve resolved), and rendered with the notifier's deployed configuration, read from its
// function's environment in the same assembly: webhook or Slack app mode, mentions, the escalation
// line, and the Acknowledge button when escalation is on.
import * as fs from 'fs';
import * as path from 'path';
import { AssemblyAlarm, AssemblyTemplate, CloudAssemblyContents } from '../assembly/reader';
import { closest } from '../core/text';
import { APP_FIELDS, MESSAGE_FIELDS, WEBHOOK_FIELDS, decodeConfig, escalationLinesOf, mentionsOf, variableOf } from '../functions/shared/config';
import { EscalationPlan } from '../functions/shared/escalation-plan';
import type { PostmortemSettings } from '../core/postmortem';
import { RenderOptions } from '../notification/slack-message';
import { mentionsAt } from '../functions/shared/contacts';
import { AlarmNotification, parseAlarmNotification } from '../notification/sns-message';
import { InputError } from './args';

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Where a stack deploys, as its manifest says (unknown for an environment-agnostic stack). */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/** The SlackNotifier function that posts an alarm's notifications, as deployed. */
export interface DeployedNotifier {
  /** The function's construct path, else `<stack>#<logicalId>`. */
  readonly path: string;
  /** Slack app mode (bot token, one thread per incident); else incoming webhook. */
  readonly appMode: boolean;
  /** The escalation plan, when acknowledgement and escalation are on (app mode). */
  readonly plan?: EscalationPlan;
  /** What the message renderer gets: mentions, contacts, escalation lines, the service. */
  readonly options: RenderOptions;
  /** Which incidents need a postmortem, and by when (app mode). Unset: the defaults. */
  readonly postmortem?: PostmortemSettings;
}

/** An alarm of the assembly with the notifications it would send, and how it would be delivered. */
export interface AssemblyAlarmPreview {
  readonly alarm: AssemblyAlarm;
  /** How the alarm is named in the output: its AlarmName, else its construct path. */
  readonly name: string;
  readonly alarmNotification: AlarmNotification;
  readonly okNotification: AlarmNotification;
  /** The notifier that receives the alarm's notifications; undefined when the assembly has none. */
  readonly notifier?: DeployedNotifier;
  /** What could not be known from the assembly, and what was assumed instead. */
  readonly notes: string[];
}

/** Every name an alarm answers to: its AlarmName, construct path (with and without `/Resource`), logical id, `<stack>/<logicalId>`. */
function namesOf(alarm: AssemblyAlarm): string[] {
  const names: string[] = [];
  const p = alarm.properties.AlarmName;
  if (typeof p === 'string') names.push(p);
  if (alarm.constructPath) names.push(alarm.constructPath, alarm.constructPath.replace(/\/Resource$/, ''));
  names.push(alarm.logicalId, `${alarm.template.stack}/${alarm.logicalId}`);
  return names;
}

/** The alarm a name given on the command line means; none or several is an input error listing what there is. */
export function findAssemblyAlarm(assembly: CloudAssemblyContents, wanted: string): AssemblyAlarm {
  const exact = assembly.alarms.filter((a) => namesOf(a).includes(wanted));
  const found = exact.length > 0 ? exact : assembly.alarms.filter((a) => namesOf(a).some((n) => n.toLowerCase() === wanted.toLowerCase()));
  const shown = (a: AssemblyAlarm) => namesOf(a)[0] === a.constructPath ? a.constructPath!.replace(/\/Resource$/, '') : `${namesOf(a)[0]} (${a.constructPath?.replace(/\/Resource$/, '') ?? a.logicalId})`;
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new InputError(`"${wanted}" names ${found.length} alarms of ${assembly.directory}: ${found.map(shown).join(', ')}; give its construct path instead`);
  }
  const all = assembly.alarms.flatMap(namesOf);
  const near = closest(wanted, all);
  const list = assembly.alarms.slice(0, 30).map((a) => `  ${shown(a)}`).join('\n');
  throw new InputError(`no alarm "${wanted}" in ${assembly.directory}${near ? ` (did you mean "${near}"?)` : ''}; ` +
    `give an AlarmName, a construct path or a logical id. Its alarms:\n${list || '  (none)'}${assembly.alarms.length > 30 ? `\n  …and ${assembly.alarms.length - 30} more` : ''}`);
}

/** The top-level template a (nested) template deploys under. */
function rootOf(template: AssemblyTemplate): AssemblyTemplate {
  let t = template;
  while (t.parent) t = t.parent.template;
  return t;
}

/** The account and region of the stack a template belongs to, from the manifest next to it. */
export function stackEnvironment(template: AssemblyTemplate): StackEnvironment {
  const root = rootOf(template);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(root.file), 'manifest.json'), 'utf8')) as Json;
    for (const artifact of Object.values(record(manifest.artifacts)).map(record)) {
      if (record(artifact.properties).templateFile !== path.basename(root.file)) continue;
      const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(typeof artifact.environment === 'string' ? artifact.environment : '');
      return {
        account: m && /^\d{12}$/.test(m[1]) ? m[1] : undefined,
        region: m && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(m[2]) ? m[2] : undefined,
      };
    }
  } catch {
    // no manifest to read: an environment-agnostic stack as far as the preview knows
  }
  return {};
}

// Resources whose physical name is a literal property: a reference to them resolves to it.
const NAME_PROPERTIES = ['QueueName', 'TopicName', 'TableName', 'FunctionName', 'BucketName', 'ClusterName', 'ServiceName',
  'LogGroupName', 'StreamName', 'DBClusterIdentifier', 'DBInstanceIdentifier', 'LoadBalancerName', 'Name'];

/** Resolves template values as far as the template says (literal names, parameter defaults, the stack's environment). */
class TemplateValues {
  constructor(private readonly template: AssemblyTemplate, private readonly env: StackEnvironment) {}

  /** A value as text: what is known, each reference that is not written `${LogicalId}` or `${LogicalId.Attribute}`. */
  public text(value: unknown, depth = 0): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (depth > 10) return undefined;
    const v = record(value);
    if (typeof v.Ref === 'string') return this.ref(v.Ref, depth);
    const getAtt = v['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [name, attribute] = Array.isArray(getAtt) ? getAtt.map(String) : String(getAtt).split(/\.(.*)/);
      return this.attribute(name, attribute, depth);
    }
    const join = v['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((part) => this.text(part, depth + 1) ?? '${?}').join(join[0]);
    }
    const sub = v['Fn::Sub'];
    if (sub !== undefined) {
      const [text, vars] = Array.isArray(sub) ? [sub[0], record(sub[1])] : [sub, {} as Json];
      if (typeof text !== 'string') return undefined;
      return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
        if (name.startsWith('!')) return `\${${name.slice(1)}}`;
        if (name in vars) return this.text(vars[name], depth + 1) ?? whole;
        const dot = name.indexOf('.');
        return (dot > 0 ? this.attribute(name.slice(0, dot), name.slice(dot + 1), depth) : this.ref(name, depth)) ?? whole;
      });
    }
    return undefined;
  }

  private ref(name: string, depth: number): string {
    switch (name) {
      case 'AWS::Region': return this.env.region ?? '${AWS::Region}';
      case 'AWS::AccountId': return this.env.account ?? '${AWS::AccountId}';
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.template.parent ? '${AWS::StackName}' : this.template.stack;
      default: break;
    }
    const resource = record(this.template.resources[name]);
    const props = record(resource.Properties);
    for (const key of NAME_PROPERTIES) {
      const literal = this.text(props[key], depth + 1);
      if (literal !== undefined && !literal.includes('${')) return literal;
    }
    if (name in this.template.parameters) {
      const passed = this.template.parent && record(record(this.template.parent.template.resources[this.template.parent.logicalId]).Properties).Parameters;
      const value = passed ? record(passed)[name] : record(this.template.parameters[name]).Default;
      const parentValues = this.template.parent ? new TemplateValues(this.template.parent.template, this.env) : this;
      const text = value === undefined ? undefined : (passed ? parentValues : this).text(value, depth + 1);
      if (text !== undefined && !/^\/cdk-bootstrap\//.test(text)) return text;
    }
    return `\${${name}}`;
  }

  private attribute(name: string, attribute: string, depth: number): string {
    // `QueueName`, `TopicName`, `Name`…: the literal name property of the same name.
    const literal = this.text(record(record(this.template.resources[name]).Properties)[attribute], depth + 1);
    return literal !== undefined && !literal.includes('${') ? literal : `\${${name}.${attribute}}`;
  }
}

/** CloudWatch's time format: `2026-11-23T02:14:00.000+0000`. */
function cloudWatchTimeText(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const CROSSED: Record<string, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A state reason in CloudWatch's words, for the alarm as it is configured. */
function reasonFor(p: Json, state: 'ALARM' | 'OK', composite: boolean): string {
  if (composite) return state === 'ALARM' ? 'The alarm rule evaluated to TRUE.' : 'The alarm rule evaluated to FALSE.';
  const periods = typeof p.EvaluationPeriods === 'number' ? p.EvaluationPeriods : 1;
  const needed = typeof p.DatapointsToAlarm === 'number' ? p.DatapointsToAlarm : periods;
  const op = typeof p.ComparisonOperator === 'string' ? CROSSED[p.ComparisonOperator] : undefined;
  const threshold = typeof p.Threshold === 'number' ? p.Threshold.toFixed(1) : undefined;
  if (!op || threshold === undefined) return state === 'ALARM' ? 'Thresholds Crossed: the alarm\'s condition was met.' : 'Thresholds Crossed: the alarm\'s condition is no longer met.';
  return state === 'ALARM'
    ? `Threshold Crossed: ${needed} out of the last ${periods} datapoints were ${op} the threshold (${threshold}) (minimum ${needed} datapoint${needed > 1 ? 's' : ''} for OK -> ALARM transition).`
    : `Threshold Crossed: 1 datapoint was not ${op} the threshold (${threshold}) (minimum 1 datapoint for ALARM -> OK transition).`;
}

/** The CloudWatch message (as SNS delivers it) the alarm would send on entering `state`. */
function cloudWatchMessage(alarm: AssemblyAlarm, values: TemplateValues, name: string, env: StackEnvironment, state: 'ALARM' | 'OK', at: number): Json {
  const p = alarm.properties;
  const composite = alarm.type === 'AWS::CloudWatch::CompositeAlarm';
  const dimensions = (Array.isArray(p.Dimensions) ? p.Dimensions : []).map(record).map((d) => ({ name: values.text(d.Name) ?? '?', value: values.text(d.Value) ?? '?' }));
  const metrics = (Array.isArray(p.Metrics) ? p.Metrics : []).map(record).map((m) => {
    const stat = record(m.MetricStat);
    const metric = record(stat.Metric);
    return {
      Id: values.text(m.Id), Expression: values.text(m.Expression), Label: values.text(m.Label), ReturnData: m.ReturnData !== false,
      ...(stat.Metric ? { MetricStat: { Metric: { Namespace: values.text(metric.Namespace), MetricName: values.text(metric.MetricName) }, Period: stat.Period, Stat: values.text(stat.Stat) } } : {}),
    };
  });
  return {
    AlarmName: name,
    AlarmDescription: values.text(p.AlarmDescription),
    ...(env.account ? { AWSAccountId: env.account } : {}),
    NewStateValue: state,
    OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM',
    NewStateReason: reasonFor(p, state, composite),
    StateChangeTime: cloudWatchTimeText(at),
    ...(env.region ? { AlarmArn: `arn:aws:cloudwatch:${env.region}:${env.account ?? '000000000000'}:alarm:${name}` } : {}),
    ...(composite
      ? { AlarmRule: values.text(p.AlarmRule) }
      : {
        Trigger: {
          MetricName: values.text(p.MetricName),
          Namespace: values.text(p.Namespace),
          Statistic: typeof p.Statistic === 'string' ? p.Statistic.toUpperCase() : undefined,
          ExtendedStatistic: values.text(p.ExtendedStatistic),
          Dimensions: dimensions,
          Period: p.Period,
          EvaluationPeriods: p.EvaluationPeriods,
          DatapointsToAlarm: p.DatapointsToAlarm,
          ComparisonOperator: p.ComparisonOperator,
          Threshold: p.Threshold,
          TreatMissingData: p.TreatMissingData,
          ...(metrics.length > 0 ? { Metrics: metrics } : {}),
        },
      }),
  };
}

/** A function the SlackNotifier deployed to post notifications (not its interactivity or escalation function). */
function isNotifierFunction(resource: Json): boolean {
  if (resource.Type !== 'AWS::Lambda::Function') return false;
  const vars = record(record(record(resource.Properties).Environment).Variables);
  const posts = variableOf('webhookSecretArn', WEBHOOK_FIELDS) in vars || variableOf('botTokenSecretArn', APP_FIELDS) in vars;
  return posts && !(variableOf('scheduleGroup', APP_FIELDS) in vars) && !(variableOf('signingSecretArn', APP_FIELDS) in vars);
}

/** The logical id of the SNS topic an action names in `template`: a `Ref` in the alarm's own template, or an ARN by topic name. */
function topicOf(action: unknown, template: AssemblyTemplate, own: boolean): string | undefined {
  if (typeof action === 'string') {
    const name = /^arn:[^:]*:sns:[^:]*:[^:]*:([^:]+)$/.exec(action)?.[1];
    return Object.entries(template.resources).find(([, r]) => r.Type === 'AWS::SNS::Topic' && record(r.Properties).TopicName === name)?.[0];
  }
  const ref = record(action).Ref;
  return own && typeof ref === 'string' && template.resources[ref]?.Type === 'AWS::SNS::Topic' ? ref : undefined;
}

/** The notifier functions that subscribe to a topic the alarm's actions name. */
function subscribedNotifiers(alarm: AssemblyAlarm, assembly: CloudAssemblyContents): Array<{ template: AssemblyTemplate; logicalId: string }> {
  const out: Array<{ template: AssemblyTemplate; logicalId: string }> = [];
  const actions: unknown[] = Array.isArray(alarm.properties.AlarmActions) ? alarm.properties.AlarmActions : [];
  for (const template of assembly.templates) {
    const topics = new Set(actions.map((a) => topicOf(a, template, template === alarm.template)).filter((t): t is string => t !== undefined));
    if (topics.size === 0) continue;
    for (const r of Object.values(template.resources)) {
      const props = record(r.Properties);
      if (r.Type !== 'AWS::SNS::Subscription' || props.Protocol !== 'lambda' || !topics.has(String(record(props.TopicArn).Ref))) continue;
      const fn = record(props.Endpoint)['Fn::GetAtt'];
      const id = Array.isArray(fn) ? String(fn[0]) : undefined;
      if (id && isNotifierFunction(template.resources[id] ?? {}) && !out.some((o) => o.template === template && o.logicalId === id)) out.push({ template, logicalId: id });
    }
  }
  return out;
}

function deployed(template: AssemblyTemplate, logicalId: string): DeployedNotifier {
  const resource = template.resources[logicalId];
  const raw = record(record(record(resource.Properties).Environment).Variables);
  // Only literal values say something about the messages (ARNs and table names are references).
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') env[k] = v;
  const appMode = variableOf('botTokenSecretArn', APP_FIELDS) in raw;
  const config = decodeConfig(env, [...WEBHOOK_FIELDS, ...MESSAGE_FIELDS, ...APP_FIELDS]);
  const cdkPath = record(resource.Metadata)['aws:cdk:path'];
  return {
    path: typeof cdkPath === 'string' ? cdkPath.replace(/^\/+/, '').replace(/\/Resource$/, '') : `${template.stack}#${logicalId}`,
    appMode,
    plan: appMode ? config.escalationPlan : undefined,
    // As the notifier's runtime builds them: the mentions, the contacts on call at the alarm's time, the escalation lines, the service.
    options: { mentions: mentionsOf(config), mentionsAt: mentionsAt(config.contactPlan, () => Date.now()), escalations: escalationLinesOf(config), ...(config.service ? { service: config.service } : {}) },
    ...(config.postmortem ? { postmortem: config.postmortem } : {}),
  };
}

/** Builds the preview of one alarm: its notifications, and the notifier that would post them. */
export function previewAssemblyAlarm(assembly: CloudAssemblyContents, alarm: AssemblyAlarm, now: Date): AssemblyAlarmPreview {
  const notes: string[] = [];
  const env = stackEnvironment(alarm.template);
  if (!env.region) notes.push('the stack is environment-agnostic: the message names no account or region, and "View alarm" opens the console\'s last region');
  const values = new TemplateValues(alarm.template, env);
  const written = values.text(alarm.properties.AlarmName);
  const literalName = written !== undefined && !written.includes('${') ? written : undefined;
  const name = literalName ?? `${rootOf(alarm.template).stack}-${alarm.logicalId}`;
  if (!literalName) notes.push(`the alarm has no AlarmName: CloudFormation names it at deploy time (${name}-<random suffix>)`);
  const description = values.text(alarm.properties.AlarmDescription);
  if (description?.includes('${')) notes.push('parts of the description are known only at deploy time; they are shown as ${LogicalId}');
  const fired = now.getTime();
  const notification = (state: 'ALARM' | 'OK', at: number) =>
    parseAlarmNotification(JSON.stringify(cloudWatchMessage(alarm, values, name, env, state, at)), undefined, `preview-${state.toLowerCase()}`);

  const subscribed = subscribedNotifiers(alarm, assembly);
  const all = assembly.templates.flatMap((t) => Object.keys(t.resources).filter((id) => isNotifierFunction(t.resources[id])).map((logicalId) => ({ template: t, logicalId })));
  let notifier: DeployedNotifier | undefined;
  if (subscribed.length > 0) {
    notifier = deployed(subscribed[0].template, subscribed[0].logicalId);
    if (subscribed.length > 1) notes.push(`${subscribed.length} notifiers receive this alarm's notifications; shown as ${notifier.path} posts them`);
  } else if (all.length > 0) {
    notifier = deployed(all[0].template, all[0].logicalId);
    notes.push(`no SlackNotifier subscribes to a topic this alarm's actions name (as far as the template says); shown as ${notifier.path} would post them`);
  } else {
    notes.push('the assembly has no SlackNotifier: shown as an incoming-webhook notifier without mentions or escalation would post them');
  }
  return {
    alarm,
    name,
    alarmNotification: notification('ALARM', fired),
    okNotification: notification('OK', fired + 23 * 60_000),
    notifier,
    notes,
  };
}
