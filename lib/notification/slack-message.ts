// renderSlackMessage: an alarm notification → the Slack message the on-call engineer reads
// (SPEC §8). Pure and total: every notification renders, whatever it contains.
import { AlarmContract, parseAlarmContract } from '../core/contract';
import { oneLine, shorten } from '../core/text';
import { Severity, SeverityPolicy } from '../core/severity';
import { alarmConsoleUrl, alarmLocation } from './console-link';
import { escapeCode, escapeShortened, plainText } from './escape';
import { AlarmMetric, AlarmMetricQuery, AlarmNotification, TriggeringChild, parseAlarmNotification } from './sns-message';

/** Block Kit's limits (https://api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  blocks: 50,
  buttonText: 75,
  buttonUrl: 3000,
  /** Our own cap on the `text` fallback (notifications show about one line of it). */
  fallbackText: 3000,
} as const;

/** A Block Kit text object. */
export interface SlackText {
  readonly type: string;
  readonly text: string;
  readonly emoji?: boolean;
  readonly verbatim?: boolean;
}

/** A Block Kit element (this renderer only makes link buttons). */
export interface SlackElement {
  readonly type: string;
  readonly text: SlackText;
  readonly url?: string;
  readonly style?: string;
  readonly action_id?: string;
}

/** A Block Kit layout block. */
export interface SlackBlock {
  readonly type: string;
  readonly text?: SlackText;
  readonly fields?: SlackText[];
  readonly elements?: SlackElement[];
}

/** What is posted to the webhook. */
export interface SlackMessage {
  /** Notification and screen-reader text: `[SEV2] ALARM: <name> — <first move>`. */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** Who to mention when an alarm of a severity fires. */
export interface SeverityMention {
  readonly severity: Severity;
  /**
   * A Slack mention in its raw form: a user group `<!subteam^S0123ABCD>`, a user `<@U0123ABCD>`,
   * `<!here>` or `<!channel>`.
   */
  readonly mention: string;
}

/** Who is paged and how a severity escalates, in one line (from the escalation policy). */
export interface SeverityEscalation {
  readonly severity: Severity;
  /** e.g. `pages payments-primary; unacknowledged after 5 min → payments-secondary; notify #incidents` */
  readonly text: string;
}

/** Options of {@link renderSlackMessage}. */
export interface SlackMessageOptions {
  /** Mentions added when an alarm of that severity goes to ALARM (never on OK). @default - none */
  readonly mentions?: SeverityMention[];
  /** Escalation shown when an alarm of that severity goes to ALARM. @default - none */
  readonly escalations?: SeverityEscalation[];
}

const MENTION = /^<(?:@[UW][A-Z0-9]{2,}|!subteam\^[A-Z0-9]{2,}|!here|!channel)>$/;

/** True for the raw mention forms {@link SeverityMention} accepts. */
export function isSlackMention(mention: string): boolean {
  return MENTION.test(mention);
}

type StateKind = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' | 'OTHER';

const STATE_LOOK: Record<StateKind, { emoji: string; word: string }> = {
  ALARM: { emoji: '🔴', word: 'ALARM' },
  OK: { emoji: '✅', word: 'RESOLVED' },
  INSUFFICIENT_DATA: { emoji: '⚪', word: 'INSUFFICIENT DATA' },
  OTHER: { emoji: '❔', word: '' },
};

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text, verbatim: true });
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });

