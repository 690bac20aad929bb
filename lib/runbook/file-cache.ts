// Maps runbook URLs under the configured base URL back to files in the project and lints each
// file once, however many alarms link it. Reads files; no CDK imports.
import * as fs from 'fs';
import * as path from 'path';
import { RunbookFinding } from '../core/finding';
import { lintRunbookFile } from './lint';
import { RunbookLintOptions } from './rules/rule';

/** What became of one runbook file. */
export interface RunbookFileResult {
  /** The absolute path the URL maps to. */
  readonly file: string;
  readonly exists: boolean;
  /** Findings of the runbook lint (empty when the file does not exist). */
  readonly findings: RunbookFinding[];
}

/**
 * The file a runbook URL points at, when the URL is under `baseUrl`; undefined otherwise
 * (a runbook kept in a wiki is not ours to check). Percent-encoding is undone segment by segment.
 */
export function runbookFileForUrl(url: string, baseUrl: string, projectRoot: string): string | undefined {
  const base = baseUrl.replace(/\/+$/, '');
  const bare = url.split(/[?#]/)[0];
  if (!bare.startsWith(`${base}/`)) return undefined;
  let relative: string;
  try {
    relative = bare.slice(base.length + 1).split('/').map(decodeURIComponent).join(path.sep);
  } catch {
    return undefined;
  }
  const root = path.resolve(projectRoot);
  const file = path.resolve(root, relative);
  const back = path.relative(root, file);
  return back.startsWith('..') || path.isAbsolute(back) ? undefined : file;
}

/** Lints each runbook file once; share one cache across all alarms of a synth or a lint run. */
export class RunbookFileCache {
  private readonly results = new Map<string, RunbookFileResult>();
  private readonly located = new Map<string, string | undefined>();

  constructor(private readonly options: RunbookLintOptions = {}) {}

  /** {@link runbookFileForUrl}, once per URL: thousands of alarms link a handful of runbooks. */
  public locate(url: string, baseUrl: string, projectRoot: string): string | undefined {
    const key = `${baseUrl}\n${projectRoot}\n${url}`;
    if (!this.located.has(key)) this.located.set(key, runbookFileForUrl(url, baseUrl, projectRoot));
    return this.located.get(key);
  }

  /** The lint result of `file` (absolute), read and linted on first use. */
  public get(file: string): RunbookFileResult {
    let result = this.results.get(file);
    if (!result) {
      const exists = fs.existsSync(file) && fs.statSync(file).isFile();
      result = { file, exists, findings: exists ? lintRunbookFile(file, this.options) : [] };
      this.results.set(file, result);
    }
    return result;
  }
}
