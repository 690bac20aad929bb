// The engine fails closed: an error while judging one alarm is a fatal finding naming the resource,
// the file and the error, and the other alarms are still judged (the engine as a validation plugin:
// test/checks/engine.test.ts).
import { judgeAlarms } from '../../lib/assembly/judge';
import { readTemplates } from '../../lib/assembly/reader';
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
