import * as fs from 'fs';
import * as path from 'path';
import { App, Fn, PolicyViolation, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { NagPack } from 'cdk-nag';
import { AlertRouting, IncidentReadinessChecks, Runbook, RunbookAlarm, Severity } from '../../lib';
import { ALARM_RULES } from '../../lib/alarm-rules';
import { BASE_URL, GATE_FIXTURES, metric, metricProps, newApp } from '../support/gate';

const pack = () => new IncidentReadinessChecks(undefined, { projectRoot: GATE_FIXTURES, runbookLint: { now: new Date('2026-11-23') } });

/** Synthesizes `app` with the pack registered and returns the pack's report, as the validation report holds it. */
function packReport(app: App): { success: boolean; violations: PolicyViolation[] } {
  Validations.of(app).addPlugins(pack());
  const assembly = app.synth();
  const file = path.join(assembly.directory, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  const mine = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'IncidentReadiness');
  if (!mine) return { success: true, violations: [] };
  return {
    success: mine.conclusion === 'success',
    violations: mine.violations.map((v: any) => ({
      ruleName: v.ruleName, description: v.description, fix: v.suggestedFix, severity: v.severity,
      violatingResources: v.violatingConstructs.map((c: { constructPath: string }) => ({ constructPath: c.constructPath || undefined, locations: [] })),
    })),
  };
}
const PAGER = 'arn:aws:sns:eu-west-1:111111111111:pager';

/** An app whose alarms break every rule of the table between them. */
function everythingWrong(options: { throwing?: boolean } = {}) {
  const app = newApp(options);
  const stack = new Stack(app, 'Svc');
  const routing = new AlertRouting(stack, 'Routing');
  // A page (routed to the page topic) with a bad severity, no runbook, no first move, no owner,
  // actions disabled, no OK action, one datapoint, no TreatMissingData and a too-long description.
  new cloudwatch.CfnAlarm(stack, 'Worst', {
    ...metricProps,
    alarmDescription: `${'x'.repeat(1100)}\n\nSeverity: P1`,
    alarmActions: [routing.pageTopic.topicArn],
    actionsEnabled: false,
  });
  // A SEV3 linking a runbook file that does not exist.
  new cloudwatch.CfnAlarm(stack, 'Missing', { ...metricProps, alarmDescription: `Severity: SEV3\nRunbook: ${BASE_URL}/runbooks/missing.md\nOwner: x`, treatMissingData: 'notBreaching' });
  return { app, stack };
}

describe('IncidentReadinessChecks', () => {
  test('is a cdk-nag v3 pack named IncidentReadiness', () => {
    const p = pack();
    expect(p).toBeInstanceOf(NagPack);
    expect(p.name).toBe('IncidentReadiness');
    expect(p.readPackName).toBe('IncidentReadiness');
  });

  test('reports every rule of the table: the pack cannot silently lose one', () => {
    const { app } = everythingWrong();
    // The worst alarm's 1,100-character description is one CloudFormation itself refuses: the CDK's
    // own template validation says so too (its warning, expected here, not printed).
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let report;
    try {
      report = packReport(app);
      expect(printed.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/Template validation found issues/);
    } finally {
      printed.mockRestore();
    }
    const reported = new Set(report.violations.map((v) => v.ruleName));
    expect([...reported].sort()).toEqual(ALARM_RULES.map((r) => r.id).sort());
    expect(report.success).toBe(false);
  });

  test('a compliant app has no violation', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    new RunbookAlarm(stack, 'Backlog', {
      metric, threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, severity: Severity.SEV2,
      runbook: Runbook.fromFile('runbooks/good.md', { projectRoot: GATE_FIXTURES }),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, routing: new AlertRouting(stack, 'Routing'),
    });
    expect(packReport(app)).toEqual({ success: true, violations: [] });
  });

  test('warnings are reported but do not fail the report', () => {
    const app = newApp();
    new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev3', { ...metricProps, alarmDescription: 'Severity: SEV3' });
    const report = packReport(app);
    expect(report.violations.map((v) => [v.ruleName, v.severity])).toEqual([
      ['IncidentReadiness-MissingData', 'warning'],
      ['IncidentReadiness-Owner', 'warning'],
    ]);
    expect(report.success).toBe(true);
  });

  test('PageRunbook is fatal (never suppressible) and names the construct path, leading its description (printed whatever stacks are selected)', () => {
    const app = newApp();
    new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1', alarmActions: [PAGER] });
    const v = packReport(app).violations.find((x) => x.ruleName === 'IncidentReadiness-PageRunbook')!;
    expect(v.severity).toBe('fatal');
    expect(v.description).toMatch(/^Svc\/Sev1: alarm "Sev1" is a page \(SEV1/);
    // No construct of its own: the `cdk` CLI keeps such a violation whichever stacks it selected.
    expect(v.violatingResources.map((r) => r.constructPath)).toEqual([undefined]);
    expect(v.fix).toMatch(/Runbook\.fromFile/);
  });

  test('acknowledgement silences an acknowledgeable rule and is refused for PageRunbook', () => {
    const app = newApp();
    const alarm = new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1\nOwner: x', alarmActions: [PAGER] });
    Validations.of(alarm).acknowledge({ id: 'IncidentReadiness-PageSpike', reason: 'one failed batch is an emergency' });
    Validations.of(alarm).acknowledge({ id: 'IncidentReadiness-PageRunbook', reason: 'we know' });
    const report = packReport(app);
    const ids = report.violations.map((v) => v.ruleName);
    expect(ids).not.toContain('IncidentReadiness-PageSpike');
    expect(ids).toContain('IncidentReadiness-PageOkAction');
    const refused = report.violations.find((v) => v.ruleName === 'IncidentReadiness-PageRunbook')!;
    expect(refused.description).toMatch(/acknowledgement of IncidentReadiness-PageRunbook on Svc\/Sev1 was refused.*"we know"/);
  });

  test('an unresolved description is the granular warning AlarmSeverity[CannotVerify]', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    new cloudwatch.CfnAlarm(stack, 'Tok', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription'), treatMissingData: 'breaching' });
    const v = packReport(app).violations.find((x) => x.ruleName.startsWith('IncidentReadiness-AlarmSeverity'))!;
    expect(v).toMatchObject({ ruleName: 'IncidentReadiness-AlarmSeverity[CannotVerify]', severity: 'warning' });
  });

  test('the granular warning is silenced by its id as written and as the CDK CLI prints it (without the closing bracket)', () => {
    const ruleNames = (id?: string) => {
      const app = newApp();
      const alarm = new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Tok', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription'), treatMissingData: 'breaching' });
      if (id) Validations.of(alarm).acknowledge({ id, reason: 'the description is shared' });
      return packReport(app).violations.map((v) => v.ruleName);
    };
    expect(ruleNames()).toContain('IncidentReadiness-AlarmSeverity[CannotVerify]');
    for (const id of ['IncidentReadiness-AlarmSeverity[CannotVerify]', 'Annotation::IncidentReadiness-AlarmSeverity[CannotVerify', 'IncidentReadiness::IncidentReadiness-AlarmSeverity[CannotVerify']) {
      expect(ruleNames(id)).not.toContain('IncidentReadiness-AlarmSeverity[CannotVerify]');
    }
  });

  describe('a page (routed to the page topic) whose description is an unresolved token', () => {
    function tokenPage(acknowledged: string[] = []) {
      const app = newApp();
      const stack = new Stack(app, 'Svc');
      const routing = new AlertRouting(stack, 'Routing');
      const alarm = new cloudwatch.CfnAlarm(stack, 'Tok', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription'), alarmActions: [routing.pageTopic.topicArn], treatMissingData: 'breaching' });
      for (const id of acknowledged) Validations.of(alarm).acknowledge({ id, reason: 'the description is shared' });
      return app;
    }
    const find = (violations: PolicyViolation[]) => violations.find((v) => v.ruleName === 'IncidentReadiness-PageRunbook[CannotVerify]');

    test('is the error PageRunbook[CannotVerify] at the fatal level: a page that cannot be verified fails, and no acknowledgement id is offered', () => {
      const report = packReport(tokenPage());
      expect(find(report.violations)).toMatchObject({
        severity: 'fatal',
        description: expect.stringMatching(/^Svc\/Tok: .*is a page \(its actions reach a page topic\) and its AlarmDescription is not a literal .*cannot be verified/),
      });
      expect(find(report.violations)!.description).not.toMatch(/acknowledge/i);
      expect(report.success).toBe(false);
    });

    test('acknowledging AlarmSeverity[CannotVerify] does not hide it, and its own acknowledgement is refused (every form CDK or people write)', () => {
      for (const id of ['IncidentReadiness-PageRunbook[CannotVerify]', 'IncidentReadiness::IncidentReadiness-PageRunbook[CannotVerify', 'IncidentReadiness-PageRunbook',
        'IncidentReadiness::IncidentReadiness-PageRunbook[CannotVerify]', 'Annotation::warning-annotation']) {
        const report = packReport(tokenPage(['IncidentReadiness-AlarmSeverity[CannotVerify]', id]));
        expect(report.violations.map((v) => v.ruleName)).not.toContain('IncidentReadiness-AlarmSeverity[CannotVerify]');
        expect({ id, severity: find(report.violations)?.severity }).toEqual({ id, severity: 'fatal' });
        if (id.includes('PageRunbook')) {
          expect(find(report.violations)!.description).toMatch(/acknowledgement of .*PageRunbook.* on Svc\/Tok was refused.*"the description is shared"/);
        }
      }
    });
  });

  test('errors inside a nested Stage carry their path in the description, not as a construct path', () => {
    const app = newApp();
    new cloudwatch.CfnAlarm(new Stack(new Stage(app, 'Prod'), 'Svc'), 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1', alarmActions: [PAGER] });
    const v = packReport(app).violations.find((x) => x.ruleName === 'IncidentReadiness-PageRunbook')!;
    expect(v.description).toMatch(/^Prod\/Svc\/Sev1: /);
    expect(v.violatingResources[0].constructPath).toBeUndefined();
  });

  test('registered with Validations, its errors make an in-process synth throw', () => {
    const { app } = everythingWrong({ throwing: true });
    Validations.of(app).addPlugins(pack());
    expect(() => app.synth()).toThrow(/IncidentReadiness-PageRunbook/);
  });
});

test('the pack announces every alarm rule, in the rule table\'s order', () => {
  expect(new IncidentReadinessChecks().ruleIds).toEqual(ALARM_RULES.map((r) => r.id));
});
