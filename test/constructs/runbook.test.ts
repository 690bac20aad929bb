import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Runbook, RunbookAlarm, RunbookError, Severity } from '../../lib';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'foundation');
const BASE = 'https://github.com/acme/ops/blob/main';

function scope(context: Record<string, unknown> = {}) {
  return new Stack(new App({ context }), 'S');
}

describe('Runbook.fromFile', () => {
  test('reads the first move and owner; the URL is base URL + path from the project root', () => {
    const runbook = Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES });
    expect(runbook.firstMove).toMatch(/^Scale out the webhook consumer to drain the backlog/);
    expect(runbook.owner).toBe('payments');
    expect(runbook.severity).toBe(Severity.SEV2);
    const bound = runbook.bind(scope({ 'cdk-runbook-alarms:runbookBaseUrl': `${BASE}/` }));
    expect(bound.url).toBe(`${BASE}/runbooks/good.md`);
  });

  test('a first move wrapped over several lines is read whole, inline code kept (not cut at the line end)', () => {
    const runbook = Runbook.fromFile('runbooks/wrapped.md', { projectRoot: FIXTURES });
    expect(runbook.firstMove).toBe(
      'Scale out the webhook consumer to drain the backlog: `aws ecs update-service --cluster payments --service webhook-consumer --desired-count 12`',
    );
    expect(runbook.firstMove).toBe(Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES }).firstMove);
  });

  test('props baseUrl wins over context', () => {
    const bound = Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES, baseUrl: 'https://wiki.example/ops' })
      .bind(scope({ 'cdk-runbook-alarms:runbookBaseUrl': BASE }));
    expect(bound.url).toBe('https://wiki.example/ops/runbooks/good.md');
  });

  test('a missing base URL names the context key to set', () => {
    const runbook = Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES });
    expect(() => runbook.bind(scope())).toThrow(/set the CDK context key "cdk-runbook-alarms:runbookBaseUrl" in cdk\.json.*or pass \{ baseUrl \}/);
  });

  test('without a base URL, the error names the alarm that links the runbook, not only its stack', () => {
    const stack = scope();
    const alarm = () => new RunbookAlarm(stack, 'WebhookBacklog', {
      metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Backlog' }), threshold: 1, evaluationPeriods: 1,
      severity: Severity.SEV2, runbook: Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES }),
    });
    expect(alarm).toThrow(RunbookError);
    expect(alarm).toThrow(/^RunbookAlarm 'S\/WebhookBacklog': Runbook\.fromFile\('runbooks\/good\.md'\) needs a base URL/);
  });

  test('a non-https base URL is refused', () => {
    const runbook = Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES, baseUrl: 'http://wiki.example' });
    expect(() => runbook.bind(scope())).toThrow(/must use https:\/\//);
  });

  test('a broken runbook fails with file:line and the fix for each problem', () => {
    let error: RunbookError | undefined;
    try {
      Runbook.fromFile('runbooks/broken.md', { projectRoot: FIXTURES });
    } catch (e) {
      error = e as RunbookError;
    }
    expect(error).toBeInstanceOf(RunbookError);
    const msg = error!.message;
    expect(msg).toMatch(/^Runbook runbooks\/broken\.md is not ready/);
    expect(msg).toMatch(/runbooks\/broken\.md:1:1 error Runbook-Owner the runbook names no owner\. Fix: add `owner: <team>`/);
    expect(msg).toMatch(/runbooks\/broken\.md:3:1 error Runbook-LastUpdated last_updated "2026-02-30" is not a real date/);
    expect(msg).toMatch(/runbooks\/broken\.md:12:1 error Runbook-Placeholder placeholder TODO is left/);
    expect(msg).toMatch(/runbooks\/broken\.md:11:1 error Runbook-Sections section "Mitigate" comes before "Triage"/);
    expect(msg).toMatch(/runbooks\/broken\.md:20:1 error Runbook-Sections the runbook has no Postmortem section.*after "## Comms"/);
    expect(msg).toMatch(/runbooks\/broken\.md:11:1 error Runbook-Checklist section "Mitigate" has no checklist item/);
    expect(error!.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['Runbook-Owner', 'Runbook-LastUpdated', 'Runbook-Sections', 'Runbook-Checklist', 'Runbook-Placeholder']));
  });

  test('broken front matter YAML is reported at its line in the file', () => {
    expect(() => Runbook.fromFile('runbooks/bad-yaml.md', { projectRoot: FIXTURES }))
      .toThrow(/runbooks\/bad-yaml\.md:4:1 error Runbook-FrontMatter front matter is not valid YAML: Flow sequence/);
  });

  test('a missing file says how to create one', () => {
    expect(() => Runbook.fromFile('runbooks/nope.md', { projectRoot: FIXTURES })).toThrow(/does not exist.*runbook-alarms new/);
  });

  test('a stale runbook only warns at synth', () => {
    const runbook = Runbook.fromFile('runbooks/stale.md', { projectRoot: FIXTURES }); // does not throw
    const bound = runbook.bind(scope({ 'cdk-runbook-alarms:runbookBaseUrl': BASE }));
    expect(bound.warnings).toEqual([
      expect.stringMatching(/^runbooks\/stale\.md:4:1 warning Runbook-Stale last_updated 2025-01-06 is \d+ days old; SEV2 runbooks must be reviewed every 90 days\. Fix: walk through the procedure/),
    ]);
  });

  test('a fresh runbook binds without warnings', () => {
    // "Today" is pinned by test/setup-env.ts, so this stays true as the calendar moves.
    const bound = Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES }).bind(scope({ 'cdk-runbook-alarms:runbookBaseUrl': BASE }));
    expect(bound.warnings).toEqual([]);
  });

  test('RUNBOOK_ALARMS_NOW that is not a date is a clear error', () => {
    const saved = process.env.RUNBOOK_ALARMS_NOW;
    process.env.RUNBOOK_ALARMS_NOW = 'yesterday';
    try {
      expect(() => Runbook.fromFile('runbooks/good.md', { projectRoot: FIXTURES })).toThrow('RUNBOOK_ALARMS_NOW="yesterday" is not a date; set it to YYYY-MM-DD or unset it');
    } finally {
      process.env.RUNBOOK_ALARMS_NOW = saved;
    }
  });
});

