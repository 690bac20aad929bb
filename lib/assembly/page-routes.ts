// Paging routes besides an alarm's own actions, read with the evaluator: EventBridge rules that
// send CloudWatch "Alarm State Change" events (of given alarms, or of all) to a paging route make
// those alarms pages. A pattern the evaluator cannot read is taken to match (fail closed).
import { EvaluatedTemplate, Evaluator } from './evaluator';
import { Text, Value, literalOf } from './values';

type Json = Record<string, unknown>;

/** An alarm as a rule's pattern can name it. */
export interface RuleSubject {
  readonly template: EvaluatedTemplate;
  readonly logicalId: string;
  readonly properties: Json;
}

const SOURCE = 'aws.cloudwatch';
const EVENTS_RULE = /^\s*aws::events::rule\s*$/i;
const DETAIL_TYPE = 'CloudWatch Alarm State Change';

function record(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

const isIntrinsic = (v: unknown) => {
  const keys = Object.keys(record(v));
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
};

/** What one pattern value is compared with: a fixed string (source, detail-type), or the alarm's name or ARN. */
interface Subject {
  /** The text, when known (a fixed field, an alarm with a literal AlarmName). */
  readonly text?: string;
  /** The hole ids that stand for this alarm (its Ref, its Arn). */
  readonly ids: readonly string[];
  /** For an alarm with a generated name: the stack name it starts with, when known. */
  readonly generatedPrefix?: string;
  /** True when compared as an ARN (`resources`): the alarm's name is its last field. */
  readonly arn: boolean;
}

const ALARM_ARN = /^arn:[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/;

/** Whether one literal string of a pattern may name the subject. */
function literalMayBe(s: string, subject: Subject): boolean {
  let name = s;
  if (subject.arn) {
    const m = ALARM_ARN.exec(s);
    if (!m) return false;
    name = m[1];
  }
  if (subject.text !== undefined) return name === subject.text;
  // A generated name (`<stack>-<logical id>-<suffix>`) is known after the first deployment, and may be written back.
  return subject.generatedPrefix === undefined || name.startsWith(`${subject.generatedPrefix}-`);
}

/** Whether an evaluated pattern value may be the subject. */
function valueMayBe(v: Text, subject: Subject): boolean {
  const s = literalOf(v);
  if (s !== undefined) return literalMayBe(s, subject);
  // A reference to a resource: this alarm or another one.
  const named = v.parts.filter((p) => typeof p !== 'string' && p.id?.startsWith('res:'));
  if (named.length > 0) return named.some((p) => typeof p !== 'string' && subject.ids.includes(p.id!));
  if (subject.arn) {
    const last = v.parts[v.parts.length - 1];
    const m = typeof last === 'string' ? /:alarm:([^:]+)$/.exec(last) : null;
    if (m && subject.text !== undefined) return m[1] === subject.text;
  }
  return true; // a value the evaluator cannot know may be it
}

/** Whether an EventBridge content filter (`{ prefix: … }`, `{ anything-but: … }`, …) may match the subject. */
function filterMayMatch(filter: Json, subject: Subject, evaluator: Evaluator, template: EvaluatedTemplate): boolean {
  const text = subject.arn ? undefined : subject.text;
  const literals = (v: unknown): Array<string | undefined> => (Array.isArray(v) ? v : [v]).flatMap((x) => evaluator.evaluate(x, template).map((y) => (y.kind === 'text' ? literalOf(y) : undefined)));
  for (const [kind, arg] of Object.entries(filter)) {
    const values = literals(kind === 'anything-but' && !Array.isArray(arg) && typeof arg === 'object' ? undefined : arg);
    if (text === undefined || values.some((v) => v === undefined)) {
      if (kind === 'exists' && values.every((v) => v === 'false')) return false; // every alarm event has these fields
      continue;
    }
    const known = values as string[];
    switch (kind) {
      case 'prefix':
        if (!known.some((p) => text.startsWith(p))) return false;
        break;
      case 'suffix':
        if (!known.some((p) => text.endsWith(p))) return false;
        break;
      case 'equals-ignore-case':
        if (!known.some((p) => p.toLowerCase() === text.toLowerCase())) return false;
        break;
      case 'wildcard':
        if (!known.some((p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(text))) return false;
        break;
      case 'anything-but':
        if (known.includes(text)) return false;
        break;
      case 'exists':
        if (known.every((p) => p === 'false')) return false;
        break;
      default:
        break; // numeric, cidr, …: may match
    }
  }
  return true;
}

/** Whether a pattern field (an array of values and content filters, or an expression) may match the subject. */
function fieldMayMatch(node: unknown, subject: Subject, evaluator: Evaluator, template: EvaluatedTemplate): boolean {
  const elements: unknown[] = Array.isArray(node) ? node : [node];
  return elements.some((e) => {
    if (e !== null && typeof e === 'object' && !Array.isArray(e) && !isIntrinsic(e)) return filterMayMatch(e as Json, subject, evaluator, template);
    return evaluator.evaluate(e, template).some((v: Value) => {
      if (v.kind === 'absent') return false;
      const texts = v.kind === 'list' ? v.items : [v];
      return (v.kind === 'list' && v.open) || texts.some((t) => valueMayBe(t, subject));
    });
  });
}

/** Whether the event pattern may match "Alarm State Change" events of the alarm. */
function patternMayMatch(pattern: Json, alarm: { name: Subject; arn: Subject }, evaluator: Evaluator, template: EvaluatedTemplate, inDetail = false): boolean {
  const fixed = (text: string): Subject => ({ text, ids: [], arn: false });
  for (const [key, node] of Object.entries(pattern)) {
    if (key === '$or') {
      if (Array.isArray(node) && !node.some((sub) => patternMayMatch(record(sub), alarm, evaluator, template, inDetail))) return false;
      continue;
    }
    if (!inDetail && key === 'source' && !fieldMayMatch(node, fixed(SOURCE), evaluator, template)) return false;
    if (!inDetail && key === 'detail-type' && !fieldMayMatch(node, fixed(DETAIL_TYPE), evaluator, template)) return false;
    if (!inDetail && key === 'resources' && !fieldMayMatch(node, alarm.arn, evaluator, template)) return false;
    if (!inDetail && key === 'detail' && !patternMayMatch(record(node), alarm, evaluator, template, true)) return false;
    if (inDetail && key === 'alarmName' && !fieldMayMatch(node, alarm.name, evaluator, template)) return false;
  }
  return true;
}

/** The patterns an EventPattern property may be: a JSON string read, both branches of an Fn::If; undefined when it cannot be read (matches every event). */
function patterns(expr: unknown): Json[] | undefined {
  if (typeof expr === 'string') {
    try {
      return [record(JSON.parse(expr))];
    } catch {
      return undefined;
    }
  }
  const choice = record(expr)['Fn::If'];
  if (Array.isArray(choice)) {
    const [a, b] = [patterns(choice[1]), patterns(choice[2])];
    return a && b ? [...a, ...b] : undefined;
  }
  if (isIntrinsic(expr)) return undefined;
  return [record(expr)];
}

/**
 * The alarms whose state changes an EventBridge rule sends to a paging route: alarm key
 * (`<file>#<logicalId>`) -> the rule, as `label` names it.
 */
export function alarmsPagedByRules(evaluator: Evaluator, templates: readonly EvaluatedTemplate[], subjects: () => readonly RuleSubject[],
  label: (template: EvaluatedTemplate, logicalId: string) => string): Map<string, string> {
  const paged = new Map<string, string>();
  let alarms: readonly RuleSubject[] | undefined;
  for (const template of templates) {
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      if (typeof resource.Type !== 'string' || !EVENTS_RULE.test(resource.Type)) continue;
      const props = record(resource.Properties);
      if (typeof props.State === 'string' && props.State.toUpperCase() === 'DISABLED') continue;
      const targets = Array.isArray(props.Targets) ? props.Targets.map((t) => record(t).Arn) : [props.Targets];
      if (!targets.some((arn) => evaluator.isPage(evaluator.property(arn, template)))) continue;
      const read = patterns(props.EventPattern ?? {});
      alarms ??= subjects();
      for (const alarm of alarms) {
        const key = `${alarm.template.file}#${alarm.logicalId}`;
        if (paged.has(key)) continue;
        const names = evaluator.property(alarm.properties.AlarmName, alarm.template).map((v) => (v.kind === 'text' ? literalOf(v) : undefined));
        const id = `res:${alarm.template.file}#${alarm.logicalId}`;
        const subject = (text: string | undefined, arn: boolean): Subject => ({ text, ids: [id, `${id}.Arn`], arn, generatedPrefix: alarm.template.stackName });
        const subjects = (names.length > 0 ? names : [undefined]).map((n) => ({ name: subject(n, false), arn: subject(n, true) }));
        if (read === undefined || read.some((p) => subjects.some((s) => patternMayMatch(p, s, evaluator, template)))) paged.set(key, label(template, logicalId));
      }
    }
  }
  return paged;
}
