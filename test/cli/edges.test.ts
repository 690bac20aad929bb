// The CLI on input a user gets wrong: a mistyped command, a path with no runbooks, a file that is
// not UTF-8 text, and machine-readable output on every path, failures included. In-process
// (main() with stdout/stderr captured), so each case costs no node start-up.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { FIXTURES, NOW, tempDir } from './helpers';

const RULES = path.join(FIXTURES, 'rules');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let dir: string;
beforeAll(() => {
  dir = tempDir('edges');
  fs.mkdirSync(path.join(dir, 'empty'));
  fs.copyFileSync(path.join(RULES, 'owner.pass.md'), path.join(dir, 'ok.md'));
  fs.copyFileSync(path.join(RULES, 'contacts.md'), path.join(dir, 'contacts.md'));
  const ok = fs.readFileSync(path.join(dir, 'ok.md'));
  fs.writeFileSync(path.join(dir, 'latin1.md'), Buffer.from(ok.toString('latin1').replace('Orders stay', 'Caf\u00e9 orders stay'), 'latin1'));
  fs.writeFileSync(path.join(dir, 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a mistyped command gets a did-you-mean (exit 2)', async () => {
  const r = await run(['lnt']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^runbook-alarms: unknown command "lnt"; did you mean "lint"\?/);
});

test('a directory with no runbooks is an input error, not a pass over nothing (exit 2)', async () => {
  const r = await run(['lint', '--now', NOW, path.join(dir, 'empty')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/found no runbook or postmortem files \(\*\.md, README\.md excluded\) in .*empty/);
});

test('a file that is not UTF-8, or not text, is one finding at its first bad byte; the other files are still linted', async () => {
  const r = await run(['lint', '--now', NOW, '--format', 'json', path.join(dir, 'latin1.md'), path.join(dir, 'image.md'), path.join(dir, 'ok.md')]);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.summary).toEqual({ errors: 2, warnings: 0, runbooks: 3 });
  expect(report.findings.map((f: { file: string; line: number; column: number; ruleId: string; message: string }) => [path.basename(f.file), f.line, f.column, f.ruleId, f.message])).toEqual([
    ['image.md', 3, 1, 'Runbook-FrontMatter', 'the file is not text (it holds a NUL byte); a runbook is UTF-8 markdown'],
    ['latin1.md', 10, 4, 'Runbook-FrontMatter', 'the file is not UTF-8 (byte 0xe9); a runbook is UTF-8 markdown'],
  ]);
});

describe('--format json and sarif print a document on every path, failures included', () => {
  test.each([
    ['a missing path', (d: string) => [path.join(d, 'nope')], 'input', /nope does not exist/],
    ['an unknown flag', (d: string) => ['--frmat', 'x', path.join(d, 'ok.md')], 'usage', /unknown option --frmat; did you mean --format\?/],
    ['a bad --now', (d: string) => ['--now', 'tomorrow', path.join(d, 'ok.md')], 'usage', /--now "tomorrow" is not a date/],
  ])('json: %s', async (_what, args, kind, message) => {
    const r = await run(['lint', '--format', 'json', ...args(dir)]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { kind, message: expect.stringMatching(message), exitCode: 2 } });
    expect(r.stderr).toMatch(message); // still said to the person at the terminal
  });

  test('sarif: a run that could not lint is an invocation that did not succeed, with the message', async () => {
    const r = await run(['lint', '--format=sarif', path.join(dir, 'nope')]);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations).toEqual([expect.objectContaining({ executionSuccessful: false, toolExecutionNotifications: [expect.objectContaining({ level: 'error', message: { text: expect.stringMatching(/nope does not exist/) } })] })]);
  });

  test('with --output, the error document goes to the file', async () => {
    const out = path.join(dir, 'report.json');
    const r = await run(['lint', '--format', 'json', '--output', out, path.join(dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).error.kind).toBe('input');
  });
});
