// Reads an escalation-policy YAML file into a validated policy (docs/escalation-policy.md): the
// service, its contacts (people, groups, pagers, rotations), the routing of each severity (page,
// escalate_after, then, notify, ticket), the on-call notes and the postmortem rules. The file's shape
// is one schema (./schema.ts); the rules between its parts (names used are defined, SEV1/SEV2 page,
// escalation has levels) come after. Every problem of a file is reported at once, each with
// file:line:col and what to write. Pure module.
import * as fs from 'fs';
import { LineCounter, Node, isMap, parseDocument } from 'yaml';
import { DEFAULT_POSTMORTEM_SETTINGS, PostmortemSettings } from '../core/postmortem';
import { Rotation, RotationMember, RotationOverride, canonicalZone, isTimeZone, parseHandoff, parseLocalTime } from '../core/rotation';
import { instantOfLocal } from '../core/zoned-time';
import { Route, SEVERITIES, Severity, SeverityPolicy, parseSeverity } from '../core/severity';
import { closest } from '../core/text';
import { EscalationSteps } from '../notification/escalation';
import { ReadContext, ReadMapping, Shape, dictionary, integer, keyPlaces, list, mapping, scalarOrMapping, shown, text } from './schema';

export type { Rotation, RotationMember, RotationOverride } from '../core/rotation';

/** How one severity is routed and escalated: its route, and the steps its escalation line shows. */
export interface SeverityRouting extends EscalationSteps {
  /** The route alarms of this severity take. */
  readonly route: Route;
  /** True when the file has no entry for this severity: it takes the severity table's route. @default false */
  readonly fromTable?: boolean;
}

/**
 * Someone (or a group) the policy pages or notifies: how Slack mentions them and/or the SNS topic
 * that reaches their pager, phone or e-mail; or a rotation, whose member on call at the moment is.
 */
export interface EscalationContact {
  /** The name `page`, `then` and `notify` use (`primary_oncall`). */
  readonly name: string;
  /** A Slack user `<@U0123ABCD>` or user group `<!subteam^S0123ABCD>`. @default - not mentioned */
  readonly slackMention?: string;
  /** A standard SNS topic's ARN (its subscriptions reach SMS, e-mail or a pager). @default - no topic */
  readonly snsTopicArn?: string;
  /** A rotation: whoever is on call at the moment is paged. @default - not a rotation */
  readonly rotation?: Rotation;
}

/** Every topic a contact may be reached through: its own, or every member's and override's of its rotation. */
export function contactTopicArns(c: EscalationContact): string[] {
  if (!c.rotation) return c.snsTopicArn ? [c.snsTopicArn] : [];
  return [...c.rotation.members, ...(c.rotation.overrides ?? [])].flatMap((m) => (m.snsTopicArn ? [m.snsTopicArn] : []));
}

/** The `oncall:` section as the team wrote it: notes for people, shown by `runbook-alarms oncall`. */
export interface OnCallNotes {
  /** e.g. `weekly`. @default - none */
  readonly rotation?: string;
  /** e.g. `Monday 10:00, hand over unresolved incidents and runbook updates`. @default - none */
  readonly handoff?: string;
  /** e.g. `time off in lieu`. @default - none */
  readonly compensation?: string;
}

/**
 * The `postmortem:` section: which incidents need a postmortem, and by when (`required_for`,
 * `longer_than`, `due`, `limit`, `time_zone`). Unwritten keys take the guide's defaults: SEV1 and
 * SEV2, due 2 business days after the resolution, 5 at most, in the first rotation's time zone, else UTC.
 */
export type PostmortemPolicy = PostmortemSettings;

/** A place in the policy file. */
export interface PolicyLocation {
  readonly line: number;
  readonly column: number;
}

