// The `.runbook-alarms.yaml` config file: the settings a team writes down once instead of
// repeating them as flags in every CI job. Flags override it.
import * as fs from 'fs';
import * as path from 'path';
import type * as Yaml from 'yaml';
import { RUNBOOK_BASE_URL_CONTEXT, RUNBOOK_URL_PREFIXES_CONTEXT } from '../core/names';
import { RunbookMaxAgeDays, maxAgeKey } from '../runbook/rules/rule';
import { SeverityPolicy } from '../core/severity';
import { closest } from '../core/text';
import { InputError, UsageError } from './args';

/** The config file looked for in the working directory. */
export const CONFIG_FILE = '.runbook-alarms.yaml';

/** Settings of `runbook-alarms lint`, from the config file. */
export interface LintConfig {
  /** Where the config file was read from (undefined: none). */
  readonly file?: string;
  /** The project root: runbook URLs are the base URL + a path relative to it. */
  readonly root: string;
  /** Runbook files or directories, relative to the root. */
  readonly paths?: string[];
  readonly runbookBaseUrl?: string;
  /** Where else runbooks are kept (hosts or URL prefixes): not reported as outside the base URL. */
  readonly runbookUrlPrefixes?: string[];
  readonly owners?: string[];
  readonly maxAgeDays?: RunbookMaxAgeDays;
  readonly strict?: boolean;
  readonly checkLinks?: boolean;
  /** A cloud assembly directory to cross-check. */
  readonly assembly?: string;
}

/** The documented keys, snake_case like the runbook front matter and the escalation policy. */
const KEYS = ['paths', 'runbook_base_url', 'runbook_url_prefixes', 'owners', 'max_age_days', 'strict', 'check_links', 'assembly'];

function stringList(value: unknown, key: string, file: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw new UsageError(`${file}: "${key}" must be a list of strings`);
  }
  return list.map((v: string) => v.trim());
}

/** Parses `SEV1=30`-style or mapping values into days per severity. */
export function readMaxAgeDays(entries: Record<string, unknown>, where: string): RunbookMaxAgeDays {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(entries)) {
    const severity = SeverityPolicy.parse(k);
    const days = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (!severity) throw new UsageError(`${where}: "${k}" is not a severity (SEV1..SEV4)`);
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
      throw new UsageError(`${where}: the max age of ${severity} must be a whole number of days, got "${String(v)}"`);
    }
    out[maxAgeKey(severity)] = days;
  }
  return out;
}

/** A context value of cdk.json, when there is one. */
function cdkJsonContext(root: string, key: string): unknown {
  const file = path.join(root, 'cdk.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))?.context?.[key];
  } catch {
    return undefined; // a broken cdk.json is cdk's to report, not ours
  }
}

/** Reads the base URL the CDK app links runbooks under, from cdk.json's context, when there is one. */
export function baseUrlFromCdkJson(root: string): string | undefined {
  const value = cdkJsonContext(root, RUNBOOK_BASE_URL_CONTEXT);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The runbook URL prefixes of cdk.json's context (a list, or one comma-separated string), when there are any. */
export function urlPrefixesFromCdkJson(root: string): string[] | undefined {
  const value = cdkJsonContext(root, RUNBOOK_URL_PREFIXES_CONTEXT);
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  return list?.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/**
 * Loads the config: `explicit` (from --config) must exist; otherwise `.runbook-alarms.yaml` in
 * `cwd` is used when present. Relative paths in the file are relative to the file's directory.
 */
export function loadConfig(cwd: string, explicit?: string): LintConfig {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : path.join(cwd, CONFIG_FILE);
  if (!fs.existsSync(file)) {
    if (explicit !== undefined) throw new InputError(`config file ${explicit} does not exist`);
    return { root: cwd };
  }
  const shown = path.relative(cwd, file) || file;
  let raw: unknown;
  try {
    raw = (require('yaml') as typeof Yaml).parse(fs.readFileSync(file, 'utf8')); // loaded only when there is a config file
  } catch (e) {
    throw new InputError(`${shown}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return { file, root: path.dirname(file) };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${shown}: must be a mapping of key: value lines`);
  const data = raw as Record<string, unknown>;
  const unknown = Object.keys(data).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) {
    const named = unknown.map((k) => {
      const hint = closest(k, KEYS);
      return hint ? `${k} (did you mean ${hint}?)` : k;
    });
    throw new UsageError(`${shown}: unknown key${unknown.length > 1 ? 's' : ''} ${named.join(', ')} (known: ${KEYS.join(', ')})`);
  }
  const bool = (key: string): boolean | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw new UsageError(`${shown}: "${key}" must be true or false`);
    return v;
  };
  const str = (key: string): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`${shown}: "${key}" must be a string`);
    return v.trim();
  };
  const maxAge = data.max_age_days;
  if (maxAge !== undefined && maxAge !== null && (typeof maxAge !== 'object' || Array.isArray(maxAge))) {
    throw new UsageError(`${shown}: "max_age_days" must be a mapping such as { SEV1: 30, SEV3: 120 }`);
  }
  return {
    file,
    root: path.dirname(file),
    paths: data.paths === undefined || data.paths === null ? undefined : stringList(data.paths, 'paths', shown),
    runbookBaseUrl: str('runbook_base_url'),
    runbookUrlPrefixes: data.runbook_url_prefixes === undefined || data.runbook_url_prefixes === null ? undefined : stringList(data.runbook_url_prefixes, 'runbook_url_prefixes', shown),
    owners: data.owners === undefined || data.owners === null ? undefined : stringList(data.owners, 'owners', shown),
    maxAgeDays: maxAge ? readMaxAgeDays(maxAge as Record<string, unknown>, `${shown}: max_age_days`) : undefined,
    strict: bool('strict'),
    checkLinks: bool('check_links'),
    assembly: str('assembly'),
  };
}
