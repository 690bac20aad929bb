// Runs the real CLI (the built dist/bin/runbook-alarms.js) in a subprocess, as users and CI do.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'bin', 'runbook-alarms.js');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'cli');
/** "Today" for every freshness rule in these tests, so they do not rot. */
export const NOW = '2026-11-23';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `runbook-alarms <args>` in `cwd` (default: the repo). Requires `npm run build` (npm test does it). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const env: Record<string, string | undefined> = { ...process.env, RUNBOOK_ALARMS_NOW: NOW, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * {@link runCli} without blocking this process: for a CLI that talks to a stand-in served by the
 * test process itself (dynalite), which a synchronous spawn would keep from answering.
 */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const env: Record<string, string | undefined> = { ...process.env, RUNBOOK_ALARMS_NOW: NOW, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `lint --format json` and parses the report. */
export function lintJson(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = runCli(['lint', '--format', 'json', ...args], options);
  let report: { summary: { errors: number; warnings: number; runbooks: number; alarms?: number }; findings: Array<{ ruleId: string; level: string; file: string; line: number; column: number; message: string; fix: string; alarm?: { constructPath?: string; logicalId: string; stack: string } }> };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report };
}

/** A fresh temporary directory, removed by the caller's afterAll/afterEach. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `runbook-alarms-${prefix}-`));
}

/**
 * The newest `last_updated` of the repository's runbooks: "today" for tests that lint them, so
 * editing a runbook never makes those tests rot (nothing is stale or in the future on that day).
 */
export function newestRepoRunbookDate(): string {
  const dir = path.join(REPO, 'runbooks');
  const dates = fs.readdirSync(dir).filter((f) => f.endsWith('.md'))
    .map((f) => /^last_updated: (\d{4}-\d{2}-\d{2})$/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'))?.[1] ?? NOW)
    .sort();
  return dates[dates.length - 1] ?? NOW;
}