/** A parsed escalation policy. */
export interface EscalationPolicy {
  /** The file it was read from (as given). */
  readonly file: string;
  /** The service it is the policy of: named in messages, pages and metrics. @default - none */
  readonly service?: string;
  /** Every severity's routing, SEV1 to SEV4 (those the file leaves out take the severity table's route). */
  readonly routing: SeverityRouting[];
  /**
   * The `contacts:` section. Every name `page`, `then` and `notify` use is one of them (a policy
   * with neither contacts nor `then`/contact `notify` may use `page` as a label).
   * @default - none
   */
  readonly contacts?: EscalationContact[];
  /** The `oncall:` notes. @default - none */
  readonly oncall?: OnCallNotes;
  /** The postmortem rules. @default - the defaults of {@link PostmortemPolicy} */
  readonly postmortem?: PostmortemPolicy;
  /**
   * Where each value was written (`severity_routing.SEV1.then[0]` → line and column), so that
   * checks made later (at synth) can point at the file too. @default - none (a policy built in code)
   */
  readonly locations?: { [path: string]: PolicyLocation };
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
 * It prints as its lines alone: no stack trace, no dump of its fields.
 */
export class EscalationPolicyError extends Error {
  public readonly line: number;
  public readonly column: number;
  public readonly file!: string;
  public readonly problems!: EscalationPolicyProblem[];
  constructor(file: string, problems: EscalationPolicyProblem[], lead?: string) {
    const lines = problems.map((p) => `${file}:${p.line}:${p.column} ${p.detail}`);
    super(lead ? `${lead}\n${lines.map((l) => `  ${l}`).join('\n')}` : lines.join('\n'));
    // Non-enumerable, so that Node prints the message only (not the fields) for an uncaught error.
    Object.defineProperty(this, 'file', { value: file, enumerable: false });
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
    this.line = problems[0]?.line ?? 1;
    this.column = problems[0]?.column ?? 1;
    Object.defineProperty(this, 'line', { enumerable: false });
    Object.defineProperty(this, 'column', { enumerable: false });
    // The message is the whole story: what a stack trace would add is this library's insides.
    this.stack = `${this.name}: ${this.message}`;
  }
}
Object.defineProperty(EscalationPolicyError.prototype, 'name', { value: 'EscalationPolicyError' });

// Contacts are people or groups: a user (U…/W…) or a user group, never @here or @channel.
const CONTACT_MENTION = /^<(?:@[UW][A-Z0-9]{2,40}|!subteam\^[A-Z0-9]{2,40})>$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const CONTACT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CHANNEL = /^(?:#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,})$/;
const SERVICE = /^[^<>\s][^<>\r\n]{0,99}$/;

/** True for a Slack channel as `notify` names one: `#name` or a channel ID (`C0123ABCD`). */
export function isSlackChannel(target: string): boolean {
  return CHANNEL.test(target);
}

/** Parses `5m`, `15 min`, `1h`, `2d`, `90s` (rounded up to minutes) or a bare number of minutes. */
export function parseDurationMinutes(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const minutes = unit.startsWith('d') ? n * 1440 : unit.startsWith('h') ? n * 60 : unit.startsWith('s') ? n / 60 : n;
  return minutes > 0 ? Math.ceil(minutes) : undefined;
}

// The values of the file, as the schema reads them.

const FIX_CONTACT = 'a user "<@U0123ABCD>" or a user group "<!subteam^S0123ABCD>", quoted (@here and @channel are not contacts)';
const mention = text(FIX_CONTACT, (v) => (CONTACT_MENTION.test(v) ? v : undefined),
  (v) => (/^@/.test(v) ? 'Slack mentions are IDs in angle brackets: find the ID in the person\'s profile (⋮ → Copy member ID)' : undefined));
const snsArn = text('an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>', (v) => (SNS_TOPIC_ARN.test(v) ? v : undefined),
  (v) => (v.endsWith('.fifo') ? 'FIFO topics need a message group: use a standard topic' : undefined));
const name = text('a name such as primary_oncall', (v) => (/^[^\r\n]{1,100}$/.test(v) ? v : undefined));
const duration = text('a duration such as 5m, 15m or 1h', (v) => (parseDurationMinutes(v) !== undefined ? parseDurationMinutes(v) : undefined));
const note = text('text (a note for people)', (v) => v);
/** `respond_within`: a duration, or the severity table's `business hours` / `next business day`. */
const responseTarget = text<{ respondWithin: string; respondWithinMinutes?: number }>(
  'a response target: a duration (5m, 30m, 4h), "business hours" or "next business day"', (v) => {
    const t = v.trim().toLowerCase();
    if (t === 'business hours' || t === 'during business hours') return { respondWithin: 'during business hours' };
    if (t === 'next business day') return { respondWithin: 'next business day' };
    const minutes = parseDurationMinutes(t);
    return minutes === undefined ? undefined : { respondWithin: `within ${minutes} min`, respondWithinMinutes: minutes };
  });
const timeZone = text('an IANA time zone such as Europe/Berlin or Asia/Tokyo', (v) => ((isTimeZone(v) && v.includes('/')) || v === 'UTC' ? canonicalZone(v) : undefined),
  (v) => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const hint = closest(v, zones);
    return hint ? `did you mean "${hint}"?` : 'abbreviations such as CET or JST change meaning with daylight saving: name the place';
  });
const date = text('a date, YYYY-MM-DD', (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && parseLocalTime(v) !== undefined ? v : undefined));
const localTime = text('a local time in the rotation\'s time zone, YYYY-MM-DDTHH:MM (no offset)', (v) => (parseLocalTime(v) !== undefined ? v.replace(' ', 'T') : undefined),
  (v) => (/(?:Z|[+-]\d{2}:?\d{2})$/.test(v) ? 'leave the offset out: the time is read in the rotation\'s time_zone' : undefined));
const every = text('daily, weekly or a number of days such as 14d', (v) => {
  const s = v.toLowerCase();
  if (s === 'daily') return 1;
  if (s === 'weekly') return 7;
  const m = /^(\d{1,3})\s*d(?:ays?)?$/.exec(s);
  return m && Number(m[1]) >= 1 && Number(m[1]) <= 365 ? Number(m[1]) : undefined;
});
const handoff = text('a weekday and a time such as "Mon 10:00" (or a time alone, "10:00")', (v) => {
  const h = parseHandoff(v);
  if (!h) return undefined;
  const hhmm = `${String(Math.floor(h.minutes / 60)).padStart(2, '0')}:${String(h.minutes % 60).padStart(2, '0')}`;
  return h.weekday ? `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][h.weekday - 1]} ${hhmm}` : hhmm;
});
const severity = text('a severity, SEV1 to SEV4', (v) => parseSeverity(v));

/** A person: a Slack mention alone, or `slack:` and/or `sns:`. */
const person = (expects: string): Shape<ReadMapping | string> => scalarOrMapping<ReadMapping | string>(expects, mention,
  mapping(expects, { slack: { shape: mention }, sns: { shape: snsArn } }) as Shape<ReadMapping | string>);

const ROTATION = mapping('a rotation: members, every, handoff, time_zone, start and overrides', {
  members: { shape: list(person('a Slack mention "<@U0123ABCD>", or slack: and/or sns:'), { empty: 'list who takes the shifts, in order' }), required: 'list who takes the shifts, in order, e.g. members: ["<@U0ALICE>", "<@U0BOB>"]' },
  every: { shape: every, required: 'say how long a shift is: daily, weekly or 14d' },
  handoff: { shape: handoff, required: 'say when shifts change hands, e.g. handoff: "Mon 10:00"' },
  time_zone: { shape: timeZone, required: 'name the time zone the handoff is in, e.g. time_zone: Europe/Berlin' },
  start: { shape: date, required: 'give the day the first member\'s first shift starts (at the first handoff on or after it), e.g. start: 2026-01-05' },
  overrides: { shape: list(mapping('an override: from, to, slack and optionally sns', {
    from: { shape: localTime, required: 'say from when, e.g. from: 2026-12-24T10:00' },
    to: { shape: localTime, required: 'say until when, e.g. to: 2026-12-27T10:00' },
    slack: { shape: mention, required: 'say who covers: slack: "<@U0123ABCD>"' },
    sns: { shape: snsArn },
  }), { empty: 'list the swaps, or leave overrides out' }) },
});

const CONTACT = scalarOrMapping<ReadMapping | string>('slack:, sns: or rotation:', text(`${FIX_CONTACT}, or an SNS topic ARN`, (v) => (CONTACT_MENTION.test(v) || SNS_TOPIC_ARN.test(v) ? v : undefined)),
  mapping('slack:, sns: or rotation:', { slack: { shape: mention }, sns: { shape: snsArn }, rotation: { shape: ROTATION } }) as Shape<ReadMapping | string>);

const SEVERITY_ROUTING = mapping('a mapping with page, notify or ticket', {
  page: { shape: name },
  escalate_after: { shape: duration },
  then: { shape: list(name, { single: true, empty: 'name who is paged next, or leave then out' }) },
  notify: { shape: list(text('a channel ("#name", quoted, or an ID) or a contact name', (v) => (/^[^\r\n]{1,100}$/.test(v) ? v : undefined)), { single: true, empty: 'name the channels or contacts told, or leave notify out' }) },
  ticket: { shape: name },
  respond_within: { shape: responseTarget },
});

const SCHEMA = mapping('a mapping with service, contacts, severity_routing, oncall and postmortem', {
  service: { shape: text('a service name such as payment-platform (one line, at most 100 characters)', (v) => (SERVICE.test(v) ? v : undefined)) },
  contacts: {
    shape: dictionary('a mapping of names to slack:, sns: or rotation:', '<name>',
      (k) => (CONTACT_NAME.test(k) ? { name: k } : { problem: `contact name "${k}" must be letters, digits, _, . or - (at most 64), e.g. primary_oncall` }), CONTACT),
  },
  severity_routing: {
    shape: dictionary('SEV1 to SEV4, each with page, notify or ticket', '<SEVn>', (k) => {
      const sev = parseSeverity(k);
      return sev ? { name: sev } : { problem: `"${k}" is not a severity; use SEV1, SEV2, SEV3 or SEV4` };
    }, SEVERITY_ROUTING),
    required: 'add one entry per severity, e.g. SEV1: { page: primary_oncall } (severities left out take the severity table\'s route)',
  },
  oncall: { shape: mapping('notes on the rotation: rotation, handoff, compensation', { rotation: { shape: note }, handoff: { shape: note }, compensation: { shape: note } }) },
  postmortem: {
    shape: mapping('postmortem rules: required_for, longer_than, due, limit, time_zone', {
      required_for: { shape: list(severity, { single: true, empty: 'list the severities that need a postmortem, e.g. [SEV1, SEV2]' }) },
      longer_than: { shape: duration },
      due: { shape: integer('a number of business days, e.g. 2', 1, 60) },
      limit: { shape: integer('a number of business days, e.g. 5', 1, 60) },
      time_zone: { shape: timeZone },
    }),
  },
});
const KEY_PLACES = keyPlaces(SCHEMA as Shape<unknown>);

/**
 * Parses escalation-policy YAML text. Throws {@link EscalationPolicyError} listing every problem
 * with its line, not only the first.
 */
export function parseEscalationPolicy(source: string, file: string): EscalationPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const cx = new ReadContext(counter, KEY_PLACES, source);
  const fail = (): never => {
    throw new EscalationPolicyError(file, cx.problems.sort((a, b) => a.line - b.line || a.column - b.column));
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      cx.report({ line: pos.line, column: pos.col }, `invalid YAML: ${e.message.split('\n')[0]}`);
    }
    fail();
  }
  if (!isMap(doc.contents)) {
    cx.report(doc.contents, 'expected a mapping with `severity_routing:` (and `contacts:`, `service:`, `oncall:`, `postmortem:`)');
    fail();
  }
  const top = SCHEMA.read(doc.contents as Node, cx, '');
  const values = top?.values ?? {};

  const written = (values.contacts ?? []) as Array<{ name: string; value: ReadMapping | string | undefined }>;
  const defined = written.flatMap((c) => {
    const contact = c.value === undefined ? undefined : contactOf(c.name, c.value, cx);
    return contact ? [contact] : [];
  });
  const entries = (values.severity_routing ?? []) as Array<{ name: string; value: ReadMapping | undefined; node: Node }>;
  const listed = entries.map((e) => routingOf(e.name as Severity, e.value, e.node, cx));
  // A contact written wrong is reported where it is written; its uses are not "undefined" too.
  checkNames(entries.map((e) => ({ severity: e.name as Severity, values: e.value?.values ?? {} })), top?.written.contacts !== undefined, written.map((c) => c.name), cx);
  const postmortem = postmortemOf(values.postmortem as ReadMapping | undefined, defined, cx);

  if (cx.problems.length > 0) fail();
  const routing = SEVERITIES.map((s): SeverityRouting => listed.find((r) => r?.severity === s) ?? { severity: s, route: SeverityPolicy.defaultRoute(s), fromTable: true });
  const oncallValues = (values.oncall as ReadMapping | undefined)?.values as OnCallNotes | undefined;
  return {
    file,
    ...(values.service ? { service: values.service as string } : {}),
    routing,
    ...(top?.written.contacts !== undefined ? { contacts: defined } : {}),
    ...(oncallValues ? { oncall: oncallValues } : {}),
    postmortem,
    locations: cx.locations,
  };
}

