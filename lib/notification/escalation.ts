// The escalation line of a Slack message: who is paged and how an unacknowledged page escalates,
// from the escalation policy. Pure, so the SlackNotifier (at synth) and `runbook-alarms preview
// --policy` write the same line the function will show.
import { Severity } from '../core/severity';


/** Who is paged and how a severity escalates, in one line (from the escalation policy). */
export interface SeverityEscalation {
  readonly severity: Severity;
  /** e.g. `pages payments-primary; unacknowledged after 5 min → payments-secondary; notify #incidents` */
  readonly text: string;
}

/** What the escalation line says of one severity: the steps of an escalation policy's `SeverityRouting`. */
export interface EscalationSteps {
  readonly severity: Severity;
  /** The on-call schedule or service paged (for `page`). */
  readonly page?: string;
  /** Minutes before an unacknowledged page escalates (and between two escalation levels). */
  readonly escalateAfterMinutes?: number;
  /** Who is paged next: the first escalation level. */
  readonly then?: string;
  /**
   * Who is paged at each escalation level, in order (`then` as written: a name, or a list of
   * names). Level n fires n × `escalate_after` after the page while nobody has acknowledged it.
   * @default - `[then]` when `then` is given, else none
   */
  readonly escalateTo?: string[];
  /** Channels told about it (e.g. `#payments-incidents`). */
  readonly notify?: string[];
  /** The ticket queue (for `ticket`). */
  readonly ticket?: string;
  /**
   * How fast a person is expected to start, as the message says it (`within 15 min`, `during business
   * hours`): the policy's `respond_within`. @default - the severity table's (RESPONSE_TARGETS)
   */
  readonly respondWithin?: string;
  /** The same in minutes, when it is a duration. @default - none */
  readonly respondWithinMinutes?: number;
}

// The escalation line leads with the policy's response target when it has one: `respond within 15
// min; pages a; …`. The line is what travels to the function (one environment value per severity),
// so the message reads the target back from it (splitEscalation) rather than from the severity table.
const RESPOND = 'respond ';

/**
 * One line, e.g. `pages a; unacknowledged after 5 min → b; notify #c` (with more levels:
 * `unacknowledged after 5 min → b, after 10 min → c`), led by `respond within 15 min` when the
 * policy sets `respond_within`; undefined when there is nothing to say.
 */
export function escalationText(steps: EscalationSteps): string | undefined {
  const parts: string[] = [];
  if (steps.respondWithin) parts.push(RESPOND + steps.respondWithin);
  if (steps.page) parts.push(`pages ${steps.page}`);
  const levels = steps.escalateTo?.length ? steps.escalateTo : steps.then ? [steps.then] : [];
  if (levels.length > 0) {
    const after = steps.escalateAfterMinutes;
    parts.push(`unacknowledged ${levels.map((who, i) => `after ${after === undefined ? '?' : after * (i + 1)} min → ${who}`).join(', ')}`);
  }
  if (steps.notify && steps.notify.length > 0) parts.push(`notify ${steps.notify.join(', ')}`);
  if (steps.ticket) parts.push(`ticket in ${steps.ticket}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The escalation line of each severity that has one, as the message formatter takes them. Without
 * `escalates`, the lines leave the levels out: a notifier that does not escalate never says it will.
 */
export function escalationsOf(routing: readonly EscalationSteps[], escalates = true): SeverityEscalation[] {
  return routing.flatMap((steps) => {
    const text = escalationText(escalates ? steps : { ...steps, then: undefined, escalateTo: undefined });
    return text ? [{ severity: steps.severity, text }] : [];
  });
}

/** An escalation line as {@link escalationText} wrote it: the response target it leads with, and the rest. */
export function splitEscalation(text: string): { respond?: string; rest: string } {
  if (!text.startsWith(RESPOND)) return { rest: text };
  const end = text.indexOf('; ');
  return end < 0 ? { respond: text.slice(RESPOND.length), rest: '' } : { respond: text.slice(RESPOND.length, end), rest: text.slice(end + 2) };
}