describe('Runbook.fromUrl', () => {
  test('keeps the URL and the options', () => {
    const bound = Runbook.fromUrl('https://wiki.example/rb', { firstMove: 'Fail over', owner: 'data' }).bind(scope());
    expect(bound).toMatchObject({ url: 'https://wiki.example/rb', firstMove: 'Fail over', owner: 'data' });
  });

  test.each(['http://wiki.example/rb', 'wiki/rb', 'ftp://x/y'])('refuses %s', (url) => {
    expect(() => Runbook.fromUrl(url)).toThrow(RunbookError);
  });
});

describe('Runbook.fromFile on files that are not a runbook as written', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  let root: string;
  let outside: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-fromfile-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-outside-'));
    fs.mkdirSync(path.join(root, 'runbooks', 'dir.md'), { recursive: true });
    const good = fs.readFileSync(path.join(FIXTURES, 'runbooks', 'good.md'));
    fs.writeFileSync(path.join(outside, 'elsewhere.md'), good);
    fs.symlinkSync(path.join(outside, 'elsewhere.md'), path.join(root, 'runbooks', 'linked.md'));
    fs.writeFileSync(path.join(root, 'runbooks', 'latin1.md'), Buffer.from(good.toString('utf8').replace('# ', '# Caf\u00e9 '), 'latin1'));
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('a directory is a RunbookError naming it, not EISDIR', () => {
    expect(() => Runbook.fromFile('runbooks/dir.md', { projectRoot: root })).toThrow(/Runbook file runbooks\/dir.md is a directory/);
  });

  test('a file that is not UTF-8 is a RunbookError at its first bad byte (it would reach Slack as U+FFFD)', () => {
    expect(() => Runbook.fromFile('runbooks/latin1.md', { projectRoot: root })).toThrow(/runbooks\/latin1\.md:\d+:\d+ error Runbook-FrontMatter the file is not UTF-8 \(byte 0xe9\)/);
  });

  test('a symbolic link to a file outside the project is refused: its URL would not show the procedure', () => {
    const runbook = Runbook.fromFile('runbooks/linked.md', { projectRoot: root });
    expect(() => runbook.bind(scope({ 'cdk-runbook-alarms:runbookBaseUrl': BASE }))).toThrow(/is a symbolic link to .*outside the project root/);
  });
});
