// `lint --assembly`: the cloud assembly is read like the `cdk` CLI writes it (stacks, nested
// stacks, Stage assemblies) and cross-checked against the runbooks in both directions.
import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { renderAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { exampleSynth } from '../support/synth';
import { FIXTURES, REPO, lintJson, newestRepoRunbookDate, tempDir } from './helpers';

const BASE_URL = 'https://github.com/acme/orders/blob/main';

describe('the example app, synthesized by the real cdk CLI', () => {
  let out: string;
  beforeAll(() => {
    // The jest global setup synthesized it once, for every suite.
    const synth = exampleSynth();
    if (synth.code !== 0) throw new Error(`cdk synth failed: ${synth.output}`);
    out = synth.outdir;
  });

  test('is clean: every page has a runbook that exists and passes, every runbook is linked, severities agree', () => {
    const r = lintJson(['--assembly', out], { env: { RUNBOOK_ALARMS_NOW: newestRepoRunbookDate() } });
    expect(r.report.findings).toEqual([]);
    expect(r.report.summary.errors).toBe(0);
    expect(r.report.summary.alarms).toBeGreaterThanOrEqual(3);
    expect(r.report.summary.runbooks).toBe(fs.readdirSync(path.join(REPO, 'runbooks')).filter((f) => f.endsWith('.md')).length);
    expect(r.code).toBe(0);
  });
});

/** A project dir: a config file with the base URL and runbooks copied from the rule fixtures. */
function makeProject(): string {
  const dir = tempDir('project');
  fs.mkdirSync(path.join(dir, 'runbooks'));
  const base = fs.readFileSync(path.join(FIXTURES, 'rules', 'owner.pass.md'), 'utf8'); // SEV2, passes
  fs.writeFileSync(path.join(dir, 'runbooks', 'orders-backlog.md'), base);
  fs.writeFileSync(path.join(dir, 'runbooks', 'orders-orphan.md'), base.replace('Orders queue backlog', 'Orders orphan'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'contacts.md'), path.join(dir, 'runbooks', 'contacts.md'));
  fs.writeFileSync(path.join(dir, '.runbook-alarms.yaml'), `runbook_base_url: ${BASE_URL}\npaths: [runbooks/orders-backlog.md, runbooks/orders-orphan.md]\n`);
  return dir;
}

function metric(): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Backlog' });
}

function alarm(scope: Stack, id: string, severity: Severity, runbook?: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: metric(),
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: renderAlarmContract({ severity, runbookUrl: runbook, firstMove: 'Scale out', owner: 'orders', summary: id }),
  });
}

// Synthesized twice: as `app.synth()` writes it (no path metadata in templates: construct paths
// come from the stack metadata, nested templates from asset hashes) and as the cdk CLI asks for it.
const AS_THE_CLI_DOES = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true };

