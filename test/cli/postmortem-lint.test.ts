// `runbook-alarms lint` lints postmortems too, through the real CLI: with no path, runbooks/ and
// postmortems/ of the project; text, JSON and SARIF name file:line, the rule and a fix.
import * as fs from 'fs';
import * as path from 'path';
import { REPO, lintJson, runCli, tempDir } from './helpers';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'postmortems');
let dir: string;

beforeAll(() => {
  dir = tempDir('postmortem-lint');
  fs.mkdirSync(path.join(dir, 'runbooks'));
  fs.mkdirSync(path.join(dir, 'postmortems'));
  fs.copyFileSync(path.join(FIXTURES, 'runbooks', 'payment-webhook-backlog.md'), path.join(dir, 'runbooks', 'payment-webhook-backlog.md'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'pass.md'), path.join(dir, 'postmortems', '2026-11-16-payment-webhook-backlog.md'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'action-item-overdue.fail.md'), path.join(dir, 'postmortems', '2026-11-10-late.md'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'blame.fail.md'), path.join(dir, 'postmortems', '2026-11-12-blame.md'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('no path: runbooks/ and postmortems/ are linted; an overdue action item fails the run', () => {
  const r = lintJson([], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.report.summary).toEqual({ errors: 1, warnings: 2, runbooks: 1, postmortems: 3 });
  expect(r.report.findings.map((f) => `${f.file}:${f.line} ${f.level} ${f.ruleId}`)).toEqual([
    'postmortems/2026-11-10-late.md:43 error Postmortem-ActionItemOverdue',
    'postmortems/2026-11-12-blame.md:28 warning Postmortem-Blame',
    'postmortems/2026-11-12-blame.md:30 warning Postmortem-Blame',
  ]);
  for (const f of r.report.findings) expect(f.fix).not.toBe('');
});

test('text: file:line:column, the rule, the message and the fix; the summary counts postmortems', () => {
  const r = runCli(['lint'], { cwd: dir });
  expect(r.stdout).toContain('postmortems/2026-11-10-late.md:43:1 error Postmortem-ActionItemOverdue action item 1 (');
  expect(r.stdout).toMatch(/is open 3 days after its due date 2026-11-20 \(owner: Dana Whitfield\)\. Fix: finish it/);
  expect(r.stdout.trim().split('\n').pop()).toBe('1 error and 2 warnings in 1 runbook and 3 postmortems');
});

test('SARIF: the postmortem rules are in the rule table with their help, results located', () => {
  const r = runCli(['lint', '--format', 'sarif'], { cwd: dir });
  const run = JSON.parse(r.stdout).runs[0];
  const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
  expect(ids).toEqual(expect.arrayContaining(['Postmortem-FrontMatter', 'Postmortem-ActionItemOverdue', 'Postmortem-Blame', 'Postmortem-RunbookNotUpdated']));
  const overdue = run.results.find((x: { ruleId: string }) => x.ruleId === 'Postmortem-ActionItemOverdue');
  expect(overdue.level).toBe('error');
  expect(overdue.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'postmortems/2026-11-10-late.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 43, startColumn: 1 } });
});

test('--now moves "today"; --strict fails on the warnings', () => {
  expect(lintJson(['--now', '2026-11-19'], { cwd: dir }).report.summary).toMatchObject({ errors: 0, warnings: 2 });
  expect(lintJson(['--now', '2026-11-19'], { cwd: dir }).code).toBe(0);
  expect(lintJson(['--now', '2026-11-19', '--strict'], { cwd: dir }).code).toBe(1);
});

test('a project without postmortems/ lints its runbooks as before; one without either says so', () => {
  const only = tempDir('runbooks-only');
  try {
    fs.mkdirSync(path.join(only, 'runbooks'));
    fs.copyFileSync(path.join(FIXTURES, 'runbooks', 'payment-webhook-backlog.md'), path.join(only, 'runbooks', 'x.md'));
    const r = runCli(['lint'], { cwd: only });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('no problems in 1 runbook');
    fs.rmSync(path.join(only, 'runbooks'), { recursive: true });
    const none = runCli(['lint'], { cwd: only });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/runbooks does not exist/);
  } finally {
    fs.rmSync(only, { recursive: true, force: true });
  }
});
