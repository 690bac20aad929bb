// "Today" for the freshness rules, resolved once at a front door (the CLI, Runbook.fromFile, the
// synth checks) and passed down: the rules themselves never read the clock or the environment.

/** The environment variable that pins "today" for the freshness rules (tests, reproducible CI replays). */
export const NOW_ENV = 'RUNBOOK_ALARMS_NOW';

/** A pinned "today": `YYYY-MM-DD` (taken at noon UTC) or any date `Date` reads; undefined when it is not a date. */
export function parseNow(raw: string): Date | undefined {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T12:00:00Z`) : new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "Today" as `RUNBOOK_ALARMS_NOW` pins it (YYYY-MM-DD), or undefined when it is not set. */
export function nowFromEnvironment(): Date | undefined {
  const raw = process.env[NOW_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  const d = parseNow(raw.trim());
  if (!d) throw new Error(`${NOW_ENV}="${raw}" is not a date; set it to YYYY-MM-DD or unset it`);
  return d;
}

/** "Today" for a library front door: the pinned date when `RUNBOOK_ALARMS_NOW` is set, else the clock. */
export function resolveNow(given?: Date): Date {
  return given ?? nowFromEnvironment() ?? new Date();
}