/** A contact as read: a mention or ARN alone, or slack/sns, or a rotation (which excludes slack and sns). */
function contactOf(contactName: string, value: ReadMapping | string, cx: ReadContext): EscalationContact | undefined {
  const at = cx.locations[`contacts.${contactName}`];
  if (typeof value === 'string') {
    return CONTACT_MENTION.test(value) ? { name: contactName, slackMention: value } : { name: contactName, snsTopicArn: value };
  }
  const v = value.values;
  const w = value.written;
  if (w.rotation && (w.slack || w.sns)) {
    cx.report(w.slack ?? w.sns, `contacts.${contactName} has rotation: and ${w.slack ? 'slack:' : 'sns:'}; the people of a rotation are its members: ` +
      'move them into members, or make this a contact of its own');
    return undefined;
  }
  if (value.unknown > 0 || Object.keys(v).length < Object.keys(w).length) return undefined; // reported
  if (!w.rotation && !w.slack && !w.sns) {
    cx.report(at, `contact ${contactName} reaches no one; give it slack: "<@U0123ABCD>" and/or sns: <topic ARN>, or a rotation:`);
    return undefined;
  }
  if (w.rotation) {
    const rotation = rotationOf(contactName, v.rotation as ReadMapping | undefined, cx);
    return rotation ? { name: contactName, rotation } : undefined;
  }
  return { name: contactName, ...(v.slack ? { slackMention: v.slack as string } : {}), ...(v.sns ? { snsTopicArn: v.sns as string } : {}) };
}

