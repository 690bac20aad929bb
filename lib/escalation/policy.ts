// Reads an escalation-policy YAML file (contacts, and severity_routing per SEV with page,
// escalate_after, then, notify, ticket) into a validated policy. Every problem of a file is
// reported at once, each with file:line:col and what to write. Pure module.
import * as fs from 'fs';
import { LineCounter, Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { Route, Severity, SeverityPolicy } from '../core/severity';
import { closest } from '../core/text';
import { EscalationSteps } from '../notification/escalation';

/** How one severity is routed and escalated: its route, and the steps its escalation line shows. */
export interface SeverityRouting extends EscalationSteps {
  /** The route alarms of this severity take. */
  readonly route: Route;
}

/** Someone (or a group) the policy pages: how Slack mentions them and/or the SNS topic that reaches their pager, phone or e-mail. */
export interface EscalationContact {
  /** The name `page` and `then` use (`primary_oncall`). */
  readonly name: string;
  /** A Slack user `<@U0123ABCD>` or user group `<!subteam^S0123ABCD>`. @default - not mentioned */
  readonly slackMention?: string;
  /** A standard SNS topic's ARN (its subscriptions reach SMS, e-mail or a pager). @default - no topic */
  readonly snsTopicArn?: string;
}

/** A parsed escalation policy. */
export interface EscalationPolicy {
  readonly file: string;
  readonly routing: SeverityRouting[];
  /**
   * The `contacts:` section. When a file has one, every name `page` and `then` use is one of them.
   * @default - none: `page` and `then` are free text, shown but not enforced
   */
  readonly contacts?: EscalationContact[];
}

/** One problem in a policy file, at a line and column (1-based). */
export interface EscalationPolicyProblem {
  readonly line: number;
  readonly column: number;
  /** What is wrong and what to write instead. */
  readonly detail: string;
}

/**
 * Thrown for a policy file that cannot be used. It lists every problem found, one
 * `file:line:col detail` line each, so one edit fixes them all; `line`/`column` are the first's.
 */
export class EscalationPolicyError extends Error {
  public readonly line: number;
  public readonly column: number;
  constructor(public readonly file: string, public readonly problems: EscalationPolicyProblem[]) {
    super(problems.map((p) => `${file}:${p.line}:${p.column} ${p.detail}`).join('\n'));
    this.name = 'EscalationPolicyError';
    this.line = problems[0]?.line ?? 1;
    this.column = problems[0]?.column ?? 1;
  }
}

/** The top-level keys of a policy file. */
const TOP_LEVEL = ['severity_routing', 'contacts'];
const FIELDS = ['page', 'escalate_after', 'then', 'notify', 'ticket', 'respond_within'];
const CONTACT_FIELDS = ['slack', 'sns'];

// Contacts are people or groups: a user (U…/W…) or a user group, never @here or @channel.
const CONTACT_MENTION = /^<(?:@[UW][A-Z0-9]{2,40}|!subteam\^[A-Z0-9]{2,40})>$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const CONTACT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Parses `5m`, `15 min`, `1h`, `90s` (rounded up to minutes) or a bare number of minutes. */
export function parseDurationMinutes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const minutes = unit.startsWith('h') ? n * 60 : unit.startsWith('s') ? n / 60 : n;
  return minutes > 0 ? Math.ceil(minutes) : undefined;
}

type YamlPair = { key: Node; value: Node | null };
const pairsOf = (node: unknown): YamlPair[] => (node as { items: YamlPair[] }).items;
const keyText = (node: Node): string => (isScalar(node) ? String(node.value) : '');

/**
 * Parses escalation-policy YAML text. Throws {@link EscalationPolicyError} listing every problem
 * with its line, not only the first.
 */
