// A postmortem draft in the SRE guide's template (docs/postmortems.md#the-format), pre-filled from
// what the incident already knows: its severity, alarm, runbook and first move, and the timeline
// — fired, acknowledged by, escalated to, resolved, with MTTA and MTTR. What only people know is
// left as <placeholders>, so the draft fails `runbook-alarms lint` until it is written.
// Pure: `runbook-alarms postmortem new` gathers the facts and writes the file.
import { localDateTime } from '../core/business-days';

/** What the incident knows, for the draft. */
export interface PostmortemFacts {
  readonly incidentId: string;
  readonly alarmName: string;
  readonly severity?: string;
  /** The title (the runbook's, else the alarm's name). */
  readonly title: string;
  /** The runbook as the front matter names it: a path under the project root, a URL, or `none`. */
  readonly runbook: string;
  readonly firstMove?: string;
  /** Epoch ms. */
  readonly firedAt?: number;
  readonly acknowledgedAt?: number;
  /** Who acknowledged it (a Slack user ID). */
  readonly acknowledgedBy?: string;
  readonly escalatedLevel?: number;
  readonly escalatedAt?: number;
  /** The contacts it escalated to, in order. */
  readonly escalatedTo?: readonly string[];
  readonly resolvedAt?: number;
  readonly mttaSeconds?: number;
  readonly mttrSeconds?: number;
  readonly reopened?: number;
  /** When the postmortem is due (epoch ms). */
  readonly dueAt?: number;
}

/** How the draft is written. */
export interface PostmortemDraftOptions {
  readonly author: string;
  /** The time zone of the timeline's times. */
  readonly timeZone: string;
}

/** `45 s`, `23 min`, `2 h 5 min`. */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** A front matter value YAML reads back as written. */
function yamlValue(v: string): string {
  return /^[A-Za-z0-9][\w .,()/@+-]*$/.test(v) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(v) && !/^[\d.]+$/.test(v) ? v : JSON.stringify(v);
}

/** Markdown text that cannot break the line it is on (table cells, list items). */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[|<>]/g, (c) => `\\${c}`).trim();
}

/** The file name: `<date>-<slug>.md`, the date the incident's (in the time zone). */
export function draftFileName(facts: PostmortemFacts, timeZone: string, today: number): string {
  const date = localDateTime(facts.firedAt ?? facts.resolvedAt ?? today, timeZone).date;
  const slug = facts.title.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'incident';
  return `${date}-${slug}.md`;
}

/** The draft's markdown. */
export function renderPostmortemDraft(facts: PostmortemFacts, options: PostmortemDraftOptions, today: number): string {
  const tz = options.timeZone;
  const zone = tz === 'UTC' ? 'UTC' : tz;
  const first = facts.firedAt ?? facts.resolvedAt ?? today;
  let lastDate = '';
  /** `HH:MM` (with the date when it changes: the first entry, and an incident past midnight). */
  const at = (ms: number) => {
    const { date, time } = localDateTime(ms, tz);
    const shown = date === lastDate ? time : `${date} ${time}`;
    lastDate = date;
    return shown;
  };
  const alarm = `\`${facts.alarmName.replace(/`/g, "'")}\``;
  // The events the incident recorded, in the order they happened.
  const events: Array<[number, string]> = [];
  if (facts.firedAt !== undefined) events.push([facts.firedAt, `Alarm ${alarm} fired (automatic detection)${facts.firstMove ? `; first move: ${inline(facts.firstMove)}` : ''}`]);
  if (facts.acknowledgedAt !== undefined) {
    events.push([facts.acknowledgedAt, `Acknowledged by ${facts.acknowledgedBy ? `Slack user \`${facts.acknowledgedBy}\`` : 'the on-call engineer'}` +
      `${facts.mttaSeconds !== undefined ? ` (MTTA ${duration(facts.mttaSeconds)})` : ''}`]);
  }
  if (facts.escalatedLevel && facts.escalatedAt !== undefined) {
    const to = facts.escalatedTo?.length ? `${inline(facts.escalatedTo.join(', then '))} (level ${facts.escalatedLevel})` : `level ${facts.escalatedLevel}`;
    events.push([facts.escalatedAt, `Escalated to ${to}: not acknowledged in time`]);
  }
  if (facts.resolvedAt !== undefined) {
    events.push([facts.resolvedAt, `Resolved: the alarm went back to OK${facts.mttrSeconds !== undefined ? ` (MTTR ${duration(facts.mttrSeconds)})` : ''}` +
      `${facts.reopened ? `; it reopened ${facts.reopened} time${facts.reopened === 1 ? '' : 's'} before` : ''}`]);
  }
  const timeline = events.sort((a, b) => a[0] - b[0]).map(([ms, what]) => `- ${at(ms)} ${what}`);
  timeline.push('- <HH:MM What the responders did and saw: mitigation started, verified, recovery confirmed.>');

  const span = facts.firedAt !== undefined && facts.resolvedAt !== undefined
    ? `${localDateTime(facts.firedAt, tz).time} – ${localDateTime(facts.resolvedAt, tz).time} ${zone} (${duration(Math.round((facts.resolvedAt - facts.firedAt) / 1000))})`
    : '<detected HH:MM – recovered HH:MM>';
  const runbookItem = facts.runbook === 'none'
    ? '| 2 | Write a runbook for this failure, with the first move that worked | process | <one name> | <YYYY-MM-DD> | <ticket> | open |'
    : `| 2 | Update the runbook (${inline(facts.runbook)}) with what this incident taught | process | <one name> | <YYYY-MM-DD> | <ticket> | open |`;
  const severity = facts.severity ?? '<SEV1..SEV4>';
  return `---
incident: ${yamlValue(facts.incidentId)}
severity: ${severity}
status: Draft
author: ${yamlValue(options.author)}
runbook: ${yamlValue(facts.runbook)}
date: ${localDateTime(first, tz).date}
${facts.dueAt !== undefined ? `due: ${localDateTime(facts.dueAt, tz).date}\n` : ''}---
# Postmortem: ${inline(facts.title)}${facts.severity ? ` (${facts.severity})` : ''}

## Summary
<What happened, for how long, and who was affected, in three lines.>

## Impact
- Duration: ${span}
- User impact: <in numbers: measured, not guessed>
- Business impact: <e.g. N delayed charges; data consistency kept or lost>

## Timeline
All times ${zone}, from the incident's Slack thread.
${timeline.join('\n')}

## Root Cause
<Why, five times: the technical factor and the process factor. The system is the subject, never a person ("there was no guard preventing deletion", not "A deleted it").>

## Detection
${facts.firedAt !== undefined ? `Detected automatically: the alarm ${alarm} fired at ${localDateTime(facts.firedAt, tz).time} ${zone}.` : 'Detected by <how: the alarm, a customer, a colleague>.'}
<Was it fast enough? Did anyone notice before the alarm? A human noticing first is itself an action item.>

## What went well / what went poorly
- Went well: <…>
- Went poorly: <…>
- Got lucky: <…, to be turned into a mechanism that does not rely on luck>

## Action items
| # | Action | Type | Owner | Due | Ticket | Status |
| - | ------ | ---- | ----- | --- | ------ | ------ |
| 1 | <What will exist when it is done: specific and measurable> | <prevent, mitigate or process> | <one name> | <YYYY-MM-DD> | <ticket> | open |
${runbookItem}
`;
}