/** A rotation as read: its members, and overrides that do not overlap. */
function rotationOf(contactName: string, value: ReadMapping | undefined, cx: ReadContext): Rotation | undefined {
  if (!value) return undefined;
  const v = value.values;
  const path = `contacts.${contactName}.rotation`;
  const members = v.members as Array<ReadMapping | string> | undefined;
  const people = members?.map((m, i): RotationMember | undefined => {
    if (typeof m === 'string') return { slackMention: m };
    if (!m.written.slack && !m.written.sns) {
      cx.report(m.node, `${path}.members[${i}] reaches no one; give it slack: "<@U0123ABCD>" and/or sns: <topic ARN>`);
      return undefined;
    }
    return { ...(m.values.slack ? { slackMention: m.values.slack as string } : {}), ...(m.values.sns ? { snsTopicArn: m.values.sns as string } : {}) };
  });
  const overrides = ((v.overrides ?? []) as ReadMapping[]).map((o): RotationOverride => ({
    from: o.values.from as string, to: o.values.to as string,
    ...(o.values.slack ? { slackMention: o.values.slack as string } : {}), ...(o.values.sns ? { snsTopicArn: o.values.sns as string } : {}),
  }));
  const tz = v.time_zone as string | undefined;
  if (tz) {
    const spans = overrides.map((o, i) => ({ i, node: ((v.overrides as ReadMapping[])[i]).node, from: o.from && instantOfLocal(parseLocalTime(o.from)!, tz), to: o.to && instantOfLocal(parseLocalTime(o.to)!, tz) }))
      .filter((s): s is { i: number; node: Node; from: number; to: number } => typeof s.from === 'number' && typeof s.to === 'number');
    for (const s of spans) {
      if (s.to <= s.from) cx.report(s.node, `${path}.overrides[${s.i}] ends before it starts; to: comes after from:`);
    }
    const ordered = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
    for (let i = 1; i < ordered.length; i++) {
      if (ordered[i].from < ordered[i - 1].to) {
        cx.report(ordered[i].node, `${path}.overrides[${ordered[i].i}] overlaps overrides[${ordered[i - 1].i}]; one person is on call at a time: split the time between them`);
      }
    }
  }
  if (!people || people.some((p) => !p) || !v.every || !v.handoff || !tz || !v.start || overrides.some((o) => !o.from || !o.to || !o.slackMention)) return undefined;
  return {
    members: people as RotationMember[],
    everyDays: v.every as number,
    handoff: v.handoff as string,
    timeZone: tz,
    start: v.start as string,
    ...(overrides.length ? { overrides } : {}),
  };
}

