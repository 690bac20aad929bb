// Maps runbook URLs under the configured base URL back to files in the project and lints each
// file once, however many alarms link it. Reads files; no CDK imports.
import * as fs from 'fs';
import * as path from 'path';
import { RunbookFinding } from '../core/finding';
import { lintRunbookFile } from './lint';
import { runbookFileForUrl } from './location';
import { RunbookLintOptions } from './rules/rule';

/** What became of one runbook file. */
export interface RunbookFileResult {
  /** The absolute path the URL maps to. */
  readonly file: string;
  readonly exists: boolean;
  /** True when the path is a directory (`exists` is then false). */
  readonly directory: boolean;
  /** Findings of the runbook lint (empty when the file does not exist). */
  readonly findings: RunbookFinding[];
  /** Why the path cannot name a file (a NUL byte, a name too long), when it cannot. @default - it can */
  readonly unusable?: string;
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

  /**
   * Records the lint result of a file linted elsewhere with the same settings (the CLI lints every
   * runbook it was given, then checks the alarms that link them): it is not linted again.
   */
  public remember(file: string, findings: RunbookFinding[]): void {
    this.results.set(path.resolve(file), { file: path.resolve(file), exists: true, directory: false, findings });
  }

  /** The lint result of `file` (absolute), read and linted on first use. */
  public get(file: string): RunbookFileResult {
    let result = this.results.get(file);
    if (!result) {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(file, { throwIfNoEntry: false });
      } catch (e) {
        // A path no file system accepts (`%00` in the URL, a segment over 255 bytes): no runbook is there.
        result = { file, exists: false, directory: false, findings: [], unusable: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
        this.results.set(file, result);
        return result;
      }
      const exists = stat?.isFile() === true;
      result = { file, exists, directory: stat?.isDirectory() === true, findings: exists ? lintRunbookFile(file, this.options) : [] };
      this.results.set(file, result);
    }
    return result;
  }
}