describe.each([
  ['in-process synth, no path metadata', {}],
  ['path and asset metadata, as the cdk CLI writes', AS_THE_CLI_DOES],
])('an app with nested stacks, a Stage and cross-stack routing (%s)', (_how, context) => {
  let project: string;
  let report: ReturnType<typeof lintJson>;
  beforeAll(() => {
    project = makeProject();
    const out = path.join(project, 'cdk.out');
    const app = new App({ outdir: out, context });
    const top = new Stack(app, 'Orders');
    const routing = new AlertRouting(top, 'Routing');
    // A page in a nested stack whose runbook file is missing.
    const nested = new NestedStack(top, 'Workers');
    const missing = alarm(nested, 'MissingRunbook', Severity.SEV2, `${BASE_URL}/runbooks/does-not-exist.md`);
    missing.addAlarmAction(new SnsAction(routing.pageTopic));
    missing.addOkAction(new SnsAction(routing.pageTopic));
    // A SEV3 that still reaches the page topic, from another stack (Fn::ImportValue): a page.
    const consumer = new Stack(app, 'Consumer');
    const linked = alarm(consumer, 'Linked', Severity.SEV3, `${BASE_URL}/runbooks/orders-backlog.md`);
    linked.addAlarmAction(new SnsAction(routing.pageTopic));
    linked.addOkAction(new SnsAction(routing.pageTopic));
    // A SEV1 in a Stage with no runbook at all; acknowledging that is refused.
    const stage = new Stage(app, 'Prod');
    const noRunbook = alarm(new Stack(stage, 'Checkout'), 'NoRunbook', Severity.SEV1);
    Validations.of(noRunbook).acknowledge({ id: 'IncidentReadiness-PageRunbook', reason: 'we know' });
    // A SEV4 without TreatMissingData, acknowledged on its stack.
    new cloudwatch.Alarm(consumer, 'Sparse', {
      metric: metric(), threshold: 1, evaluationPeriods: 1,
      alarmDescription: renderAlarmContract({ severity: Severity.SEV4, owner: 'orders' }),
    });
    Validations.of(consumer).acknowledge({ id: 'IncidentReadiness-MissingData', reason: 'a sparse metric: no data is normal' });
    app.synth();
    report = lintJson(['--assembly', 'cdk.out'], { cwd: project });
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  const find = (ruleId: string) => report.report.findings.filter((f) => f.ruleId === ruleId);

  test('a page whose runbook file is missing is an error at its nested template, named by construct path', () => {
    const [f] = find('IncidentReadiness-RunbookExists');
    expect(f).toMatchObject({ level: 'error', alarm: { constructPath: 'Orders/Workers/MissingRunbook/Resource' } });
    expect(f.file).toMatch(/^cdk\.out\/OrdersWorkers[0-9A-F]{8}\.nested\.template\.json$/);
    expect(f.message).toContain('runbooks/does-not-exist.md does not exist');
    // The line points at the alarm's logical id in the template.
    const text = fs.readFileSync(path.join(project, f.file), 'utf8').split('\n');
    expect(text[f.line - 1]).toContain(`"${f.alarm!.logicalId}"`);
    expect(find('IncidentReadiness-RunbookExists')).toHaveLength(1);
  });

  test('a page without a runbook inside a Stage is found in the nested assembly', () => {
    const [f] = find('IncidentReadiness-PageRunbook');
    expect(f).toMatchObject({ level: 'error', alarm: { stack: 'Prod/Checkout', constructPath: 'Prod/Checkout/NoRunbook/Resource' } });
    expect(f.file).toMatch(/^cdk\.out\/assembly-Prod\//);
    expect(find('IncidentReadiness-PageRunbook')).toHaveLength(1);
  });

  test('acknowledgements recorded in the assembly work as at synth, except for PageRunbook', () => {
    expect(find('IncidentReadiness-PageRunbook')[0].message).toMatch(/acknowledgement of IncidentReadiness-PageRunbook on Prod\/Checkout\/NoRunbook was refused/);
    expect(find('IncidentReadiness-MissingData')).toEqual([]);
  });

  test('a runbook that disagrees with its alarm on severity is a warning on the runbook', () => {
    expect(find('Runbook-SeverityMismatch')).toEqual([expect.objectContaining({
      level: 'warning', file: 'runbooks/orders-backlog.md', line: 5, message: expect.stringMatching(/runbook says SEV2 but alarm .*Consumer\/Linked\/Resource.* is SEV3/),
    })]);
  });

  test('a runbook no alarm links is a warning', () => {
    expect(find('Runbook-Unreferenced')).toEqual([expect.objectContaining({ level: 'warning', file: 'runbooks/orders-orphan.md', line: 1 })]);
  });

  test('an alarm routed to the page topic of another stack counts as a page', () => {
    // Consumer/Linked is SEV3 but reaches the page topic through an export: its pages checks ran
    // (it has a runbook, first move, OK action and 2-of-3 datapoints, so none reports), and no
    // rule treats it as a non-page. Remove its runbook and it would be a PageRunbook error.
    const onLinked = report.report.findings.filter((f) => f.alarm?.constructPath === 'Consumer/Linked/Resource');
    expect(onLinked).toEqual([]);
    expect(report.report.summary.alarms).toBe(4);
  });

  test('errors make the run fail', () => {
    expect(report.code).toBe(1);
  });
});

describe('without a base URL', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
    fs.writeFileSync(path.join(project, '.runbook-alarms.yaml'), 'paths: [runbooks/orders-backlog.md, runbooks/orders-orphan.md]\n');
    // A hand-written assembly: one stack, one SEV2 alarm linking a runbook by some other URL.
    const out = path.join(project, 'cdk.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: { Orders: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Orders.template.json' } } },
    }));
    fs.writeFileSync(path.join(out, 'Orders.template.json'), JSON.stringify({
      Resources: {
        Backlog: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmDescription: renderAlarmContract({ severity: Severity.SEV2, runbookUrl: 'https://wiki.example.com/ops/runbooks/orders-backlog.md#triage', owner: 'orders', firstMove: 'Scale out' }),
            AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:pager'],
            OKActions: ['arn:aws:sns:eu-west-1:111111111111:pager'],
            EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching',
          },
        },
      },
    }, null, 1));
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test('a runbook counts as linked when an alarm URL ends with its path; files are not checked by URL', () => {
    const r = lintJson(['--assembly', 'cdk.out'], { cwd: project });
    expect(r.report.findings.map((f) => [f.ruleId, f.file])).toEqual([
      ['Runbook-Unreferenced', 'runbooks/orders-orphan.md'],
    ]);
    expect(r.code).toBe(0);
  });

  test('--base-url maps URLs to files again: the wiki URL is not under it, so nothing is linked', () => {
    const r = lintJson(['--assembly', 'cdk.out', '--base-url', BASE_URL], { cwd: project });
    expect(r.report.findings.filter((f) => f.ruleId === 'Runbook-Unreferenced').map((f) => f.file).sort())
      .toEqual(['runbooks/orders-backlog.md', 'runbooks/orders-orphan.md']);
  });

  test('with a base URL, the wiki URL is a warning that it cannot be checked, unless the config lists the wiki', () => {
    const outside = (r: ReturnType<typeof lintJson>) => r.report.findings.filter((f) => f.ruleId === 'IncidentReadiness-RunbookExists');
    const warned = lintJson(['--assembly', 'cdk.out', '--base-url', BASE_URL], { cwd: project });
    expect(outside(warned)).toEqual([expect.objectContaining({
      level: 'warning', message: expect.stringContaining(`links runbook https://wiki.example.com/ops/runbooks/orders-backlog.md#triage, outside the base URL ${BASE_URL}: it cannot be checked`),
    })]);
    expect(warned.code).toBe(0);
    expect(lintJson(['--assembly', 'cdk.out', '--base-url', BASE_URL, '--strict'], { cwd: project }).code).toBe(1);
    const config = path.join(project, 'listed.yaml');
    fs.writeFileSync(config, 'paths: [runbooks/orders-backlog.md, runbooks/orders-orphan.md]\nrunbook_url_prefixes: [wiki.example.com]\n');
    expect(outside(lintJson(['--assembly', 'cdk.out', '--base-url', BASE_URL, '--config', config], { cwd: project }))).toEqual([]);
    // Or cdk.json's context, as the synth gate reads it.
    const cdkJson = path.join(project, 'cdk.json');
    const before = fs.existsSync(cdkJson) ? fs.readFileSync(cdkJson, 'utf8') : undefined;
    fs.writeFileSync(cdkJson, JSON.stringify({ context: { 'cdk-runbook-alarms:runbookUrlPrefixes': ['https://wiki.example.com/ops'] } }));
    try {
      expect(outside(lintJson(['--assembly', 'cdk.out', '--base-url', BASE_URL], { cwd: project }))).toEqual([]);
    } finally {
      if (before === undefined) fs.rmSync(cdkJson);
      else fs.writeFileSync(cdkJson, before);
    }
  });
});