/** One `SEVn:` entry: its route, and what its parts must have. Undefined when it has problems (reported). */
function routingOf(sev: Severity, value: ReadMapping | undefined, keyNode: Node, cx: ReadContext): SeverityRouting | undefined {
  if (!value) return undefined;
  const before = cx.problems.length;
  const v = value.values;
  const w = value.written;
  const page = v.page as string | undefined;
  const then = v.then as string[] | undefined;
  const notify = v.notify as string[] | undefined;
  const ticket = v.ticket as string | undefined;
  const after = v.escalate_after as number | undefined;
  const respond = v.respond_within as { respondWithin: string; respondWithinMinutes?: number } | undefined;
  if (w.escalate_after && !w.page) cx.report(w.escalate_after, `${sev}.escalate_after needs page: only pages escalate; add page: <contact>, or remove escalate_after`);
  if (w.then && !w.escalate_after) cx.report(w.then, `${sev}.then needs escalate_after: say after how long "${then?.[0] ?? 'then'}" is paged (e.g. escalate_after: 5m)`);
  if (w.escalate_after && !w.then && w.page) cx.report(w.escalate_after, `${sev}.escalate_after needs then: name who is paged when nobody acknowledges (e.g. then: secondary_oncall), or remove escalate_after`);
  then?.forEach((n, i) => {
    if (then.indexOf(n) !== i) cx.report(cx.locations[`severity_routing.${sev}.then[${i}]`], `${sev}.then lists "${n}" twice; each entry is the next escalation level`);
  });
  const route = page ? Route.PAGE : notify ? Route.NOTIFY : ticket ? Route.TICKET : undefined;
  // A key written wrong (misspelt, or a value refused) was reported: what follows would only repeat it.
  if (cx.problems.length > before || value.unknown > 0 || Object.keys(v).length < Object.keys(w).length) return undefined;
  if (!route) {
    cx.report(keyNode, `${sev} routes nowhere; give it page, notify or ticket (or leave ${sev} out: it then takes the severity table's route, ${SeverityPolicy.defaultRoute(sev)})`);
    return undefined;
  }
  if (SeverityPolicy.isPage(sev) && route !== Route.PAGE) {
    cx.report(keyNode, `${sev} must page (it means ${sev === Severity.SEV1 ? 'an outage' : 'major degradation'}); add page: <contact>`);
    return undefined;
  }
  return { severity: sev, route, page, escalateAfterMinutes: after, then: then?.[0], ...(then?.length ? { escalateTo: then } : {}), notify, ticket, ...respond };
}

