// Settings from .runbook-alarms.yaml (found in the working directory or given by --config), with
// flags over the file; and the CLI run from a directory other than this repository.
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, lintJson, runCli, tempDir } from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir('config');
  fs.mkdirSync(path.join(dir, 'docs', 'runbooks'), { recursive: true });
  // SEV2, last_updated 2026-11-01 (22 days before NOW), owner "orders", links contacts.md.
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'owner.pass.md'), path.join(dir, 'docs', 'runbooks', 'orders.md'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'contacts.md'), path.join(dir, 'docs', 'runbooks', 'contacts.md'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const writeConfig = (text: string, name = '.runbook-alarms.yaml') => fs.writeFileSync(path.join(dir, name), text);
const ruleIds = (r: ReturnType<typeof lintJson>) => r.report.findings.map((f) => f.ruleId);

test('paths, owners and max_age_days come from the config file in the working directory', () => {
  writeConfig('paths: [docs/runbooks/orders.md]\nowners: [payments]\nmax_age_days: { SEV2: 10 }\n');
  const r = lintJson([], { cwd: dir });
  expect(r.report.summary.runbooks).toBe(1);
  expect(ruleIds(r)).toEqual(['Runbook-Owner', 'Runbook-Stale']);
  expect(r.report.findings[1].message).toMatch(/22 days old; SEV2 runbooks must be reviewed every 10 days/);
  expect(r.code).toBe(1);
});

test('flags override the config file', () => {
  writeConfig('paths: [docs/runbooks/orders.md]\nowners: [payments]\nmax_age_days: { SEV2: 10 }\n');
  const r = lintJson(['--owner', 'orders', '--max-age', 'SEV2=30'], { cwd: dir });
  expect(r.report.findings).toEqual([]);
  expect(r.code).toBe(0);
});

test('positional paths override the config paths', () => {
  writeConfig('paths: [docs/nowhere]\n');
  expect(lintJson(['docs/runbooks/orders.md'], { cwd: dir }).code).toBe(0);
  expect(runCli(['lint'], { cwd: dir }).code).toBe(2); // docs/nowhere does not exist
});

test('strict and assembly from the config: a warning fails the run', () => {
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'out', 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: {} }));
  writeConfig('paths: [docs/runbooks/orders.md]\nassembly: out\nstrict: true\n');
  const r = lintJson([], { cwd: dir });
  expect(ruleIds(r)).toEqual(['Runbook-Unreferenced']);
  expect(r.code).toBe(1);
});

test('check_links: false turns the link check off', () => {
  fs.rmSync(path.join(dir, 'docs', 'runbooks', 'contacts.md'));
  expect(ruleIds(lintJson(['docs/runbooks'], { cwd: dir }))).toEqual(['Runbook-Link']);
  writeConfig('check_links: false\n');
  expect(lintJson(['docs/runbooks'], { cwd: dir }).code).toBe(0);
});

test('--config names a file elsewhere; its paths are relative to it', () => {
  fs.mkdirSync(path.join(dir, 'ci'));
  writeConfig('paths: [../docs/runbooks/orders.md]\nowners: [payments]\n', path.join('ci', 'runbook-alarms.yaml'));
  const r = lintJson(['--config', 'ci/runbook-alarms.yaml'], { cwd: dir });
  expect(r.report.summary.runbooks).toBe(1);
  expect(ruleIds(r)).toEqual(['Runbook-Owner']);
});

test.each([
  ['an unknown key', 'owner: [a]\n', /unknown key owner \(did you mean owners\?\)/],
  ['a misspelled key', 'pathz: [docs/runbooks]\n', /unknown key pathz \(did you mean paths\?\)/],
  ['a wrong type', 'strict: yes please\n', /"strict" must be true or false/],
  ['a bad max age', 'max_age_days: { SEV2: -1 }\n', /whole number of days/],
  ['broken YAML', 'paths: [a\n', /not valid YAML/],
])('a config file with %s is a usage error (exit 2)', (_what, text, message) => {
  writeConfig(text);
  const r = runCli(['lint', 'docs/runbooks'], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('without paths, runbooks/ in the working directory is linted (README.md skipped)', () => {
  fs.mkdirSync(path.join(dir, 'runbooks'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'checklist.pass.md'), path.join(dir, 'runbooks', 'a.md'));
  fs.writeFileSync(path.join(dir, 'runbooks', 'README.md'), '# Our runbooks\n');
  const r = lintJson(['--no-links'], { cwd: dir });
  expect(r.report.summary.runbooks).toBe(1);
  expect(r.code).toBe(0);
});
