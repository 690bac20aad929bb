// When an incident needs a postmortem, and by when (docs/postmortems.md): the criteria a team
// decides before the incident, as the escalation policy's `postmortem:` section says them
// (`required_for`, `longer_than`, `due`, `limit`, `time_zone`), with the SRE guide's defaults:
// SEV1 and SEV2, due two business days after the resolution, five at most, UTC.
// Pure module: the Lambda bundles, the CLI and the construct import it.
import { addBusinessDays } from './business-days';
import { isTimeZone } from './zoned-time';
import { SEVERITIES, Severity } from './severity';

/** A team's postmortem criteria and deadlines. */
export interface PostmortemSettings {
  /** Severities whose incidents always get a postmortem. */
  readonly requiredFor: readonly Severity[];
  /** Incidents of other severities (SEV4 excepted) that took longer than this to resolve get one too (minutes). Unset: none. */
  readonly longerThanMinutes?: number;
  /** Business days after the resolution that the postmortem is due. */
  readonly dueBusinessDays: number;
  /** The outer limit, in business days after the resolution. */
  readonly limitBusinessDays: number;
  /** The team's time zone (IANA name) business days are counted in. */
  readonly timeZone: string;
}

export const DEFAULT_POSTMORTEM_SETTINGS: PostmortemSettings = {
  requiredFor: [Severity.SEV1, Severity.SEV2],
  dueBusinessDays: 2,
  limitBusinessDays: 5,
  timeZone: 'UTC',
};

/** Settings as given (any field may be missing), completed with the defaults. */
export function postmortemSettings(given: Partial<PostmortemSettings> | undefined): PostmortemSettings {
  return { ...DEFAULT_POSTMORTEM_SETTINGS, ...given };
}

/** What is wrong with settings (each problem a sentence naming the key), empty when nothing is. */
export function postmortemSettingsProblems(s: Partial<PostmortemSettings>): string[] {
  const problems: string[] = [];
  const whole = (v: number | undefined, min: number) => v === undefined || (Number.isInteger(v) && v >= min);
  if (s.requiredFor !== undefined && !s.requiredFor.every((x) => SEVERITIES.includes(x))) problems.push('required_for must list severities (SEV1..SEV4)');
  if (!whole(s.longerThanMinutes, 1)) problems.push('longer_than must be a duration of at least a minute');
  if (!whole(s.dueBusinessDays, 1)) problems.push('due must be a whole number of business days, at least 1');
  if (!whole(s.limitBusinessDays, 1)) problems.push('limit must be a whole number of business days, at least 1');
  if (s.dueBusinessDays !== undefined && s.limitBusinessDays !== undefined && s.limitBusinessDays < s.dueBusinessDays) problems.push('limit must not be shorter than due');
  if (s.timeZone !== undefined && !isTimeZone(s.timeZone)) problems.push(`time_zone "${s.timeZone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`);
  return problems;
}

/**
 * True when an incident of `severity` that fired at `firedAt` and resolved at `resolvedAt` (epoch
 * ms) needs a postmortem: its severity is required, or it took longer than `longer_than` (never a
 * SEV4: internal, no impact, a ticket is enough).
 */
export function postmortemRequired(severity: string | undefined, firedAt: number | undefined, resolvedAt: number | undefined, s: PostmortemSettings): boolean {
  if (severity === undefined) return false;
  if ((s.requiredFor as readonly string[]).includes(severity)) return true;
  return s.longerThanMinutes !== undefined && severity !== Severity.SEV4 && firedAt !== undefined && resolvedAt !== undefined &&
    resolvedAt - firedAt > s.longerThanMinutes * 60_000;
}

/** When the postmortem of an incident resolved at `resolvedAt` is due, and its outer limit (epoch ms). */
export function postmortemDeadlines(resolvedAt: number, s: PostmortemSettings): { dueAt: number; limitAt: number } {
  return { dueAt: addBusinessDays(resolvedAt, s.dueBusinessDays, s.timeZone), limitAt: addBusinessDays(resolvedAt, s.limitBusinessDays, s.timeZone) };
}

/** True when an incident of `severity` may need a postmortem once resolved (its duration decides the rest). */
export function mayRequirePostmortem(severity: string | undefined, s: PostmortemSettings): boolean {
  if (severity === undefined) return false;
  return (s.requiredFor as readonly string[]).includes(severity) || (s.longerThanMinutes !== undefined && severity !== Severity.SEV4);
}