/** http(s) URLs only, within the button limit; anything else is not offered as a link. */
function linkUrl(url: string | undefined): string | undefined {
  if (!url || url.length > SLACK_LIMITS.buttonUrl) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function button(text: string, url: string, actionId: string, primary: boolean): SlackElement {
  const b = { type: 'button', text: { type: 'plain_text', text: plainText(text, SLACK_LIMITS.buttonText), emoji: true }, url, action_id: actionId };
  return primary ? { ...b, style: 'primary' } : b;
}

/** CloudWatch's `2019-02-12T15:45:24.006+0000` as a Slack date (shown in the reader's time zone). */
function slackTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const ms = Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(ms)) return escapeShortened(raw, 200);
  const utc = new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${utc}>`;
}

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: 'below band',
  GreaterThanUpperThreshold: 'above band',
};

function comparison(m: AlarmMetric): string {
  const parts: string[] = [];
  if (m.statistic) parts.push(escapeShortened(m.statistic, 40));
  if (m.comparisonOperator) parts.push(escapeShortened(OPERATORS[m.comparisonOperator] ?? m.comparisonOperator, 60));
  if (m.threshold !== undefined) parts.push(String(m.threshold));
  if (m.period !== undefined) {
    const times = m.evaluationPeriods !== undefined ? `${m.evaluationPeriods} × ` : '';
    parts.push(`over ${times}${m.period >= 60 && m.period % 60 === 0 ? `${m.period / 60} min` : `${m.period} s`}`);
  }
  return parts.join(' ');
}

function metricText(m: AlarmMetric, queries: AlarmMetricQuery[] | undefined): string | undefined {
  const lines: string[] = [];
  const expressions = (queries ?? []).filter((q) => q.expression);
  if (expressions.length > 0) {
    const main = expressions.find((q) => q.returnData) ?? expressions[0];
    lines.push(`*Expression:* \`${escapeCode(main.expression!, 1000)}\` ${escapeShortened(`(${main.label ?? main.id})`, 200)}`);
    const inputs = (queries ?? []).filter((q) => q !== main).map((q) =>
      `\`${escapeCode(q.id, 100)}\` = ${q.expression ? `\`${escapeCode(q.expression, 300)}\`` : escapeShortened(q.metric ?? '?', 300)}`);
    if (inputs.length > 0) lines.push(`where ${inputs.join(', ')}`);
  } else if (m.metricName || m.namespace) {
    const name = [m.namespace, m.metricName].filter(Boolean).join(' ');
    const dims = m.dimensions.map((d) => `${d.name}=${d.value}`).join(', ');
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

function severityLabel(contract: AlarmContract): string {
  if (contract.severity) return contract.severity;
  return contract.severityText ? `${oneLine(contract.severityText).slice(0, 20)} (not a severity)` : 'NO SEVERITY';
}

function mentionFor(severity: Severity | undefined, options: SlackMessageOptions): string | undefined {
  if (!severity) return undefined;
  const found = (options.mentions ?? []).filter((m) => m.severity === severity && isSlackMention(m.mention)).map((m) => m.mention);
  return found.length > 0 ? found.join(' ') : undefined;
}

function fields(n: AlarmNotification, contract: AlarmContract, sev: string, region: string | undefined): SlackText[] {
  const out: Array<[string, string | undefined]> = [
    ['Severity', escapeShortened(sev, 100)],
    ['State', escapeShortened(`${n.oldState ?? '?'} → ${n.newState}`, 200)],
    ['Account', n.accountId ? escapeShortened(n.accountId, 100) : undefined],
    ['Region', region ? escapeShortened(region, 100) : n.regionName ? escapeShortened(n.regionName, 200) : undefined],
    ['Owner', contract.owner ? escapeShortened(contract.owner, 500) : undefined],
    ['Time', slackTime(n.stateChangeTime)],
  ];
  return out
    .filter((f): f is [string, string] => f[1] !== undefined)
    .slice(0, SLACK_LIMITS.fields)
    .map(([k, v]) => mrkdwn(shorten(`*${k}*\n${v}`, SLACK_LIMITS.fieldText)));
}

/**
 * Renders a CloudWatch alarm notification as a Slack message: `text` fallback, header, summary,
 * first move, reason, fields, runbook and console buttons. Text from the alarm is escaped and can
 * never mention anyone or form a link; Block Kit limits are kept by shortening with `…`.
 */
export function renderSlackMessage(notification: AlarmNotification, options: SlackMessageOptions = {}): SlackMessage {
  const n = notification;
  const contract = parseAlarmContract(n.alarmDescription);
  const kind = stateKind(n.newState);
  const look = STATE_LOOK[kind];
  const stateWord = kind === 'OTHER' ? oneLine(n.newState).slice(0, 30) || 'UNKNOWN' : look.word;
  const sev = severityLabel(contract);
  const runbookUrl = linkUrl(contract.runbookUrl);
  const hasContract = contract.severity !== undefined || contract.runbookUrl !== undefined;
  const location = alarmLocation(n.alarmArn, n.topicArn, n.regionName);
  // The notification does not say which topic it came through as a route, so only the severity decides.
  const isPage = SeverityPolicy.isPageAlarm(contract.severity, false);
  const mention = kind === 'ALARM' ? mentionFor(contract.severity, options) : undefined;
  const name = oneLine(n.alarmName);

  // The fallback text is what phones and screen readers show.
  let tail = '';
  if (n.unreadableMessage !== undefined) tail = ' — unreadable notification, see message';
  else if (kind === 'ALARM' && contract.firstMove) tail = ` — ${oneLine(contract.firstMove)}`;
  else if (kind === 'OK' && isPage) tail = ' — postmortem due';
  else if (!runbookUrl && kind !== 'OK') tail = ' — no runbook';
  const fallback = escapeShortened(`[${sev}] ${stateWord}: ${name}${tail}`, SLACK_LIMITS.fallbackText - (mention ? mention.length + 1 : 0));
  const text = mention ? `${mention} ${fallback}` : fallback;

  const blocks: SlackBlock[] = [];
  const emoji = n.unreadableMessage !== undefined ? '⚠️' : look.emoji;
  blocks.push({ type: 'header', text: { type: 'plain_text', text: plainText(`${emoji} ${sev} · ${stateWord} · ${name}`, SLACK_LIMITS.headerText), emoji: true } });
  if (mention) blocks.push(section(`${mention} — ${sev} page`));

  if (n.unreadableMessage !== undefined) {
    const head = `:warning: *This notification could not be read* (${escapeShortened(n.unreadableReason ?? 'unknown reason', 200)}). It is shown as it arrived:\n`;
    const raw = n.unreadableMessage.replace(/```/g, "'''");
    blocks.push(section(`${head}\`\`\`${escapeShortened(raw, SLACK_LIMITS.sectionText - head.length - 6)}\`\`\``));
  } else if (!hasContract) {
    blocks.push(section(':warning: *No runbook.* This alarm\'s description carries no `Severity:` / `Runbook:` lines, ' +
      'so nobody knows how bad it is or what to do first. Give it a contract (`RunbookAlarm`).'));
    if (n.alarmDescription) blocks.push(section(escapeShortened(n.alarmDescription, SLACK_LIMITS.sectionText)));
  } else {
    if (contract.summary) blocks.push(section(escapeShortened(contract.summary, SLACK_LIMITS.sectionText)));
    if (!runbookUrl) {
      const why = contract.runbookUrl ? ` (the \`Runbook:\` value is not an http(s) link: ${escapeCode(contract.runbookUrl, 300)})` : '';
      blocks.push(section(`:warning: *No runbook*${why}.`));
    }
  }

  if (kind === 'ALARM' && contract.firstMove) {
    blocks.push({ type: 'divider' });
    blocks.push(section(`:point_right: *First move*\n>${escapeShortened(oneLine(contract.firstMove), SLACK_LIMITS.sectionText - 40)}`));
    blocks.push({ type: 'divider' });
  }
  const escalation = kind === 'ALARM' ? (options.escalations ?? []).find((e) => e.severity === contract.severity) : undefined;
  if (escalation) blocks.push(section(`:alarm_clock: *Escalation:* ${escapeShortened(oneLine(escalation.text), 1000)}`));
  if (kind === 'INSUFFICIENT_DATA') {
    blocks.push(section(':grey_question: *The alarm cannot evaluate*: its metric stopped reporting or the data is missing. ' +
      'Check that the resource still exists and still emits metrics; this is not a recovery.'));
  }
  if (n.reason) blocks.push(section(`*Why:* ${escapeShortened(n.reason, SLACK_LIMITS.sectionText - 8)}`));

  const fieldList = fields(n, contract, sev, location.region);
  if (fieldList.length > 0) blocks.push({ type: 'section', fields: fieldList });

  const watched = n.triggeringChildren || n.alarmRule ? compositeText(n.alarmRule, n.triggeringChildren) : n.metric ? metricText(n.metric, n.metricQueries) : undefined;
  if (watched) blocks.push(section(shorten(watched, SLACK_LIMITS.sectionText)));

  if (kind === 'OK' && isPage) {
    blocks.push(section(`:memo: *Postmortem due.* ${contract.severity} incidents get a blameless postmortem; ` +
      `${runbookUrl ? "the runbook's Postmortem section says how" : 'write it while it is fresh'}.`));
  }

  const buttons: SlackElement[] = [];
  if (runbookUrl) buttons.push(button('Open runbook', runbookUrl, 'open-runbook', kind === 'ALARM'));
  if (n.unreadableMessage === undefined) {
    // Alarm names are at most 255 characters; anything longer gets the region's alarm list instead.
    const view = alarmConsoleUrl(n.alarmName, location.partition, location.region);
    const url = view.length <= SLACK_LIMITS.buttonUrl ? view : alarmConsoleUrl('', location.partition, location.region).replace(/alarm\/$/, '');
    buttons.push(button('View alarm', url, 'view-alarm', false));
  }
  const dashboard = linkUrl(contract.dashboardUrl);
  if (dashboard) buttons.push(button('Dashboard', dashboard, 'open-dashboard', false));

  // A guard only: no notification can reach this limit through renderSlackMessage (at most ~12
  // blocks: header, mention, two lead sections, first move between dividers, escalation, reason,
  // fields, watched, actions), so no test exercises it. Kept in case a later block is repeated.
  const body = blocks.slice(0, SLACK_LIMITS.blocks - (buttons.length > 0 ? 1 : 0));
  if (buttons.length > 0) body.push({ type: 'actions', elements: buttons });
  return { text, blocks: body };
}

/** The formatter as static methods, for jsii languages; `renderSlackMessage` and `parseAlarmNotification` are aliases. */
export class SlackMessageFormatter {
  /** Reads the `Message` of an SNS notification (CloudWatch's JSON); never throws. */
  public static parseNotification(message: string, topicArn?: string, messageId?: string, subject?: string): AlarmNotification {
    return parseAlarmNotification(message, topicArn, messageId, subject);
  }

  /** Renders a notification as a Slack message (see {@link renderSlackMessage}). */
  public static render(notification: AlarmNotification, options?: SlackMessageOptions): SlackMessage {
    return renderSlackMessage(notification, options);
  }
}
