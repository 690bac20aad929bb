// Reads an escalation-policy YAML file (severity_routing per SEV with page, escalate_after,
// then, notify, ticket) into a validated policy. Errors carry file:line:col. Pure module.
import * as fs from 'fs';
import { LineCounter, Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { Route, Severity, SeverityPolicy } from '../core/severity';
import { closest } from '../core/text';

/** How one severity is routed and escalated. */
export interface SeverityRouting {
  readonly severity: Severity;
  /** The route alarms of this severity take. */
  readonly route: Route;
  /** The on-call schedule or service paged (for `page`). */
  readonly page?: string;
  /** Minutes before an unacknowledged page escalates. */
  readonly escalateAfterMinutes?: number;
  /** Who is paged next. */
  readonly then?: string;
  /** Channels told about it (e.g. `#payments-incidents`). */
  readonly notify?: string[];
  /** The ticket queue (for `ticket`). */
  readonly ticket?: string;
}

/** A parsed escalation policy. */
export interface EscalationPolicy {
  readonly file: string;
  readonly routing: SeverityRouting[];
}

/** Thrown for a policy file that cannot be used; the message starts with file:line:col. */
export class EscalationPolicyError extends Error {
  constructor(public readonly file: string, public readonly line: number, public readonly column: number, detail: string) {
    super(`${file}:${line}:${column} ${detail}`);
    this.name = 'EscalationPolicyError';
  }
}

const FIELDS = ['page', 'escalate_after', 'then', 'notify', 'ticket'];

/** Parses `5m`, `15 min`, `1h`, `90s` (rounded up to minutes) or a bare number of minutes. */
export function parseDurationMinutes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const minutes = unit.startsWith('h') ? n * 60 : unit.startsWith('s') ? n / 60 : n;
  return minutes > 0 ? Math.ceil(minutes) : undefined;
}

/** Parses escalation-policy YAML text. Throws {@link EscalationPolicyError} with the line of the problem. */
export function parseEscalationPolicy(text: string, file: string): EscalationPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const at = (node: unknown, detail: string): never => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const pos = range ? counter.linePos(range[0]) : { line: 1, col: 1 };
    throw new EscalationPolicyError(file, pos.line, pos.col, detail);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = counter.linePos(e.pos[0]);
    throw new EscalationPolicyError(file, pos.line, pos.col, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) at(doc.contents, 'expected a mapping with a `severity_routing:` key');
  const root = doc.contents as unknown as { items: Array<{ key: Node; value: Node | null }> };
  const routingPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'severity_routing');
  if (!routingPair) at(doc.contents, 'missing `severity_routing:`; add one entry per severity (SEV1 to SEV4)');
  if (!isMap(routingPair!.value)) at(routingPair!.value ?? routingPair!.key, '`severity_routing` must map SEV1..SEV4 to their routing');

  const routing: SeverityRouting[] = [];
  for (const pair of (routingPair!.value as unknown as { items: Array<{ key: Node; value: Node | null }> }).items) {
    const keyText = isScalar(pair.key) ? String(pair.key.value) : '';
    const severity = SeverityPolicy.parse(keyText);
    if (!severity) at(pair.key, `"${keyText}" is not a severity; use SEV1, SEV2, SEV3 or SEV4`);
    if (routing.some((r) => r.severity === severity)) at(pair.key, `${severity} is listed twice`);
    if (!isMap(pair.value)) at(pair.value ?? pair.key, `${severity} must be a mapping with page, notify or ticket`);
    const fields: Record<string, { node: Node; value: unknown }> = {};
    for (const f of (pair.value as unknown as { items: Array<{ key: Node; value: Node | null }> }).items) {
      const name = isScalar(f.key) ? String(f.key.value) : '';
      if (!FIELDS.includes(name)) {
        const hint = closest(name, FIELDS);
        at(f.key, `unknown field "${name}" under ${severity}${hint ? `; did you mean "${hint}"?` : ''} (fields: ${FIELDS.join(', ')})`);
      }
      fields[name] = { node: f.value ?? f.key, value: f.value && 'toJSON' in f.value ? (f.value as Node).toJSON() : null };
    }
    const str = (name: string): string | undefined => {
      const f = fields[name];
      if (!f) return undefined;
      if (typeof f.value === 'string' && f.value.trim() !== '') return f.value.trim();
      if (f.value === true) return name;
      if (f.value === false) return undefined;
      return at(f.node, `${severity}.${name} must be a name (a schedule, channel or queue)`);
    };
    const page = str('page');
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
      }
      if (!page) at(fields.escalate_after.node, `${severity}.escalate_after needs a page: only pages escalate`);
    }
    const then = str('then');
    if (then && escalateAfterMinutes === undefined) {
      at(fields.then.node, `${severity}.then needs escalate_after: say after how long "${then}" is paged`);
    }
    const route = page ? Route.PAGE : notify ? Route.NOTIFY : ticket ? Route.TICKET : undefined;
    if (!route) at(pair.key, `${severity} routes nowhere; give it page, notify or ticket`);
    if (SeverityPolicy.isPage(severity!) && route !== Route.PAGE) {
      at(pair.key, `${severity} must page (it means ${severity === Severity.SEV1 ? 'an outage' : 'major degradation'}); add \`page: <on-call schedule>\``);
    }
    routing.push({ severity: severity!, route: route!, page, escalateAfterMinutes, then, notify, ticket });
  }
  for (const sev of SeverityPolicy.ALL) {
    if (!routing.some((r) => r.severity === sev)) {
      at(routingPair!.key, `severity_routing has no ${sev}; every severity needs a route`);
    }
  }
  return { file, routing: SeverityPolicy.ALL.map((s) => routing.find((r) => r.severity === s)!) };
}

/** Reads and parses an escalation-policy YAML file. */
export function readEscalationPolicy(file: string): EscalationPolicy {
  return parseEscalationPolicy(fs.readFileSync(file, 'utf8'), file);
}
