// renderSlackMessage: an alarm notification → the Slack message the on-call engineer reads
// (docs/design/slack.md). Pure and total: every notification renders, whatever it contains; what is sent has
// passed the Block Kit check on its final strings, or is the "could not be read" form.
import { AlarmContract, parseAlarmContract } from '../core/contract';
import { oneLine, shorten } from '../core/text';
import { RESPONSE_TARGETS, Severity, isPageAlarm } from '../core/severity';
import { SLACK_LIMITS, SlackBlock, SlackElement, SlackMessage, SlackText, blockKitProblems } from './block-kit';
import { alarmConsoleUrl, alarmLocation } from './console-link';
import { SeverityEscalation, splitEscalation } from './escalation';
import { escapeCode, escapeShortened, plainText, shortenMrkdwn } from './escape';
import { AlarmMetric, AlarmMetricQuery, AlarmNotification, TriggeringChild, asAlarmNotification, cloudWatchTime, parseAlarmNotification, preview } from './sns-message';

export { SLACK_LIMITS, blockKitProblems } from './block-kit';
export type { SlackBlock, SlackElement, SlackMessage, SlackText } from './block-kit';
export type { SeverityEscalation } from './escalation';

/** Who to mention when an alarm of a severity fires. */
export interface SeverityMention {
  readonly severity: Severity;
  /**
   * A Slack mention in its raw form: a user group `<!subteam^S0123ABCD>`, a user `<@U0123ABCD>`,
   * `<!here>` or `<!channel>`.
   */
  readonly mention: string;
}


/** Options of {@link renderSlackMessage}. */
export interface SlackMessageOptions {
  /** Mentions added when an alarm of that severity goes to ALARM (never on OK). @default - none */
  readonly mentions?: SeverityMention[];
  /** Escalation shown when an alarm of that severity goes to ALARM. @default - none */
  readonly escalations?: SeverityEscalation[];
  /**
   * The state as the header and the `text` fallback name it, instead of the notification's own
   * (the Slack app mode's parent says `RESOLVED after 23 min`, `back in ALARM`). @default - the state's name
   */
  readonly stateLabel?: string;
  /** When the postmortem of a SEV1/SEV2 resolution is due (epoch milliseconds). @default - not said */
  readonly postmortemDueAt?: number;
  /** The service the alarm belongs to (the escalation policy's `service`), shown as a field. @default - not shown */
  readonly service?: string;
}

/**
 * Mentions worked out when a message is drawn, from its alarm's severity and time (the functions
 * give one: whoever a rotation has on call when the alarm fired). Not part of the public options.
 */
export type MentionResolver = (severity: Severity | undefined, at: number | undefined) => SeverityMention[];

/** What the notifier's own renderers add to {@link SlackMessageOptions} (not public): a mention resolver, the postmortem's say. */
export interface RenderOptions extends SlackMessageOptions {
  /** The contacts told when an alarm opens, a rotation's on call at the alarm's time. @default - none */
  readonly mentionsAt?: MentionResolver;
  /**
   * Whether the resolution says a postmortem is due (its section and the text's tail). The app mode's
   * parent decides by the team's criteria, and says it in its own line once the postmortem is tracked.
   * @default - SEV1/SEV2 resolutions
   */
  readonly postmortemDue?: boolean;
}

// Slack ids are about 11 characters; the bound keeps any mix of configured mentions within Block Kit's limits.
const MENTION = /^<(?:@[UW][A-Z0-9]{2,40}|!subteam\^[A-Z0-9]{2,40}|!here|!channel)>$/;

/** True for the raw mention forms {@link SeverityMention} accepts. */
export function isSlackMention(mention: string): boolean {
  return typeof mention === 'string' && MENTION.test(mention);
}

type StateKind = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' | 'OTHER';

const STATE_LOOK: Record<StateKind, { emoji: string; word: string }> = {
  ALARM: { emoji: '🔴', word: 'ALARM' },
  OK: { emoji: '✅', word: 'RESOLVED' },
  INSUFFICIENT_DATA: { emoji: '⚪', word: 'INSUFFICIENT DATA' },
  OTHER: { emoji: '❔', word: '' },
};

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text, verbatim: true });
/** A section of mrkdwn text (already escaped). The one builder of it: the incident messages use it too. */
export const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });
/** A plain_text object (already escaped and shortened), as headers and buttons carry it. */
export const plainTextObject = (text: string): SlackText => ({ type: 'plain_text', text, emoji: true });
const header = (text: string): SlackBlock => ({ type: 'header', text: plainTextObject(plainText(text, SLACK_LIMITS.headerText)) });

