// `runbook-alarms new`: the template fails lint until a person fills it in, and never overwrites.
import * as fs from 'fs';
import * as path from 'path';
import { lintJson, runCli, tempDir } from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir('new');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const create = (...extra: string[]) => runCli(['new', 'db-failover', '--severity', 'SEV2', '--owner', 'payments', ...extra], { cwd: dir });

test('writes runbooks/<name>.md in the template with the given front matter', () => {
  const r = create('--title', 'Database failover');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^created runbooks\/db-failover\.md/);
  const text = fs.readFileSync(path.join(dir, 'runbooks', 'db-failover.md'), 'utf8');
  expect(text).toMatch(/^---\ntitle: Database failover\nowner: payments\nlast_updated: 2026-11-23\nseverity: SEV2\n---\n# Runbook: Database failover\n/);
  const headings = text.split('\n').filter((l) => l.startsWith('## '));
  expect(headings).toEqual(['## Symptom', '## Detect', '## Triage', '## Mitigate', '## Verify', '## Comms', '## Postmortem']);
});

test('the fresh runbook fails lint on its placeholders, and lints clean once they are filled', () => {
  expect(create().code).toBe(0);
  const fresh = lintJson([], { cwd: dir });
  expect(fresh.code).toBe(1);
  const rules = new Set(fresh.report.findings.map((f) => f.ruleId));
  expect([...rules].sort()).toEqual(['Runbook-Checklist', 'Runbook-Placeholder', 'Runbook-Sections']);
  // Every section is reported empty and Mitigate/Verify have no real step.
  expect(fresh.report.findings.filter((f) => f.ruleId === 'Runbook-Sections')).toHaveLength(6);
  expect(fresh.report.findings.filter((f) => f.ruleId === 'Runbook-Checklist')).toHaveLength(2);

  const file = path.join(dir, 'runbooks', 'db-failover.md');
  let n = 0;
  const filled = fs.readFileSync(file, 'utf8').replace(/<[^<>\n]+>/g, () => `Step ${++n}: run \`make failover-check-${n}\`.`);
  fs.writeFileSync(file, filled);
  const done = lintJson([], { cwd: dir });
  expect(done.report.findings).toEqual([]);
  expect(done.code).toBe(0);
});

test('refuses to overwrite an existing runbook (exit 1, file untouched)', () => {
  expect(create().code).toBe(0);
  const file = path.join(dir, 'runbooks', 'db-failover.md');
  fs.writeFileSync(file, 'my edits');
  const r = create();
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/runbooks\/db-failover\.md already exists; not overwritten/);
  expect(fs.readFileSync(file, 'utf8')).toBe('my edits');
});

test('--dir writes elsewhere; the title defaults from the name', () => {
  const r = runCli(['new', 'queue-backlog.md', '--severity', 'sev3', '--owner', 'orders', '--dir', 'docs/runbooks'], { cwd: dir });
  expect(r.code).toBe(0);
  const text = fs.readFileSync(path.join(dir, 'docs', 'runbooks', 'queue-backlog.md'), 'utf8');
  expect(text).toContain('title: Queue backlog\n');
  expect(text).toContain('severity: SEV3\n');
});

test.each([
  ['no severity', ['new', 'x', '--owner', 'a'], /--severity is required/],
  ['a bad severity', ['new', 'x', '--owner', 'a', '--severity', 'P1'], /--severity "P1" is not SEV1\.\.SEV4/],
  ['no owner', ['new', 'x', '--severity', 'SEV1'], /--owner is required/],
  ['a bad name', ['new', '../escape', '--severity', 'SEV1', '--owner', 'a'], /is not a runbook name/],
  ['two names', ['new', 'a', 'b', '--severity', 'SEV1', '--owner', 'a'], /new takes one name/],
])('usage error (exit 2): %s', (_what, args, message) => {
  const r = runCli(args, { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(fs.existsSync(path.join(dir, 'runbooks'))).toBe(false);
});

describe('new --from: the runbooks this package ships', () => {
  test('writes the SlackNotifier runbook, dated today, with the owner given, and it lints clean', () => {
    const r = runCli(['new', '--from', 'slack-notifier-failures', '--owner', 'payments'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created runbooks\/slack-notifier-failures\.md from the runbook cdk-runbook-alarms ships/);
    const text = fs.readFileSync(path.join(dir, 'runbooks', 'slack-notifier-failures.md'), 'utf8');
    expect(text).toMatch(/^---\ntitle: Alarm notifications not delivered to Slack\nowner: payments\nlast_updated: 2026-11-23\nseverity: SEV2\n---\n/);
    // The body is the shipped text, unchanged.
    const shipped = fs.readFileSync(path.join(__dirname, '..', '..', 'runbooks', 'slack-notifier-failures.md'), 'utf8');
    expect(text.slice(text.indexOf('\n---\n'))).toBe(shipped.slice(shipped.indexOf('\n---\n')));
    expect(lintJson([], { cwd: dir }).report.summary).toMatchObject({ errors: 0, warnings: 0, runbooks: 1 });
  });

  test('keeps the shipped owner without --owner, takes --severity and --dir, never overwrites', () => {
    expect(runCli(['new', '--from', 'slack-notifier-failures', '--severity', 'SEV1', '--dir', 'ops/runbooks'], { cwd: dir }).code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'ops', 'runbooks', 'slack-notifier-failures.md'), 'utf8');
    expect(text).toMatch(/\nowner: on-call\n/);
    expect(text).toMatch(/\nseverity: SEV1\n/);
    const again = runCli(['new', '--from', 'slack-notifier-failures', '--dir', 'ops/runbooks'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; not overwritten/);
  });

  test('an unknown name is a usage error with a did-you-mean', () => {
    const r = runCli(['new', '--from', 'slack-notifier-failure'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^runbook-alarms new: --from "slack-notifier-failure" is not a runbook this package ships; did you mean "slack-notifier-failures"\?/);
    expect(fs.existsSync(path.join(dir, 'runbooks'))).toBe(false);
  });
});