/**
 * Every name used is defined, reported all at once: with a contacts section, or words that need
 * contacts (`then`, a `notify` that is not a channel), every `page`, `then` and `notify` name is a
 * contact; `notify` names a channel (`"#name"`, an ID) or a contact.
 */
function checkNames(entries: ReadonlyArray<{ severity: Severity; values: Record<string, unknown> }>, hasContacts: boolean, contacts: readonly string[], cx: ReadContext): void {
  // From what each entry read, problems or not: every name is checked in the same round.
  const uses: Array<{ sev: Severity; field: string; name: string; path: string }> = [];
  for (const { severity: sev, values } of entries) {
    const base = `severity_routing.${sev}`;
    if (typeof values.page === 'string') uses.push({ sev, field: 'page', name: values.page, path: `${base}.page` });
    for (const field of ['then', 'notify']) {
      ((values[field] ?? []) as Array<string | undefined>).forEach((n, i) => {
        if (typeof n === 'string') uses.push({ sev, field, name: n, path: `${base}.${field}[${i}]` });
      });
    }
  }
  const known = new Set(contacts);
  const isChannel = (u: { field: string; name: string }) => u.field === 'notify' && (isSlackChannel(u.name) || u.name.startsWith('#'));
  const needsContacts = hasContacts || uses.some((u) => u.field !== 'page' && !isChannel(u));
  for (const u of uses) {
    const at = cx.locations[u.path] ?? cx.locations[u.path.replace(/\[0\]$/, '')];
    if (u.field === 'notify' && u.name.startsWith('#') && !isSlackChannel(u.name)) {
      cx.report(at, `${u.sev}.notify "${u.name}" is not a Slack channel name: lowercase letters, digits, -, _ and . (at most 80), e.g. "#payments-alerts"`);
      continue;
    }
    if (isChannel(u) || !needsContacts || known.has(u.name)) continue;
    const hint = closest(u.name, contacts);
    const define = `add \`${u.name}:\` under \`contacts:\` with a \`slack:\` mention or an \`sns:\` topic (or a \`rotation:\`)`;
    if (u.field === 'notify') {
      cx.report(at, `${u.sev}.notify "${u.name}" is neither a channel nor a contact${hint ? `; did you mean "${hint}"?` : ''}; ` +
        `write a channel quoted, "#${u.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}", or its ID (C0123ABCD); or ${define}`);
    } else {
      cx.report(at, `${u.sev}.${u.field} "${u.name}" is not a contact${hint ? `; did you mean "${hint}"?` : ''}; ${define}`);
    }
  }
}