/** Why a URL from the alarm is not offered as a button, if it is not. */
function linkProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not an http(s) link';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'is not an http(s) link';
  // The parser's `href` (percent-encoded) is what is sent, so that is what is measured.
  return u.href.length > SLACK_LIMITS.buttonUrl ? `is longer than Slack's ${SLACK_LIMITS.buttonUrl} characters once encoded` : undefined;
}

/** http(s) URLs only, within the button limit once encoded; anything else is not offered as a link. */
function linkUrl(url: string | undefined): string | undefined {
  if (!url || url.length > SLACK_LIMITS.buttonUrl || linkProblem(url)) return undefined;
  return new URL(url).href;
}

function button(text: string, url: string, actionId: string, primary: boolean): SlackElement {
  const b = { type: 'button', text: plainTextObject(plainText(text, SLACK_LIMITS.buttonText)), url, action_id: actionId };
  return primary ? { ...b, style: 'primary' } : b;
}

// Slack dates are seconds since 1970, shown with a 4-digit year; any other time is shown as written.
const LAST_SLACK_DATE_MS = Date.UTC(10000, 0, 1) - 1;

/** An instant as plain text in UTC: `2026-11-23 02:14:00 UTC`. */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** True for an instant a Slack date can show. */
function isSlackDate(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= LAST_SLACK_DATE_MS;
}

/** An instant as a Slack date (each reader sees it in their time zone), with the UTC text as fallback. */
export function slackDate(ms: number): string {
  return isSlackDate(ms) ? `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${utcText(ms)}>` : 'an unknown time';
}

/** CloudWatch's `2019-02-12T15:45:24.006+0000` as a Slack date (shown in the reader's time zone). */
function slackTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const ms = cloudWatchTime(raw);
  return ms === undefined || !isSlackDate(ms) ? escapeShortened(raw, 200) : slackDate(ms);
}

// A Map, so that `constructor` or `__proto__` is shown as written rather than read from Object.prototype.
// Its calls are marked pure (as is the notice's below): a bundle that imports this module for a helper
// (the handoff's: slackDate, section) does not carry the renderer's tables.
const OPERATORS = /* @__PURE__ */ new Map(/* @__PURE__ */ Object.entries({
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: 'below band',
  GreaterThanUpperThreshold: 'above band',
}));

function comparison(m: AlarmMetric): string {
  const parts: string[] = [];
  if (m.statistic) parts.push(escapeShortened(m.statistic, 40));
  if (m.comparisonOperator) parts.push(escapeShortened(OPERATORS.get(m.comparisonOperator) ?? m.comparisonOperator, 60));
  if (m.threshold !== undefined) parts.push(String(m.threshold));
  if (m.period !== undefined) {
    const times = m.evaluationPeriods !== undefined ? `${m.evaluationPeriods} × ` : '';
    parts.push(`over ${times}${m.period >= 60 && m.period % 60 === 0 ? `${m.period / 60} min` : `${m.period} s`}`);
  }
  return parts.join(' ');
}

/** At most `max` items, and the count of the rest: the engineer must know a list is partial. */
function listed<T>(items: T[], max: number, show: (item: T) => string, separator: string): string {
  const shown = items.slice(0, max).map(show).join(separator);
  return items.length > max ? `${shown}${separator}…and ${items.length - max} more` : shown;
}

