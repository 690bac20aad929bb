// The three report formats and the exit codes, through the real CLI.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RUNBOOK_RULES } from '../../lib/runbook/lint';
import { CLI, REPO, lintJson, runCli, tempDir } from './helpers';

const FAILING = ['test/fixtures/cli/rules/secret.fail.md', 'test/fixtures/cli/rules/sections.fail.md'];
const PASSING = 'test/fixtures/cli/rules/link.pass.md';

describe('text', () => {
  test('one `file:line:col level rule-id message` line per finding, then a summary with counts', () => {
    const r = runCli(['lint', ...FAILING]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^test\/fixtures\/cli\/rules\/secret\.fail\.md:29:29 error Runbook-Secret an AWS access key id is written/);
    expect(lines[1]).toMatch(/^test\/fixtures\/cli\/rules\/sections\.fail\.md:\d+:1 error Runbook-Sections section "Triage" has no content\. Fix: /);
    expect(lines[3]).toBe('3 errors and 0 warnings in 2 runbooks');
    expect(r.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  // util-linux `script` gives the CLI a pseudo-terminal; without it this one case cannot run.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  (hasScript ? test : test.skip)('on a terminal, levels are coloured; NO_COLOR turns it off', () => {
    const onTty = (env: string) => spawnSync('script', ['-qec', `${env} "${process.execPath}" "${CLI}" lint ${FAILING[0]}`, '/dev/null'], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, RUNBOOK_ALARMS_NOW: '2026-11-23', NO_COLOR: undefined },
    }).stdout;
    expect(onTty('')).toContain('\u001b[31merror\u001b[0m');
    expect(onTty('NO_COLOR=1')).not.toContain('\u001b[');
  });

  test('a clean run says so', () => {
    const r = runCli(['lint', PASSING]);
    expect(r.stdout).toBe('no problems in 1 runbook\n');
    expect(r.stderr).toBe('');
  });
});

describe('json', () => {
  test('summary counts and every finding with its location', () => {
    const r = lintJson(FAILING);
    expect(r.report.summary).toEqual({ errors: 3, warnings: 0, runbooks: 2 });
    expect(r.report.findings[0]).toEqual({
      ruleId: 'Runbook-Secret',
      level: 'error',
      file: 'test/fixtures/cli/rules/secret.fail.md',
      line: 29,
      column: 29,
      message: 'an AWS access key id is written in the runbook',
      fix: expect.stringContaining('rotate it'),
    });
  });
});

describe('sarif', () => {
  const run = () => {
    const r = runCli(['lint', '--format', 'sarif', ...FAILING]);
    return { ...r, sarif: JSON.parse(r.stdout) };
  };

  test('is SARIF 2.1.0 with the tool and its rule table (ids and help text)', () => {
    const { sarif, code } = run();
    expect(code).toBe(1);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('runbook-alarms');
    expect(driver.version).toBe(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(RUNBOOK_RULES.map((r) => r.id));
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.help.text.length).toBeGreaterThan(20);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
  });

  test('results carry ruleId, level, message and a physical location relative to %SRCROOT%', () => {
    const { sarif } = run();
    const run0 = sarif.runs[0];
    expect(run0.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${REPO}/`);
    expect(run0.results).toHaveLength(3);
    const [secret] = run0.results;
    expect(secret).toMatchObject({
      ruleId: 'Runbook-Secret',
      level: 'error',
      message: { text: expect.stringContaining('AWS access key') },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: 'test/fixtures/cli/rules/secret.fail.md', uriBaseId: '%SRCROOT%' },
          region: { startLine: 29, startColumn: 29 },
        },
      }],
    });
    for (const result of run0.results) {
      expect(run0.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|file:)/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
  });

  test('--output writes the report to a file and prints the summary on stderr', () => {
    const dir = tempDir('sarif');
    try {
      const out = path.join(dir, 'runbooks.sarif');
      const r = runCli(['lint', '--format', 'sarif', '--output', out, ...FAILING]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/3 errors and 0 warnings in 2 runbooks; report written to/);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs[0].results).toHaveLength(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exit codes', () => {
  test('0: no findings', () => {
    expect(runCli(['lint', PASSING]).code).toBe(0);
  });

  test('0: warnings only; 1 with --strict', () => {
    // The runbook rules only report errors; a warning comes from the cross-check: a runbook that
    // no alarm of an (empty) assembly links.
    const dir = tempDir('strict');
    try {
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: {} }));
      const r = lintJson([PASSING, '--assembly', dir]);
      expect(r.report.summary).toEqual({ errors: 0, warnings: 1, runbooks: 1, alarms: 0 });
      expect(r.report.findings[0].ruleId).toBe('Runbook-Unreferenced');
      expect(r.code).toBe(0);
      expect(runCli(['lint', PASSING, '--assembly', dir, '--strict']).code).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('1: errors found', () => {
    expect(runCli(['lint', ...FAILING]).code).toBe(1);
  });

  test.each([
    ['an unknown flag', ['lint', '--bogus'], /unknown option --bogus\n[\s\S]*Usage: runbook-alarms lint/],
    ['a mistyped flag', ['lint', '--frmat', 'json'], /^runbook-alarms lint: unknown option --frmat; did you mean --format\?\n\nUsage: runbook-alarms lint/],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"[\s\S]*Usage: runbook-alarms <command>/],
    ['no command', [], /Usage: runbook-alarms <command>/],
    ['a bad --format', ['lint', '--format', 'xml', PASSING], /--format must be one of text, json, sarif/],
    ['a bad --max-age', ['lint', '--max-age', 'SEV9=3', PASSING], /"SEV9" is not a severity/],
    ['a bad --now', ['lint', '--now', 'yesterday', PASSING], /--now "yesterday" is not a date/],
    ['a path that does not exist', ['lint', 'no/such/runbooks'], /no\/such\/runbooks does not exist/],
    ['an assembly that does not exist', ['lint', PASSING, '--assembly', 'no-such-cdk.out'], /no-such-cdk\.out does not exist; run `cdk synth` first/],
    ['an assembly whose manifest is not JSON', ['lint', PASSING, '--assembly', 'test/fixtures/cli/broken-assembly'], /manifest\.json is not valid JSON/],
    ['a --config that does not exist', ['lint', '--config', 'nope.yaml'], /config file nope\.yaml does not exist/],
    ['new without a name', ['new', '--severity', 'SEV2', '--owner', 'x'], /new needs a runbook name/],
  ])('2: %s', (_what, args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test.each([['lint'], ['new']])('--help on %s prints its usage and exits 0', (command) => {
    const r = runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: runbook-alarms ${command}`));
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  test('--help at the top lists every command', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}lint /m);
    expect(r.stdout).toMatch(/^ {2}new /m);
  });
});