test('an alarm whose description is an Fn::Join (a reference in its summary) still links its runbook', () => {
  const project = makeProject();
  try {
    const app = new App({ outdir: path.join(project, 'cdk.out') });
    const stack = new Stack(app, 'Orders');
    new cloudwatch.Alarm(stack, 'Joined', {
      metric: metric(), threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Backlog in account ${stack.account}\n\n` + renderAlarmContract({ severity: Severity.SEV3, runbookUrl: `${BASE_URL}/runbooks/orders-backlog.md`, firstMove: 'Scale out', owner: 'orders' }),
    });
    app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(project, 'cdk.out', 'Orders.template.json'), 'utf8'));
    const [res] = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(res.Properties.AlarmDescription['Fn::Join']).toBeDefined();
    const r = lintJson(['--assembly', 'cdk.out'], { cwd: project });
    expect(r.report.findings.filter((f) => f.ruleId === 'Runbook-Unreferenced').map((f) => f.file)).toEqual(['runbooks/orders-orphan.md']);
    expect(r.report.findings.filter((f) => f.level === 'error')).toEqual([]);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test('lint --assembly fails closed as synth does: a nested template neither JSON nor YAML is a CannotJudge error at the file', () => {
  const project = makeProject();
  try {
    const app = new App({ outdir: path.join(project, 'cdk.out') });
    const stack = new Stack(app, 'Orders');
    alarm(stack, 'Fine', Severity.SEV3, `${BASE_URL}/runbooks/orders-backlog.md`);
    new NestedStack(stack, 'Inner');
    app.synth();
    const nested = fs.readdirSync(path.join(project, 'cdk.out')).find((f) => f.endsWith('.nested.template.json'))!;
    fs.writeFileSync(path.join(project, 'cdk.out', nested), 'Resources: [\n');
    const r = lintJson(['--assembly', 'cdk.out'], { cwd: project });
    const cannot = r.report.findings.filter((f) => f.ruleId === 'IncidentReadiness-CannotJudge');
    expect(cannot.map((f) => [f.level, f.file])).toEqual([['error', `cdk.out/${nested}`]]);
    expect(cannot[0].message).toMatch(/^the gate cannot judge .*: the template cannot be read, so no alarm in it was judged: neither JSON nor YAML/);
    expect(r.code).toBe(1);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});