export function parseEscalationPolicy(text: string, file: string): EscalationPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const problems: EscalationPolicyProblem[] = [];
  const report = (node: unknown, detail: string): void => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const pos = range ? counter.linePos(range[0]) : { line: 1, col: 1 };
    problems.push({ line: pos.line, column: pos.col, detail });
  };
  const fail = (): never => {
    throw new EscalationPolicyError(file, problems.sort((a, b) => a.line - b.line || a.column - b.column));
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      problems.push({ line: pos.line, column: pos.col, detail: `invalid YAML: ${e.message.split('\n')[0]}` });
    }
    fail();
  }
  if (!isMap(doc.contents)) {
    report(doc.contents, 'expected a mapping with a `severity_routing:` key');
    fail();
  }
  let routingPair: YamlPair | undefined;
  let contactsPair: YamlPair | undefined;
  let misspeltRouting = false;
  for (const pair of pairsOf(doc.contents)) {
    const name = keyText(pair.key);
    if (name === 'severity_routing') {
      routingPair = pair;
      continue;
    }
    if (name === 'contacts') {
      contactsPair = pair;
      continue;
    }
    const hint = closest(name, TOP_LEVEL);
    if (hint === 'severity_routing') misspeltRouting = true;
    report(pair.key, `unknown key "${name}"${hint ? `; did you mean "${hint}"?` : ''} (keys: ${TOP_LEVEL.join(', ')})`);
  }
  if (!routingPair) {
    // A misspelt key already says what to write; "missing" would only repeat it.
    if (!misspeltRouting) report(doc.contents, 'missing `severity_routing:`; add one entry per severity (SEV1 to SEV4)');
    fail();
  }
  const contacts = contactsPair ? readContacts(contactsPair, report) : undefined;
  if (!isMap(routingPair!.value)) {
    report(routingPair!.value ?? routingPair!.key, '`severity_routing` must map SEV1..SEV4 to their routing');
    fail();
  }

  const routing: SeverityRouting[] = [];
  const listed = new Set<Severity>();
  for (const pair of pairsOf(routingPair!.value)) {
    const entry = readSeverityRouting(pair, report, contacts?.map((c) => c.name));
    if (entry === undefined) continue;
    if (listed.has(entry.severity)) {
      report(pair.key, `${entry.severity} is listed twice`);
      continue;
    }
    listed.add(entry.severity);
    if ('route' in entry) routing.push(entry);
  }
  for (const sev of SeverityPolicy.ALL) {
    if (!listed.has(sev)) report(routingPair!.key, `severity_routing has no ${sev}; every severity needs a route`);
  }
  if (problems.length > 0) fail();
  return { file, routing: SeverityPolicy.ALL.map((s) => routing.find((r) => r.severity === s)!), ...(contacts ? { contacts } : {}) };
}

