import * as path from 'path';
import { CfnResource, Fn, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AlertRouting, Runbook, RunbookAlarm, RunbookCompositeAlarm, RunbookPolicy, Severity } from '../../lib';
import { GATE_FIXTURES, errorsOf, metric, metricProps, newApp, policyFindings } from '../support/gate';

const good = () => Runbook.fromFile('runbooks/good.md', { projectRoot: GATE_FIXTURES });

function appWithPolicy(props: ConstructorParameters<typeof RunbookPolicy>[0] = {}) {
  const app = newApp();
  // The team keeps some runbooks in its wiki: links there are not reported as outside the base URL.
  RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES, runbookLint: { now: new Date('2026-11-23') }, runbookUrlPrefixes: ['wiki.acme.io'], ...props });
  return app;
}

describe('RunbookPolicy', () => {
  test('a RunbookAlarm page with routing and a linted runbook file passes every rule', () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    const routing = new AlertRouting(stack, 'Routing');
    new RunbookAlarm(stack, 'Backlog', { metric, threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, severity: Severity.SEV2, runbook: good(), treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, routing });
    app.synth();
    expect(policyFindings(app)).toEqual([]);
  });

  test('a plain cloudwatch.Alarm without severity is an error at its construct path', () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    new cloudwatch.Alarm(stack, 'Raw', { metric, threshold: 1, evaluationPeriods: 3 });
    app.synth();
    expect(errorsOf(app)).toEqual(['Svc/Raw/Resource IncidentReadiness-AlarmSeverity']);
    const [f] = policyFindings(app).filter((x) => x.level === 'error');
    expect(f.text).toMatch(/has no description, so no severity\. Fix: /);
  });

  test('a SEV1 CfnAlarm without runbook fails PageRunbook and PageAction', () => {
    const app = appWithPolicy();
    new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1' });
    app.synth();
    expect(errorsOf(app)).toEqual(['Svc/Sev1 IncidentReadiness-PageRunbook', 'Svc/Sev1 IncidentReadiness-PageAction']);
  });

  test('a composite page without runbook fails', () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    const child = new RunbookAlarm(stack, 'Child', { metric, threshold: 1, evaluationPeriods: 3, severity: Severity.SEV4 });
    const routing = new AlertRouting(stack, 'Routing');
    const composite = new cloudwatch.CompositeAlarm(stack, 'Checkout', { alarmRule: cloudwatch.AlarmRule.fromAlarm(child, cloudwatch.AlarmState.ALARM), alarmDescription: 'Severity: SEV2\nOwner: payments' });
    composite.addAlarmAction(new cwActions.SnsAction(routing.pageTopic));
    app.synth();
    expect(errorsOf(app)).toContain('Svc/Checkout/Resource IncidentReadiness-PageRunbook');
  });

  test('a RunbookCompositeAlarm page passes', () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    const routing = new AlertRouting(stack, 'Routing');
    const child = new RunbookAlarm(stack, 'Child', { metric, threshold: 1, evaluationPeriods: 3, severity: Severity.SEV4, owner: 'payments', treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING });
    new RunbookCompositeAlarm(stack, 'Checkout', { alarmRule: cloudwatch.AlarmRule.fromAlarm(child, cloudwatch.AlarmState.ALARM), severity: Severity.SEV1, runbook: good(), routing });
    app.synth();
    expect(policyFindings(app)).toEqual([]);
  });

  test('an alarm routed to an AlertRouting page topic in another stack is a page whatever its description says', () => {
    const app = appWithPolicy();
    const routing = new AlertRouting(new Stack(app, 'Alerts'), 'Routing');
    const alarm = new cloudwatch.Alarm(new Stack(app, 'Svc'), 'Quiet', { metric, threshold: 1, evaluationPeriods: 3, alarmDescription: 'Severity: SEV4\nOwner: payments' });
    alarm.addAlarmAction(new cwActions.SnsAction(routing.pageTopic));
    app.synth();
    expect(errorsOf(app)).toEqual(['Svc/Quiet/Resource IncidentReadiness-PageRunbook']);
    expect(policyFindings(app).find((f) => f.ruleId === 'IncidentReadiness-PageRunbook')!.text).toMatch(/actions reach a page topic/);
  });

  test('the same alarm routed to the notify topic is not a page', () => {
    const app = appWithPolicy();
    const routing = new AlertRouting(new Stack(app, 'Alerts'), 'Routing');
    const alarm = new cloudwatch.Alarm(new Stack(app, 'Svc'), 'Quiet', { metric, threshold: 1, evaluationPeriods: 3, alarmDescription: 'Severity: SEV4\nOwner: payments' });
    alarm.addAlarmAction(new cwActions.SnsAction(routing.notifyTopic));
    app.synth();
    expect(errorsOf(app)).toEqual([]);
  });

  test("cdk-monitoring-constructs' description format is read (` \\r\\n`-joined Runbook line)", () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    const topic = new sns.Topic(stack, 'Pager');
    const routing = new AlertRouting(stack, 'Routing', { pageTopic: topic });
    const alarm = new cloudwatch.Alarm(stack, 'Latency', {
      metric, threshold: 1, evaluationPeriods: 3,
      alarmDescription: 'P99 latency above 2s \r\nRunbook: https://wiki.acme.io/latency \r\nSeverity: SEV2',
    });
    alarm.addAlarmAction(new cwActions.SnsAction(routing.pageTopic));
    app.synth();
    expect(errorsOf(app)).toEqual([]);
  });

  test('an unresolved-token description is a "cannot verify" warning, never a silent pass', () => {
    const app = appWithPolicy();
    new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Imported', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription') });
    app.synth();
    const findings = policyFindings(app);
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.find((f) => f.ruleId === 'IncidentReadiness-AlarmSeverity[CannotVerify]')).toMatchObject({ level: 'warning', text: expect.stringMatching(/cannot verify/) });
  });

  describe('a page (routed to the page topic) whose description is an unresolved token', () => {
    function tokenPage(acknowledged: string[] = []) {
      const app = appWithPolicy();
      const stack = new Stack(app, 'Svc');
      const routing = new AlertRouting(stack, 'Routing');
      const alarm = new cloudwatch.CfnAlarm(stack, 'Imported', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription'), alarmActions: [routing.pageTopic.topicArn] });
      for (const id of acknowledged) Validations.of(alarm).acknowledge({ id, reason: 'the description is shared' });
      app.synth();
      return policyFindings(app);
    }

    test('is the error PageRunbook[CannotVerify] at the fatal level: a page that cannot be verified is not a warning anyone could silence', () => {
      const findings = tokenPage();
      expect(findings.find((f) => f.ruleId === 'IncidentReadiness-PageRunbook[CannotVerify]')).toMatchObject({
        path: 'Svc/Imported', level: 'error', severity: 'fatal',
        text: expect.stringMatching(/is a page \(its actions reach a page topic\) and its AlarmDescription is not a literal.*cannot be verified/),
      });
    });

    test('acknowledging AlarmSeverity[CannotVerify] does not hide it, and its own acknowledgement is refused (every form, generic ids included)', () => {
      for (const id of ['IncidentReadiness-PageRunbook[CannotVerify]', 'Annotation::IncidentReadiness-PageRunbook[CannotVerify', 'IncidentReadiness-PageRunbook',
        'IncidentReadiness::IncidentReadiness-PageRunbook[CannotVerify]', 'Annotation::warning-annotation', 'Annotation::error-annotation']) {
        const findings = tokenPage(['IncidentReadiness-AlarmSeverity[CannotVerify]', id]);
        expect(findings.map((f) => f.ruleId)).not.toContain('IncidentReadiness-AlarmSeverity[CannotVerify]');
        const f = findings.find((x) => x.ruleId === 'IncidentReadiness-PageRunbook[CannotVerify]');
        expect({ id, severity: f?.severity }).toEqual({ id, severity: 'fatal' });
        if (id.includes('PageRunbook')) {
          expect(f!.text).toMatch(/acknowledgement of .*PageRunbook.* on Svc\/Imported was refused: this rule can never be acknowledged; reason given: "the description is shared"/);
        }
      }
    });
  });

  test('alarms in nested stacks are checked', () => {
    const app = appWithPolicy();
    const inner = new NestedStack(new Stack(app, 'Svc'), 'Inner');
    new cloudwatch.CfnAlarm(inner, 'Sev2', { ...metricProps, alarmDescription: 'Severity: SEV2' });
    app.synth();
    expect(errorsOf(app)).toContain('Svc/Inner/Sev2 IncidentReadiness-PageRunbook');
  });

  test('alarms from CfnInclude templates are checked, page topics found by their route tag', () => {
    const app = appWithPolicy();
    new CfnInclude(new Stack(app, 'Legacy'), 'Template', { templateFile: path.join(GATE_FIXTURES, 'included-template.json') });
    app.synth();
    expect(errorsOf(app)).toEqual(['Legacy/Template/LegacyQueueAlarm IncidentReadiness-AlarmSeverity', 'Legacy/Template/LegacyQueueAlarm IncidentReadiness-PageRunbook']);
  });

  test('property overrides and raw CfnResource alarms (third-party constructs) are read as the template will have them', () => {
    const app = appWithPolicy();
    const stack = new Stack(app, 'Svc');
    const overridden = new cloudwatch.CfnAlarm(stack, 'Overridden', { ...metricProps, alarmDescription: 'Severity: SEV4\nOwner: x', treatMissingData: 'breaching' });
    overridden.addPropertyOverride('AlarmDescription', 'Severity: SEV1\nOwner: x');
    new CfnResource(stack, 'ThirdParty', {
      type: 'AWS::CloudWatch::Alarm',
      properties: { EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold', Threshold: 1, MetricName: 'Errors', Namespace: 'Acme', Period: 60, Statistic: 'Sum', AlarmDescription: 'Severity: SEV2\nOwner: x', TreatMissingData: 'breaching' },
    });
    app.synth();
    expect(errorsOf(app)).toEqual([
      'Svc/Overridden IncidentReadiness-PageRunbook', 'Svc/Overridden IncidentReadiness-PageAction',
      'Svc/ThirdParty IncidentReadiness-PageRunbook', 'Svc/ThirdParty IncidentReadiness-PageAction',
    ]);
  });

  test('a linked runbook file that fails lint is an error (RunbookExists)', () => {
    const app = appWithPolicy();
    new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev3', { ...metricProps, alarmDescription: 'Severity: SEV3\nRunbook: https://github.com/acme/ops/blob/main/runbooks/broken.md\nOwner: x' });
    app.synth();
    expect(errorsOf(app)).toEqual(['Svc/Sev3 IncidentReadiness-RunbookExists']);
  });

  test('alarms inside a Stage (where App Aspects never go) are reported too, with the path in the description', () => {
    const app = newApp({ throwing: true });
    RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES });
    const stack = new Stack(new Stage(app, 'Prod'), 'Svc');
    new cloudwatch.CfnAlarm(stack, 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1' });
    // In-process (jest: NODE_ENV=test), a failing validation report makes synth throw.
    expect(() => app.synth()).toThrow(/Prod\/Svc\/Sev1[^\n]*is a page \(SEV1\) and has no runbook URL[\s\S]*IncidentReadiness-PageRunbook/);
  });

  describe('acknowledgements', () => {
    function sev1(ack?: { id: string; reason: string }, on: 'alarm' | 'stack' = 'alarm') {
      const app = appWithPolicy();
      const stack = new Stack(app, 'Svc');
      const alarm = new cloudwatch.CfnAlarm(stack, 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1\nRunbook: https://wiki.acme.io/x\nFirst move: x\nOwner: y', alarmActions: ['arn:aws:sns:eu-west-1:111111111111:pager'], okActions: ['arn:aws:sns:eu-west-1:111111111111:pager'] });
      if (ack) Validations.of(on === 'alarm' ? alarm : stack).acknowledge(ack);
      app.synth();
      return policyFindings(app);
    }

    test('a warning is silenced by an acknowledgement with a reason', () => {
      expect(sev1().map((f) => f.ruleId)).toEqual(['IncidentReadiness-PageSpike', 'IncidentReadiness-MissingData']);
      expect(sev1({ id: 'IncidentReadiness-PageSpike', reason: 'one failed batch is an emergency' }).map((f) => f.ruleId)).toEqual(['IncidentReadiness-MissingData']);
    });

    test('a granular warning is silenced by its id as written and as the CDK CLI prints it (without the closing bracket)', () => {
      const tokenAlarm = (id?: string) => {
        const app = appWithPolicy();
        const alarm = new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Imported', { ...metricProps, alarmDescription: Fn.importValue('SharedDescription'), treatMissingData: 'breaching' });
        if (id) Validations.of(alarm).acknowledge({ id, reason: 'the description is shared' });
        app.synth();
        return policyFindings(app).map((f) => f.ruleId);
      };
      const granular = 'IncidentReadiness-AlarmSeverity[CannotVerify]';
      expect(tokenAlarm()).toContain(granular);
      expect(tokenAlarm('IncidentReadiness-AlarmSeverity[CannotVerify]')).not.toContain(granular);
      expect(tokenAlarm('Annotation::IncidentReadiness-AlarmSeverity[CannotVerify')).not.toContain(granular);
      // The id the CDK CLI prints today after "Acknowledge with", namespace and all.
      expect(tokenAlarm('IncidentReadiness::IncidentReadiness-AlarmSeverity[CannotVerify]')).not.toContain(granular);
    });

    test('an error is silenced by an acknowledgement on an enclosing stack', () => {
      const app = appWithPolicy();
      const stack = new Stack(app, 'Svc');
      new cloudwatch.Alarm(stack, 'Raw', { metric, threshold: 1, evaluationPeriods: 3 });
      Validations.of(stack).acknowledge({ id: 'IncidentReadiness-AlarmSeverity', reason: 'legacy stack, alarms being replaced in Q1' });
      app.synth();
      expect(errorsOf(app)).toEqual([]);
    });

    test('an acknowledgement on the app or on a Stage (above every stack) covers the alarms below it', () => {
      for (const on of ['app', 'stage'] as const) {
        const app = appWithPolicy();
        const stage = new Stage(app, 'Prod');
        new cloudwatch.Alarm(new Stack(stage, 'Svc'), 'Raw', { metric, threshold: 1, evaluationPeriods: 3, alarmDescription: 'Severity: SEV4\nOwner: x' });
        Validations.of(on === 'app' ? app : stage).acknowledge({ id: 'IncidentReadiness-MissingData', reason: 'metrics of this stage are sparse by design' });
        expect({ on, rules: policyFindings(app).map((f) => f.ruleId) }).toEqual({ on, rules: [] });
      }
    });

    test('IncidentReadiness-PageRunbook cannot be acknowledged; the refusal is reported', () => {
      const app = appWithPolicy();
      const alarm = new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Sev1', { ...metricProps, alarmDescription: 'Severity: SEV1', alarmActions: ['arn:aws:sns:eu-west-1:111111111111:pager'] });
      Validations.of(alarm).acknowledge({ id: 'IncidentReadiness-PageRunbook', reason: 'we know' });
      app.synth();
      const [f] = policyFindings(app).filter((x) => x.ruleId === 'IncidentReadiness-PageRunbook');
      expect(f.level).toBe('error');
      expect(f.text).toMatch(/acknowledgement of IncidentReadiness-PageRunbook on Svc\/Sev1 was refused.*reason given: "we know"/);
    });
  });

  test('in-process app.synth() throws with the report on an error finding (CDK\'s default under jest), not on warnings', () => {
    const build = (description: string, treatMissingData?: string) => {
      const app = newApp({ throwing: true });
      RunbookPolicy.applyTo(app);
      new cloudwatch.CfnAlarm(new Stack(app, 'Svc'), 'Alarm', { ...metricProps, alarmDescription: description, treatMissingData });
      return app;
    };
    expect(() => build('Severity: SEV1').synth()).toThrow(/IncidentReadiness-PageRunbook/);
    // A warning (MissingData) is printed and does not throw; a clean SEV4 prints nothing.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => build('Severity: SEV4\nOwner: x').synth()).not.toThrow();
      expect(printed.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/^WARNING Svc\/Alarm: alarm "Alarm" does not set TreatMissingData/);
      printed.mockClear();
      expect(() => build('Severity: SEV4\nOwner: x', 'notBreaching').synth()).not.toThrow();
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});
