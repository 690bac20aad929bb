// The engine fails closed: an error while judging one alarm is a fatal finding naming the resource,
// the file and the error (the other alarms are still judged), and an error that stops the engine
// is one fatal violation, never the plugin failure the `cdk` CLI turns into a silent success.
import { App } from 'aws-cdk-lib';
import { judgeAlarms } from '../../lib/assembly/judge';
import { readTemplates } from '../../lib/assembly/reader';
import { engineReport } from '../../lib/checks/engine';
import { FindingLevel } from '../../lib/core/finding';

const alarm = (description: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { AlarmDescription: description, AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:chat'], TreatMissingData: 'notBreaching' },
});

test('an error while judging one alarm is a fatal CannotJudge naming it; the others are judged', () => {
  const read = readTemplates([{ stack: 'Svc', template: { Resources: { Broken: alarm('Severity: SEV4\nOwner: a'), Sev1: alarm('Severity: SEV1\nOwner: a') } } }]);
  const alarms = read.alarms.map((a) => (a.logicalId === 'Broken' ? { ...a, isPageTopic: () => { throw new TypeError('boom'); } } : a));
  const judged = judgeAlarms(alarms, { projectRoot: '.' });
  const broken = judged.filter((j) => j.alarm?.logicalId === 'Broken');
  expect(broken.map((j) => [j.finding.ruleId, j.finding.level, j.acknowledgeable])).toEqual([['IncidentReadiness-CannotJudge', FindingLevel.ERROR, false]]);
  expect(broken[0].finding.message).toBe('could not be judged (Svc.template.json, resource Broken): boom');
  expect(judged.filter((j) => j.alarm?.logicalId === 'Sev1').map((j) => j.finding.ruleId)).toContain('IncidentReadiness-PageRunbook');
});

test('an error that stops the engine is one fatal violation that the CLI prints whatever it selected, not a plugin failure', () => {
  const app = new App();
  const report = engineReport({ templatePaths: [`${app.outdir}/Svc.template.json`], appConstruct: app } as never);
  expect(report.success).toBe(false);
  expect(report.violations).toEqual([expect.objectContaining({
    ruleName: 'IncidentReadiness-CannotJudge',
    severity: 'fatal',
    description: expect.stringMatching(/^the synth gate could not judge the app in .*: AssemblyReadError: .* is not a cloud assembly/),
    violatingResources: [{ locations: [] }],
  })]);
});