/** The `contacts:` section: name → `slack:` mention and/or `sns:` topic ARN. */
function readContacts(pair: YamlPair, report: (node: unknown, detail: string) => void): EscalationContact[] {
  if (!isMap(pair.value)) {
    report(pair.value ?? pair.key, '`contacts` must map each name to `slack: <@U0123ABCD>` and/or `sns: arn:aws:sns:…`');
    return [];
  }
  const contacts: EscalationContact[] = [];
  for (const c of pairsOf(pair.value)) {
    const name = keyText(c.key);
    if (!CONTACT_NAME.test(name)) {
      report(c.key, `contact name "${name}" must be letters, digits, _, . or - (at most 64), e.g. primary_oncall`);
      continue;
    }
    if (contacts.some((x) => x.name === name)) {
      report(c.key, `contact ${name} is defined twice`);
      continue;
    }
    if (!isMap(c.value)) {
      report(c.value ?? c.key, `contact ${name} must be a mapping with slack and/or sns`);
      continue;
    }
    let slackMention: string | undefined;
    let snsTopicArn: string | undefined;
    let bad = false;
    for (const f of pairsOf(c.value)) {
      const field = keyText(f.key);
      const value = f.value && isScalar(f.value) ? f.value.value : undefined;
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (field === 'slack') {
        if (text && CONTACT_MENTION.test(text)) slackMention = text;
        else {
          bad = true;
          report(f.value ?? f.key, `contacts.${name}.slack must be a user "<@U0123ABCD>" or a user group "<!subteam^S0123ABCD>" (quoted; @here and @channel are not contacts)`);
        }
      } else if (field === 'sns') {
        if (text && SNS_TOPIC_ARN.test(text)) snsTopicArn = text;
        else {
          bad = true;
          const fifo = text?.endsWith('.fifo') ? '; FIFO topics need a message group: use a standard topic' : '';
          report(f.value ?? f.key, `contacts.${name}.sns must be an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>${fifo}`);
        }
      } else {
        bad = true;
        const hint = closest(field, CONTACT_FIELDS);
        report(f.key, `unknown field "${field}" under contacts.${name}${hint ? `; did you mean "${hint}"?` : ''} (fields: ${CONTACT_FIELDS.join(', ')})`);
      }
    }
    if (!bad && !slackMention && !snsTopicArn) report(c.key, `contact ${name} reaches no one; give it slack: "<@U0123ABCD>" and/or sns: <topic ARN>`);
    contacts.push({ name, ...(slackMention ? { slackMention } : {}), ...(snsTopicArn ? { snsTopicArn } : {}) });
  }
  return contacts;
}

/**
 * One `SEVn:` entry. Returns the routing, `{ severity }` alone when the entry has problems (they
 * are reported), or undefined when the key is not a severity.
 */
