// The SRE guide's runbook template (§3-1), as teams paste it first: verbatim, it fails lint and
// Runbook.fromFile with the reasons at their lines; filled in (test/fixtures/sre-guide/
// runbook-template.filled.md keeps its numbered sections, its header line and its labels), it
// passes, and the page carries its real first move and its never-do warning.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Runbook, RunbookAlarm, RunbookError, Severity, parseAlarmContract } from '../../lib';
import { formatFinding, lintRunbookFile } from '../../lib/runbook/lint';
import { readRunbook } from '../../lib/runbook/parser';
import { sreGuideFile } from '../support/sre-guide';

const FILLED = path.join(__dirname, '..', 'fixtures', 'sre-guide', 'runbook-template.filled.md');
const NOW = new Date('2026-11-23T12:00:00Z');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A project root holding the given runbooks under runbooks/. */
function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sre-guide-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'runbooks'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, 'runbooks', name), text);
  return root;
}

function alarmDescription(runbook: Runbook): string {
  const stack = new Stack(new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/payments/blob/main' } }), 'S');
  new RunbookAlarm(stack, 'WebhookBacklog', {
    metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'WebhookBacklog' }),
    threshold: 1000, evaluationPeriods: 3, severity: Severity.SEV2, runbook,
  });
  const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
  return alarm.Properties.AlarmDescription;
}

describe('the template verbatim', () => {
  const template = sreGuideFile('runbook-template.md');

  test('lint says what is left to write, each at its line: the header line to move, placeholders, the example first move, Verify without a checklist', () => {
    const findings = lintRunbookFile(template, { now: NOW });
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['Runbook-Placeholder', 1],
      ['Runbook-FrontMatter', 2],
      ['Runbook-Placeholder', 2], ['Runbook-Placeholder', 2],
      ['Runbook-Placeholder', 5], ['Runbook-Placeholder', 9], ['Runbook-Placeholder', 10],
      ['Runbook-Placeholder', 18], ['Runbook-Placeholder', 19],
      ['Runbook-Checklist', 22],
    ]);
    expect(findings[1].fix).toBe('put these lines at the top of the file: ---, title: "<alert name / failure scenario>", owner: "<team>", last_updated: 2026-06-24, ' +
      '--- (one per line; add severity: SEV1..SEV4), then keep line 2 only if it says the same');
    expect(findings[7]).toMatchObject({ column: 45, message: 'Mitigate checklist item holds template example text "e.g.)"; it is labelled as the first move, which every page carries' });
  });

  test('Runbook.fromFile refuses it with the same words', () => {
    const root = project({ 'template.md': fs.readFileSync(template, 'utf8') });
    const load = () => Runbook.fromFile('runbooks/template.md', { projectRoot: root });
    expect(load).toThrow(RunbookError);
    const lint = lintRunbookFile(path.join(root, 'runbooks', 'template.md'), { now: NOW }).map((f) => formatFinding({ ...f, file: 'runbooks/template.md' }));
    for (const line of lint) expect(load).toThrow(line);
  });

  test('the guide\'s first move as the template writes it is never read as a first move', () => {
    expect(readRunbook(template).firstMove).toBeUndefined();
  });
});

describe('the template filled in', () => {
  test('passes lint: numbered sections, the header line agreeing with the front matter, labels and the ⚠️ line as the guide writes them', () => {
    expect(lintRunbookFile(FILLED, { now: NOW })).toEqual([]);
  });

  test('the first move is the labelled item without its label; the ⚠️ line is the never-do warning, with its reason', () => {
    const doc = readRunbook(FILLED);
    expect(doc.firstMove).toBe('scale out the consumer: `aws ecs update-service --cluster payments --service webhook-consumer --desired-count 12`');
    expect(doc.never).toBe('"delete all" events to resolve the stagnation → Since there\'s an idempotency key, "reprocess everything" is safe. Deleting misses them.');
    expect(doc.headerLine?.fields.map((f) => [f.key, f.value])).toEqual([['last_updated', '2026-11-20'], ['owner', 'payments'], ['related slo', 'payment-webhook-freshness']]);
  });

  test('the alarm description carries the first move once, unlabelled, and the Never: line', () => {
    const root = project({ 'payment-webhook-backlog.md': fs.readFileSync(FILLED, 'utf8') });
    const description = alarmDescription(Runbook.fromFile('runbooks/payment-webhook-backlog.md', { projectRoot: root }));
    expect(description).toContain('\nFirst move: scale out the consumer: `aws ecs update-service');
    expect(description).not.toContain('First move: First move');
    expect(parseAlarmContract(description)).toMatchObject({
      severity: Severity.SEV2,
      runbookUrl: 'https://github.com/acme/payments/blob/main/runbooks/payment-webhook-backlog.md',
      never: '"delete all" events to resolve the stagnation → Since there\'s an idempotency key, "reprocess everything" is safe. Deleting misses them.',
      owner: 'payments',
    });
  });

  test('the never-do warning can be given or overridden, like the first move', () => {
    const root = project({ 'payment-webhook-backlog.md': fs.readFileSync(FILLED, 'utf8') });
    const runbook = Runbook.fromFile('runbooks/payment-webhook-backlog.md', { projectRoot: root, never: 'purge payment-webhooks' });
    expect(parseAlarmContract(alarmDescription(runbook)).never).toBe('purge payment-webhooks');
    expect(parseAlarmContract(alarmDescription(Runbook.fromUrl('https://wiki.example/r', { never: 'reboot the writer' }))).never).toBe('reboot the writer');
  });

  test('a header line that disagrees with the front matter fails, at the line', () => {
    const text = fs.readFileSync(FILLED, 'utf8').replace('Last updated: 2026-11-20', 'Last updated: 2026-06-24');
    const root = project({ 'r.md': text });
    expect(() => Runbook.fromFile('runbooks/r.md', { projectRoot: root }))
      .toThrow('runbooks/r.md:8:1 error Runbook-HeaderLine the header line says Last updated: 2026-06-24, but the front matter says last_updated: 2026-11-20 (line 4)');
  });

  test('a warning written above the real first move does not become it', () => {
    const text = fs.readFileSync(FILLED, 'utf8').replace('- [ ] First move (stop the impact fastest): ', '- [ ] ⚠️ Never purge the queue\n- [ ] ');
    const root = project({ 'r.md': text });
    const runbook = Runbook.fromFile('runbooks/r.md', { projectRoot: root });
    expect([runbook.firstMove, runbook.never]).toEqual(['scale out the consumer: `aws ecs update-service --cluster payments --service webhook-consumer --desired-count 12`', 'purge the queue']);
  });
});
