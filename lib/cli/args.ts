// Command-line parsing shared by every command: node's strict `util.parseArgs`, with its errors
// turned into usage errors (exit 2), a "did you mean" for a mistyped flag, and `--help` handled
// in one place.
import { parseArgs } from 'util';
import { NOW_ENV, parseNow } from '../core/now';
import { closest } from '../core/text';

/** Exit codes of every command. */
export enum ExitCode {
  /** No errors (warnings allowed unless --strict). */
  OK = 0,
  /** Errors found (or the command could not do what it was asked, e.g. `new` over an existing file). */
  FINDINGS = 1,
  /** Usage error, unreadable input or unwritable output. */
  USAGE = 2,
}

/** A mistake in how the command was called: the message is printed with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file or directory that could not be read or written (exit 2, no usage text). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** What a command does and how it is called. */
export interface CommandSpec {
  /** One line for the command list. */
  readonly summary: string;
  /** The full help text (`runbook-alarms <command> --help`). */
  readonly help: string;
}

/** One flag, as `util.parseArgs` takes it. */
export type OptionConfig = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/** Flags and positionals as `util.parseArgs` returns them. */
export interface ParsedCommandArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/**
 * Parses a command's arguments strictly (unknown flags are usage errors). Returns undefined when
 * `--help` was asked for, after printing `help`.
 */
export function parseCommandArgs(args: string[], options: Record<string, OptionConfig>, help: string): ParsedCommandArgs | undefined {
  let parsed: ParsedCommandArgs;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as ParsedCommandArgs;
  } catch (e) {
    throw new UsageError(unknownOptionMessage(e, Object.keys(options)) ?? (e as Error).message.split('\n')[0]);
  }
  if (parsed.values.help) {
    process.stdout.write(help.endsWith('\n') ? help : help + '\n');
    return undefined;
  }
  return parsed;
}

/** `unknown option --frmat; did you mean --format?` for parseArgs' unknown-option error, else undefined. */
function unknownOptionMessage(e: unknown, names: string[]): string | undefined {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const flag = /Unknown option '([^']+)'/.exec((e as Error).message)?.[1];
  if (!flag) return undefined;
  const hint = closest(flag.replace(/^-+/, '').replace(/=.*$/, ''), [...names, 'help']);
  return `unknown option ${flag}${hint ? `; did you mean --${hint}?` : ''}`;
}

/** A `--now` / `RUNBOOK_ALARMS_NOW` value: "today" for the freshness rules, fixed in tests and CI replays. */
export function readNow(flag: string | undefined): Date | undefined {
  const raw = flag ?? process.env[NOW_ENV];
  if (raw === undefined || raw === '') return undefined;
  const now = parseNow(raw);
  if (!now) throw new UsageError(`--now "${raw}" is not a date; use YYYY-MM-DD`);
  return now;
}
