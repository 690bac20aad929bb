// End to end: the real `cdk` CLI, in subprocesses, on small fixture apps and on the example app.
// Each failing app must exit non-zero and name the construct path and the rule id.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkEnvironment, exampleSynth } from './synth-helpers';

const CDK = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk');
const APPS = path.join(__dirname, 'fixtures', 'gate', 'apps');

interface SynthResult {
  readonly code: number | null;
  readonly output: string;
  readonly outdir: string;
}

/** `cdk synth` as a user would run it (see cdkEnvironment). */
function cdkSynth(app: string, cwd: string): Promise<SynthResult> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-'));
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, ['synth', '--quiet', '--no-notices', '--app', app, '--output', outdir], { cwd, env: cdkEnvironment() });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, outdir }));
  });
}

const FIXTURES = ['raw-alarm', 'sev1-cfn-alarm', 'composite-page', 'nested-stack', 'stage', 'clean'] as const;
const results = new Map<string, SynthResult>();
let cwd: string;

beforeAll(async () => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-cwd-'));
  const runs = FIXTURES.map(async (name) => {
    results.set(name, await cdkSynth(`node ${path.join(APPS, `${name}.js`)}`, cwd));
  });
  await Promise.all(runs);
}, 300_000);

afterAll(() => {
  // The example app's assembly belongs to the global setup, which removes it.
  for (const r of results.values()) fs.rmSync(r.outdir, { recursive: true, force: true });
  if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
});

function failed(name: string): string {
  const r = results.get(name)!;
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  return r.output;
}

describe('cdk synth with the synth gate (real CLI)', () => {
  test('a raw alarm with no severity fails with its path and IncidentReadiness-AlarmSeverity', () => {
    const out = failed('raw-alarm');
    expect(out).toMatch(/Orders\/QueueDepth\/Resource/);
    expect(out).toMatch(/IncidentReadiness-AlarmSeverity: [^\n]*has no description, so no severity/);
  });

  test('a SEV1 CfnAlarm without runbook fails, in the annotations and in the pack report', () => {
    const r = results.get('sev1-cfn-alarm')!;
    const out = failed('sev1-cfn-alarm');
    expect(out).toMatch(/Checkout\/PaymentsDown/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook: alarm "checkout-payments-down" is a page \(SEV1\)/);
    const report = JSON.parse(fs.readFileSync(path.join(r.outdir, 'validation-report.json'), 'utf8'));
    const pack = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'IncidentReadiness');
    expect(pack.conclusion).toBe('failure');
    expect(pack.violations.map((v: { ruleName: string }) => v.ruleName)).toContain('IncidentReadiness-PageRunbook');
  });

  test('a composite page (routed to the page topic) without runbook fails', () => {
    const out = failed('composite-page');
    expect(out).toMatch(/Search\/SearchDown\/Resource/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook: [^\n]*actions reach a page topic/);
  });

  test('an alarm in a nested stack fails', () => {
    const out = failed('nested-stack');
    expect(out).toMatch(/Platform\/Database\/ReplicaLag/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook/);
  });

  test('an alarm in a Stage fails a plain `cdk synth` (no stack selected)', () => {
    const out = failed('stage');
    expect(out).toMatch(/Prod\/Api\/ApiDown[^\n]*is a page \(SEV1\) and has no runbook URL/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook/);
  });

  test('a compliant app (top level and in a Stage) exits 0', () => {
    const r = results.get('clean')!;
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
  });

  test('the example app (from the repository root with its cdk.json: ts-node, feature flags, base URL) exits 0 with no error finding', () => {
    const r = exampleSynth();
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
    expect(r.output).not.toMatch(/IncidentReadiness-\w+/);
  });
});