function readSeverityRouting(pair: YamlPair, report: (node: unknown, detail: string) => void, contacts: string[] | undefined): SeverityRouting | { severity: Severity } | undefined {
  const name = keyText(pair.key);
  const severity = SeverityPolicy.parse(name);
  if (!severity) {
    report(pair.key, `"${name}" is not a severity; use SEV1, SEV2, SEV3 or SEV4`);
    return undefined;
  }
  const before = { count: 0 }; // problems of this entry so far
  const at = (node: unknown, detail: string): undefined => {
    before.count++;
    report(node, detail);
    return undefined;
  };
  if (!isMap(pair.value)) {
    at(pair.value ?? pair.key, `${severity} must be a mapping with page, notify or ticket`);
    return { severity };
  }
  const fields: Record<string, { node: Node; value: unknown }> = {};
  for (const f of pairsOf(pair.value)) {
    const field = keyText(f.key);
    if (!FIELDS.includes(field)) {
      const hint = closest(field, FIELDS);
      at(f.key, `unknown field "${field}" under ${severity}${hint ? `; did you mean "${hint}"?` : ''} (fields: ${FIELDS.join(', ')})`);
      continue;
    }
    fields[field] = { node: f.value ?? f.key, value: f.value && 'toJSON' in f.value ? (f.value as Node).toJSON() : null };
  }
  const str = (field: string): string | undefined => {
    const f = fields[field];
    if (!f) return undefined;
    if (typeof f.value === 'string' && f.value.trim() !== '') return f.value.trim();
    if (f.value === true) return field;
    if (f.value === false) return undefined;
    return at(f.node, `${severity}.${field} must be a name (a schedule, channel or queue)`);
  };
  // With a contacts section, every name paged must be one of them.
  const contact = (name: string, node: unknown, field: string): void => {
    if (!contacts || contacts.includes(name)) return;
    const hint = closest(name, contacts);
    at(node, `${severity}.${field} "${name}" is not a contact${hint ? `; did you mean "${hint}"?` : ''} ` +
      `(contacts: ${contacts.length ? contacts.join(', ') : 'none'}); define it under contacts:`);
  };
  const page = str('page');
  if (page) contact(page, fields.page.node, 'page');
  const ticket = str('ticket');
  const notifyField = fields.notify;
  let notify: string[] | undefined;
  if (notifyField) {
    const v = notifyField.value;
    if (typeof v === 'string' && v.trim() !== '') notify = [v.trim()];
    else if (isSeq(notifyField.node) && Array.isArray(v) && v.every((x) => typeof x === 'string')) notify = v as string[];
    else at(notifyField.node, `${severity}.notify must be a channel name or a list of them`);
  }
  let escalateAfterMinutes: number | undefined;
  if (fields.escalate_after) {
    escalateAfterMinutes = parseDurationMinutes(String(fields.escalate_after.value));
    if (escalateAfterMinutes === undefined) {
      at(fields.escalate_after.node, `${severity}.escalate_after "${String(fields.escalate_after.value)}" is not a duration; write 5m, 15m or 1h`);
    } else if (!page && !fields.page) {
      at(fields.escalate_after.node, `${severity}.escalate_after needs a page: only pages escalate`);
    }
  }
  let escalateTo: string[] | undefined;
  const thenField = fields.then;
  if (thenField && isSeq(thenField.node)) {
    const items = (thenField.node as unknown as { items: Node[] }).items;
    escalateTo = [];
    for (const item of items) {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v !== 'string' || v.trim() === '') {
        at(item, `${severity}.then must list names (one per escalation level), e.g. [secondary_oncall, team_lead]`);
        continue;
      }
      const name = v.trim();
      if (escalateTo.includes(name)) {
        at(item, `${severity}.then lists "${name}" twice; each entry is the next escalation level`);
        continue;
      }
      contact(name, item, 'then');
      escalateTo.push(name);
    }
    if (items.length === 0) at(thenField.node, `${severity}.then is an empty list; name who is paged next, or leave then out`);
  } else if (thenField) {
    const one = str('then');
    if (one) {
      contact(one, thenField.node, 'then');
      escalateTo = [one];
    }
  }
  const then = escalateTo?.[0];
  if (thenField && !fields.escalate_after) {
    at(thenField.node, `${severity}.then needs escalate_after: say after how long "${then ?? 'then'}" is paged`);
  }
  const respond = fields.respond_within ? readResponseTarget(fields.respond_within.value) : undefined;
  if (fields.respond_within && !respond) {
    at(fields.respond_within.node, `${severity}.respond_within "${String(fields.respond_within.value)}" is not a response target; write a duration (5m, 30m, 4h), "business hours" or "next business day"`);
  }
  const route = page ? Route.PAGE : notify ? Route.NOTIFY : ticket ? Route.TICKET : undefined;
  if (!route) {
    // After a reported problem (a misspelt or unreadable field), "routes nowhere" would only repeat it.
    if (before.count === 0) at(pair.key, `${severity} routes nowhere; give it page, notify or ticket`);
  } else if (SeverityPolicy.isPage(severity) && route !== Route.PAGE) {
    at(pair.key, `${severity} must page (it means ${severity === Severity.SEV1 ? 'an outage' : 'major degradation'}); add \`page: <on-call schedule>\``);
  }
  if (before.count > 0 || !route) return { severity };
  return { severity, route, page, escalateAfterMinutes, then, ...(escalateTo?.length ? { escalateTo } : {}), notify, ticket, ...respond };
}

/** `respond_within`: a duration, or the severity table's `business hours` / `next business day`. */
function readResponseTarget(value: unknown): { respondWithin: string; respondWithinMinutes?: number } | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === 'business hours' || text === 'during business hours') return { respondWithin: 'during business hours' };
  if (text === 'next business day') return { respondWithin: 'next business day' };
  const minutes = parseDurationMinutes(text);
  return minutes === undefined ? undefined : { respondWithin: `within ${minutes} min`, respondWithinMinutes: minutes };
}

/** Reads and parses an escalation-policy YAML file. */
export function readEscalationPolicy(file: string): EscalationPolicy {
  return parseEscalationPolicy(fs.readFileSync(file, 'utf8'), file);
}