/** The postmortem rules, defaults filled in. */
function postmortemOf(value: ReadMapping | undefined, contacts: readonly EscalationContact[], cx: ReadContext): PostmortemPolicy {
  const v = value?.values ?? {};
  const due = (v.due as number | undefined) ?? DEFAULT_POSTMORTEM_SETTINGS.dueBusinessDays;
  const limit = (v.limit as number | undefined) ?? Math.max(DEFAULT_POSTMORTEM_SETTINGS.limitBusinessDays, due);
  // Only when both read: a value refused was reported, and its default would only confuse.
  if (value && due > limit && !(value.written.due && v.due === undefined) && !(value.written.limit && v.limit === undefined)) cx.report(value.written.due ?? value.written.limit, `postmortem.due (${due} business days) is after postmortem.limit (${limit}); due comes first`);
  return {
    requiredFor: (v.required_for as Severity[] | undefined) ?? [...DEFAULT_POSTMORTEM_SETTINGS.requiredFor],
    ...(v.longer_than !== undefined ? { longerThanMinutes: v.longer_than as number } : {}),
    dueBusinessDays: due,
    limitBusinessDays: limit,
    timeZone: (v.time_zone as string | undefined) ?? contacts.find((c) => c.rotation)?.rotation?.timeZone ?? 'UTC',
  };
}

/** Where a value of the policy was written: `file:line:col`, or `file (path)` for a policy built in code. */
export function policyPlace(policy: EscalationPolicy, path: string): string {
  const at = policy.locations?.[path];
  return at ? `${policy.file}:${at.line}:${at.column}` : `${policy.file} (${shown(path)})`;
}

/** Reads and parses an escalation-policy YAML file. */
export function readEscalationPolicy(file: string): EscalationPolicy {
  return parseEscalationPolicy(fs.readFileSync(file, 'utf8'), file);
}