function metricText(m: AlarmMetric, queries: AlarmMetricQuery[] | undefined): string | undefined {
  const lines: string[] = [];
  const expressions = (queries ?? []).filter((q) => q.expression);
  if (expressions.length > 0) {
    const main = expressions.find((q) => q.returnData) ?? expressions[0];
    lines.push(`*Expression:* \`${escapeCode(main.expression!, 1000)}\` ${escapeShortened(`(${main.label ?? main.id})`, 200)}`);
    const inputs = (queries ?? []).filter((q) => q !== main);
    if (inputs.length > 0) {
      lines.push(`where ${listed(inputs, 10, (q) =>
        `\`${escapeCode(q.id, 100) || '?'}\` = ${q.expression ? `\`${escapeCode(q.expression, 300)}\`` : escapeShortened(q.metric ?? '?', 300)}`, ', ')}`);
    }
  } else if (m.metricName || m.namespace) {
    const name = [m.namespace, m.metricName].filter(Boolean).join(' ');
    const dims = listed(m.dimensions, 30, (d) => `${d.name}=${d.value}`, ', ');
    lines.push(`*Metric:* \`${escapeCode(name, 300)}\`${dims ? ` (${escapeShortened(dims, 500)})` : ''}`);
  }
  const cmp = comparison(m);
  if (cmp) lines.push(`*Condition:* ${cmp}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function compositeText(rule: string | undefined, children: TriggeringChild[] | undefined): string | undefined {
  const lines: string[] = [];
  if (rule) lines.push(`*Rule:* \`${escapeCode(rule, 1200)}\``);
  if (children && children.length > 0) {
    lines.push('*Triggered by:*');
    // List what fits the section beside the rule and always keep the count of the rest: the
    // engineer must know the list is partial.
    const budget = SLACK_LIMITS.sectionText - 30;
    let used = lines.join('\n').length;
    let shown = 0;
    for (const c of children.slice(0, 20)) {
      const line = `• ${escapeShortened(c.name, 200)}${c.state ? ` — ${escapeShortened(c.state, 40)}` : ''}`;
      if (used + 1 + line.length > budget) break;
      lines.push(line);
      used += 1 + line.length;
      shown++;
    }
    if (children.length > shown) lines.push(`…and ${children.length - shown} more`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function stateKind(state: string): StateKind {
  return state === 'ALARM' || state === 'OK' || state === 'INSUFFICIENT_DATA' ? state : 'OTHER';
}

/** The emoji of a state (🔴 ✅ ⚪, ❔ for any other), as every message shows it. */
export function stateEmoji(state: string): string {
  return STATE_LOOK[stateKind(state)].emoji;
}

function severityLabel(contract: AlarmContract): string {
  if (contract.severity) return contract.severity;
  const written = contract.severityText ? shorten(oneLine(contract.severityText), 20) : '';
  return written ? `${written} (not a severity)` : 'NO SEVERITY';
}

/**
 * The configured mentions that are well-formed, and those the resolver gives for notification `n`:
 * the only `<…>` a message may carry besides Slack dates.
 */
export function liveMentions(options: RenderOptions, n?: AlarmNotification): SeverityMention[] {
  const resolved = n && typeof options.mentionsAt === 'function'
    ? options.mentionsAt(parseAlarmContract(n.alarmDescription).severity, cloudWatchTime(n.stateChangeTime)) : [];
  return [...(Array.isArray(options.mentions) ? options.mentions : []), ...resolved].filter((m) => m && isSlackMention(m.mention));
}

/** Mentions per severity: a group or two in practice; the cap keeps the lead line short whatever is configured. */
const MAX_MENTIONS = 10;

function mentionFor(severity: Severity | undefined, mentions: SeverityMention[]): string | undefined {
  if (!severity) return undefined;
  const found = [...new Set(mentions.filter((m) => m.severity === severity).map((m) => m.mention))].slice(0, MAX_MENTIONS);
  return found.length > 0 ? found.join(' ') : undefined;
}

function fields(n: AlarmNotification, contract: AlarmContract, sev: string, region: string | undefined, service: unknown): SlackText[] {
  const out: Array<[string, string | undefined]> = [
    ['Service', typeof service === 'string' && service.trim() !== '' ? escapeShortened(oneLine(service), 100) : undefined],
    ['Severity', escapeShortened(sev, 100)],
    ['State', escapeShortened(`${n.oldState ?? '?'} → ${n.newState}`, 200)],
    ['Account', n.accountId ? escapeShortened(n.accountId, 100) : undefined],
    ['Region', region ? escapeShortened(region, 100) : n.regionName ? escapeShortened(n.regionName, 200) : undefined],
    ['Owner', contract.owner ? escapeShortened(contract.owner, 500) : undefined],
    ['Time', slackTime(n.stateChangeTime)],
  ];
  return out
    .filter((f): f is [string, string] => f[1] !== undefined && f[1].trim() !== '')
    .slice(0, SLACK_LIMITS.fields)
    .map(([k, v]) => mrkdwn(shortenMrkdwn(`*${k}*\n${v}`, SLACK_LIMITS.fieldText)));
}

/** What an INSUFFICIENT_DATA notification says, in the message and in a thread reply alike. */
export const CANNOT_EVALUATE = ':grey_question: *The alarm cannot evaluate*: its metric stopped reporting or the data is missing. ' +
  'Check that the resource still exists and still emits metrics; this is not a recovery.';

// The first move and the never-do warning: the contract key, the heading in a message, the lead in one-line forms.
const GUIDANCE = [['firstMove', ':point_right: *First move', ''], ['never', ':no_entry: *Never', 'Never: ']] as const;

/**
 * The first move and the never-do warning, set apart: each quoted under its heading (the message's
 * own sections), or one line each (`quote` false: the thread replies).
 */
export function guidanceLines(contract: AlarmContract, quote = false): string[] {
  return GUIDANCE.flatMap(([key, head]) => {
    const v = contract[key];
    return v ? [`${head}${quote ? '*\n>' : ':* '}${escapeShortened(oneLine(v), quote ? SLACK_LIMITS.sectionText - 40 : 1000)}`] : [];
  });
}

/** ` — <first move> · Never: <warning>` for one-line forms (the `text` fallback); empty without either. */
export function guidanceTail(contract: AlarmContract): string {
  const out = GUIDANCE.flatMap(([key, , lead]) => (contract[key] ? [lead + oneLine(contract[key])] : []));
  return out.length > 0 ? ` — ${out.join(' · ')}` : '';
}

/**
 * How fast a person is expected to start, and how the page escalates: the severity's escalation
 * line (from the policy), led by the policy's response target or else the severity table's.
 */
export function responseText(severity: Severity | undefined, options: SlackMessageOptions): string | undefined {
  if (!severity) return undefined;
  const escalations = Array.isArray(options.escalations) ? options.escalations : [];
  const line = escalations.find((e) => e?.severity === severity && typeof e.text === 'string' && e.text.trim() !== '');
  const { respond, rest } = line ? splitEscalation(oneLine(line.text)) : { rest: '' };
  const lines = [`:stopwatch: *Respond* ${escapeShortened(respond || RESPONSE_TARGETS[severity], 200)}`];
  if (rest) lines.push(`:alarm_clock: *Escalation:* ${escapeShortened(rest, 1000)}`);
  return lines.join('\n');
}

/** The "could not be read" section: why, then what arrived, raw in a code block. */
function unreadableSection(reason: string, raw: string): SlackBlock {
  const head = `:warning: *This notification could not be read* (${escapeShortened(reason, 200)}). It is shown as it arrived:\n`;
  const body = escapeShortened(raw.replace(/```/g, "'''"), SLACK_LIMITS.sectionText - head.length - 6);
  // Slack shows no empty code block: say so instead.
  return section(`${head}\`\`\`${body.trim() === '' ? '(empty)' : body}\`\`\``);
}

function renderWhole(n: AlarmNotification, options: RenderOptions, mentions: SeverityMention[]): SlackMessage {
  const contract = parseAlarmContract(n.alarmDescription);
  const kind = stateKind(n.newState);
  const look = STATE_LOOK[kind];
  const label = typeof options.stateLabel === 'string' ? shorten(oneLine(options.stateLabel), 60) : '';
  const stateWord = label || (kind === 'OTHER' ? shorten(oneLine(n.newState), 30) || 'UNKNOWN' : look.word);
  const due = kind === 'OK' && typeof options.postmortemDueAt === 'number' && isSlackDate(options.postmortemDueAt) ? options.postmortemDueAt : undefined;
  const sev = severityLabel(contract);
  const runbookUrl = linkUrl(contract.runbookUrl);
  const hasContract = contract.severity !== undefined || contract.runbookUrl !== undefined;
  const location = alarmLocation(n.alarmArn, n.topicArn, n.regionName);
  // The notification does not say which topic it came through as a route, so only the severity decides.
  const isPage = isPageAlarm(contract.severity, false);
  const postmortem = kind === 'OK' && (typeof options.postmortemDue === 'boolean' ? options.postmortemDue : isPage);
  const mention = kind === 'ALARM' ? mentionFor(contract.severity, mentions) : undefined;
  const name = oneLine(n.alarmName);

  // The fallback text is what phones and screen readers show.
  let tail = '';
  if (n.unreadableMessage !== undefined) tail = ' — unreadable notification, see message';
  else if (kind === 'ALARM' && (contract.firstMove || contract.never)) tail = guidanceTail(contract);
  else if (postmortem) tail = due !== undefined ? ` — postmortem due by ${utcText(due)}` : ' — postmortem due';
  else if (!runbookUrl && kind !== 'OK') tail = ' — no runbook';
  const fallback = escapeShortened(`[${sev}] ${stateWord}: ${name}${tail}`, SLACK_LIMITS.fallbackText - (mention ? mention.length + 1 : 0));
  const text = mention ? `${mention} ${fallback}` : fallback;

  const blocks: SlackBlock[] = [];
  const emoji = n.unreadableMessage !== undefined ? '⚠️' : look.emoji;
  blocks.push(header(`${emoji} ${sev} · ${stateWord} · ${name}`));
  if (mention) blocks.push(section(`${mention} — ${sev} page`));

  if (n.unreadableMessage !== undefined) {
    blocks.push(unreadableSection(n.unreadableReason ?? 'unknown reason', n.unreadableMessage));
  } else if (!hasContract) {
    blocks.push(section(':warning: *No runbook.* This alarm\'s description carries no `Severity:` / `Runbook:` lines, ' +
      'so nobody knows how bad it is or what to do first. Give it a contract (`RunbookAlarm`).'));
    const description = n.alarmDescription ? escapeShortened(n.alarmDescription, SLACK_LIMITS.sectionText) : '';
    if (description.trim() !== '') blocks.push(section(description));
  } else {
    if (contract.summary) blocks.push(section(escapeShortened(contract.summary, SLACK_LIMITS.sectionText)));
    if (!runbookUrl) {
      const problem = contract.runbookUrl ? linkProblem(contract.runbookUrl.slice(0, SLACK_LIMITS.buttonUrl + 1)) ?? 'is too long' : '';
      const why = contract.runbookUrl ? ` (the \`Runbook:\` value ${problem}: ${escapeCode(contract.runbookUrl, 300)})` : '';
      blocks.push(section(`:warning: *No runbook*${why}.`));
    }
  }

  if (kind === 'ALARM' && (contract.firstMove || contract.never)) {
    // What to do, and what never to do, set apart between dividers.
    blocks.push({ type: 'divider' }, ...guidanceLines(contract, true).map(section), { type: 'divider' });
  }
  const response = kind === 'ALARM' ? responseText(contract.severity, options) : undefined;
  if (response) blocks.push(section(response));
  if (kind === 'INSUFFICIENT_DATA') {
    blocks.push(section(CANNOT_EVALUATE));
  }
  if (n.reason) blocks.push(section(`*Why:* ${escapeShortened(n.reason, SLACK_LIMITS.sectionText - 8)}`));

  const fieldList = fields(n, contract, sev, location.region, options.service);
  if (fieldList.length > 0) blocks.push({ type: 'section', fields: fieldList });

  const watched = n.triggeringChildren || n.alarmRule ? compositeText(n.alarmRule, n.triggeringChildren) : n.metric ? metricText(n.metric, n.metricQueries) : undefined;
  if (watched) blocks.push(section(shortenMrkdwn(watched, SLACK_LIMITS.sectionText)));

  if (postmortem) {
    blocks.push(section(`:memo: *Postmortem due${due !== undefined ? ` by ${slackDate(due)}` : ''}.* ${contract.severity ?? 'These'} incidents get a blameless postmortem; ` +
      `${runbookUrl ? "the runbook's Postmortem section says how" : 'write it while it is fresh'}.`));
  }

  const buttons: SlackElement[] = [];
  if (runbookUrl) buttons.push(button('Open runbook', runbookUrl, 'open-runbook', kind === 'ALARM'));
  if (n.unreadableMessage === undefined) {
    // Alarm names are at most 255 characters; one whose link would not fit gets the region's alarm list instead.
    const view = n.alarmName.length <= SLACK_LIMITS.buttonUrl ? alarmConsoleUrl(n.alarmName, location.partition, location.region) : '';
    const url = view && view.length <= SLACK_LIMITS.buttonUrl ? view : alarmConsoleUrl('', location.partition, location.region).replace(/alarm\/$/, '');
    buttons.push(button('View alarm', url, 'view-alarm', false));
  }
  const dashboard = linkUrl(contract.dashboardUrl);
  if (dashboard) buttons.push(button('Dashboard', dashboard, 'open-dashboard', false));

  // At most 15 blocks come out of the above (header, mention, two lead sections, first move
  // between dividers, escalation, insufficient data, reason, fields, watched, postmortem,
  // actions), far from the 50 allowed; the Block Kit check catches a change that repeats one.
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text, blocks };
}

/** How a notification came out: as designed, in the "could not be read" form, or as a bare notice. */
export type RenderForm = 'whole' | 'unreadable' | 'notice';

/** What {@link renderNotification} made, and why it fell back when it did. */
export interface RenderResult {
  readonly message: SlackMessage;
  /**
   * `whole`: the message as designed (for a notification that could not be parsed, that is the
   * raw message marked unreadable). `unreadable`: rendering failed or broke a Block Kit rule, so
   * the notification is posted in the "could not be read" form. `notice`: even that failed; the
   * message only says a notification could not be shown, and the caller must keep the event.
   */
  readonly form: RenderForm;
  /** Why it fell back (`unreadable`, `notice`). */
  readonly problem?: string;
}

// The last resort: constant text (the test suite checks it against Block Kit like any message).
export const NOTICE_MESSAGE: SlackMessage = {
  text: '⚠️ A notification arrived that could not be shown; the notifier keeps it for its failure queue',
  blocks: [/* @__PURE__ */ section(':warning: *A notification arrived that could not be shown.* The notifier fails the invocation so that ' +
    'Lambda keeps the event (retries, then the failure queue); its logs say why.')],
};

const describeError = (err: unknown): string => {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : typeof err;
  } catch {
    return 'an error';
  }
};

/** The "could not be read" form, from what is most likely to survive: name, state, and the notification as data. */
function renderUnreadable(n: AlarmNotification, problem: string): SlackMessage {
  const name = oneLine(n.alarmName);
  const state = shorten(oneLine(n.newState), 30) || 'UNKNOWN';
  return {
    text: escapeShortened(`[?] ${state}: ${name} — unreadable notification, see message`, SLACK_LIMITS.fallbackText),
    blocks: [
      header(`⚠️ ${state} · ${name}`),
      unreadableSection(problem, n.unreadableMessage ?? preview(n)),
    ],
  };
}

/**
 * Renders a notification for delivery; never throws. The message is checked against Block Kit's
 * rules on its final strings ({@link blockKitProblems}); one that fails the check, or a render
 * that throws, gives the "could not be read" form instead, and `problem` says why.
 */
export function renderNotification(notification: AlarmNotification, options: RenderOptions = {}): RenderResult {
  let n: AlarmNotification | undefined;
  let problem: string;
  try {
    n = asAlarmNotification(notification);
    const opts = options && typeof options === 'object' ? options : {};
    const mentions = liveMentions(opts, n);
    const message = renderWhole(n, opts, mentions);
    const problems = blockKitProblems(message, mentions.map((m) => m.mention));
    if (problems.length === 0) return { message, form: 'whole' };
    problem = `the message broke a Block Kit rule: ${problems.slice(0, 3).join('; ')}`;
  } catch (err) {
    problem = `rendering failed: ${describeError(err)}`;
  }
  try {
    const message = renderUnreadable(n ?? asAlarmNotification(notification), problem);
    if (blockKitProblems(message).length === 0) return { message, form: 'unreadable', problem };
  } catch {
    // the notice below
  }
  return { message: NOTICE_MESSAGE, form: 'notice', problem };
}

/**
 * Renders a CloudWatch alarm notification as a Slack message: `text` fallback, header, summary,
 * first move, reason, fields, runbook and console buttons. Text from the alarm is escaped and can
 * never mention anyone or form a link; Block Kit limits are kept by shortening with `…`. Never
 * throws: see {@link renderNotification}.
 */
export function renderSlackMessage(notification: AlarmNotification, options: SlackMessageOptions = {}): SlackMessage {
  return renderNotification(notification, options).message;
}

/** The formatter as static methods, for jsii languages; `renderSlackMessage` and `parseAlarmNotification` are aliases. */
export class SlackMessageFormatter {
  /** Reads the `Message` of an SNS notification (CloudWatch's JSON); never throws. */
  public static parseNotification(message: string, topicArn?: string, messageId?: string, subject?: string): AlarmNotification {
    return parseAlarmNotification(message, topicArn, messageId, subject);
  }

  /** Renders a notification as a Slack message (see {@link renderSlackMessage}); never throws. */
  public static render(notification: AlarmNotification, options?: SlackMessageOptions): SlackMessage {
    return renderSlackMessage(notification, options);
  }
}
