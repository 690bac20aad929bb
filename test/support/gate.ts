// Helpers for the gate tests: apps with the runbook base URL set, and the findings the gate
// reported in the cloud assembly's validation report (as the `cdk` CLI reads them).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BASE_URL } from './cdk';

export { BASE_URL };
export const GATE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'gate');

const OUTDIRS: string[] = [];
afterAll(() => {
  for (const dir of OUTDIRS.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * An app with the base URL set whose in-process `app.synth()` writes the validation report
 * without throwing on errors (so a test can read every finding); `throwing: true` keeps CDK's
 * default, which throws with the report under jest.
 */
export function newApp(options: { throwing?: boolean; context?: Record<string, unknown> } = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-app-'));
  OUTDIRS.push(outdir);
  return new App({
    outdir,
    context: {
      'cdk-runbook-alarms:runbookBaseUrl': BASE_URL,
      ...(options.throwing ? {} : { '@aws-cdk/core:failSynthOnValidationErrors': false }),
      ...options.context,
    },
  });
}

export const metricProps = {
  evaluationPeriods: 1,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 1,
  metricName: 'Errors',
  namespace: 'Acme',
  period: 60,
  statistic: 'Sum',
};

export const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' });

export interface PolicyFinding {
  /** The alarm's construct path (from the violating construct, or the description of a Stage alarm). */
  readonly path: string;
  readonly level: 'error' | 'warning';
  /** `error` or `fatal` for errors. */
  readonly severity: string;
  /** The rule name as reported (`RuleId` or `RuleId[detail]`). */
  readonly ruleId: string;
  /** `<ruleId>: <description>. Fix: <fix>` */
  readonly text: string;
  readonly plugin: string;
}

interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ readonly constructPath: string }>;
}

/** Every IncidentReadiness finding of the app's last synth (synthesizes it when it has not been). */
export function policyFindings(app: App): PolicyFinding[] {
  const file = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(path.join(app.outdir, 'manifest.json'))) app.synth();
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: ReportViolation[] }> };
  return report.pluginReports
    .filter((r) => r.pluginName === 'IncidentReadiness')
    .flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.map((c) => ({
      path: c.constructPath || v.description.slice(0, v.description.indexOf(': ')),
      level: v.severity === 'warning' ? ('warning' as const) : ('error' as const),
      severity: v.severity,
      ruleId: v.ruleName,
      text: `${v.ruleName}: ${v.description}. Fix: ${v.suggestedFix ?? ''}`,
      plugin: r.pluginName,
    }))));
}

/** `path ruleId` of each error, for compact assertions. */
export function errorsOf(app: App): string[] {
  return policyFindings(app).filter((f) => f.level === 'error').map((f) => `${f.path} ${f.ruleId}`);
}
