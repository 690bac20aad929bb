// The synth gate follows an alarm action to a page topic in every form CloudFormation resolves:
// Fn::Sub and Fn::Join built ARNs, a hand-written ARN of a page topic the app names, Fn::If
// branches (of an item or of the whole list), a parameter's default, nested stacks, Stages,
// composite alarms and alarm types written in another case. Each form is tried against the page
// topic (a page: PageRunbook) and against the notify topic (not a page), so no test passes by
// treating everything as a page.
import { CfnCondition, CfnMapping, CfnParameter, Fn, NestedStack, Stack, Stage, Tags, Token } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertRouting, RunbookPolicy } from '../../lib';
import { readCloudAssembly } from '../../lib/assembly/reader';
import { GATE_FIXTURES, metricProps, newApp, policyFindings } from '../support/gate';

const SEV4 = 'Severity: SEV4\nOwner: payments';
const ENV = { account: '111111111111', region: 'eu-west-1' };

type Form = (stack: Stack, topic: sns.ITopic, name: string) => unknown;

/** One alarm per form and target; returns `<alarm> <rule>` for every PageRunbook finding. */
function pageRunbookFindings(build: (app: ReturnType<typeof newApp>) => void): string[] {
  const app = newApp();
  RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES });
  build(app);
  app.synth();
  return policyFindings(app).filter((f) => f.ruleId.startsWith('IncidentReadiness-PageRunbook')).map((f) => `${f.path} ${f.severity}`).sort();
}

const alarm = (scope: Stack, id: string, actions: unknown) =>
  new cloudwatch.CfnAlarm(scope, id, { ...metricProps, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching', alarmDescription: SEV4, alarmActions: actions as string[] });

const FORMS: Record<string, Form> = {
  'Fn::Sub of the topic': (_s, t) => [Fn.sub('${T}', { T: t.topicArn })],
  'Fn::Sub of pseudo parameters and the topic name': (_s, _t, name) => [Fn.sub(`arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${name}`)],
  'Fn::Join of pseudo parameters and the topic name': (s, _t, name) => [Fn.join(':', ['arn', Stack.of(s).partition, 'sns', Stack.of(s).region, Stack.of(s).account, name])],
  'Fn::Join around a reference': (_s, t) => [Fn.join('', [t.topicArn])],
  'a literal ARN of the named topic': (_s, _t, name) => [`arn:aws:sns:eu-west-1:111111111111:${name}`],
  'Fn::If choosing the topic as an item': (s, t) => {
    new CfnCondition(s, `IsProd${t.node.id}`, { expression: Fn.conditionEquals('prod', 'prod') });
    return [Token.asString(Fn.conditionIf(`IsProd${t.node.id}`, t.topicArn, Fn.ref('AWS::NoValue')))];
  },
  'Fn::Select of a list holding the topic': (_s, t) => [Fn.select(0, [t.topicArn])],
  'a parameter whose default is the topic ARN': (s, t, name) => [new CfnParameter(s, `Target${t.node.id}`, { type: 'String', default: `arn:aws:sns:eu-west-1:111111111111:${name}` }).valueAsString],
  'a parameter that allows the topic ARN (its default another)': (s, t, name) => [new CfnParameter(s, `Allowed${t.node.id}`, {
    type: 'String', default: 'arn:aws:sns:eu-west-1:111111111111:acme-chat', allowedValues: ['arn:aws:sns:eu-west-1:111111111111:acme-chat', `arn:aws:sns:eu-west-1:111111111111:${name}`],
  }).valueAsString],
  'Fn::FindInMap of a mapping holding the topic ARN': (s, t, name) => {
    new CfnMapping(s, `Topics${t.node.id}`, { mapping: { prod: { arn: `arn:aws:sns:eu-west-1:111111111111:${name}` }, dev: { arn: 'arn:aws:sns:eu-west-1:111111111111:acme-chat' } } });
    return [Fn.findInMap(`Topics${t.node.id}`, Fn.ref('Env'), 'arn')];
  },
};

describe('alarm actions that reach a page topic, in every form CloudFormation resolves', () => {
  test.each(Object.keys(FORMS))('%s: a page on the page topic, not one on the notify topic', (form) => {
    const found = pageRunbookFindings((app) => {
      const stack = new Stack(app, 'Svc', { env: ENV });
      new CfnParameter(stack, 'Env', { type: 'String', default: 'dev' });
      const routing = new AlertRouting(stack, 'Routing', {
        pageTopic: new sns.Topic(stack, 'Pager', { topicName: 'acme-pager' }),
        notifyTopic: new sns.Topic(stack, 'Chat', { topicName: 'acme-chat' }),
      });
      alarm(stack, 'ToPage', FORMS[form](stack, routing.pageTopic, 'acme-pager'));
      alarm(stack, 'ToChat', FORMS[form](stack, routing.notifyTopic, 'acme-chat'));
    });
    expect(found).toEqual(['Svc/ToPage fatal']);
  });

  test('Fn::If choosing the whole action list (set with addPropertyOverride) may choose the page topic: a page', () => {
    const found = pageRunbookFindings((app) => {
      const stack = new Stack(app, 'Svc');
      const routing = new AlertRouting(stack, 'Routing');
      new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('prod', 'prod') });
      alarm(stack, 'ToPage', undefined).addPropertyOverride('AlarmActions', Fn.conditionIf('IsProd', [routing.pageTopic.topicArn], []));
      alarm(stack, 'ToChat', undefined).addPropertyOverride('AlarmActions', Fn.conditionIf('IsProd', [routing.notifyTopic.topicArn], []));
    });
    expect(found).toEqual(['Svc/ToPage fatal']);
  });

  test('an alarm type written in lower case (a type override) is judged, and so is a composite alarm through Fn::Sub', () => {
    const found = pageRunbookFindings((app) => {
      const stack = new Stack(app, 'Svc');
      const routing = new AlertRouting(stack, 'Routing');
      alarm(stack, 'Lower', [routing.pageTopic.topicArn]).addOverride('Type', 'aws::cloudwatch::alarm');
      new cloudwatch.CfnCompositeAlarm(stack, 'Composite', { alarmRule: 'ALARM(x)', alarmDescription: SEV4, alarmActions: [Fn.sub('${T}', { T: routing.pageTopic.topicArn })] });
    });
    expect(found).toEqual(['Svc/Composite fatal', 'Svc/Lower fatal']);
  });

  test('in a nested stack (page topic in the parent, through Fn::Sub) and in two Stages', () => {
    const found = pageRunbookFindings((app) => {
      const parent = new Stack(app, 'Parent');
      const routing = new AlertRouting(parent, 'Routing');
      alarm(new NestedStack(parent, 'Child') as unknown as Stack, 'Nested', [Fn.sub('arn-of-${T}', { T: routing.pageTopic.topicArn })]);
      for (const stage of ['Beta', 'Gamma']) {
        const stack = new Stack(new Stage(app, stage), 'Svc');
        alarm(stack, 'Staged', [Fn.sub('${T}', { T: new AlertRouting(stack, 'Routing').pageTopic.topicArn })]);
      }
    });
    expect(found).toEqual(['Beta/Svc/Staged fatal', 'Gamma/Svc/Staged fatal', 'Parent/Child/Nested fatal']);
  });

  test('a page topic in a nested stack, reached from a sibling nested stack, from the parent and from another stack (nested outputs)', () => {
    const found = pageRunbookFindings((app) => {
      const parent = new Stack(app, 'Parent');
      const topics = new NestedStack(parent, 'Topics');
      const routing = new AlertRouting(topics, 'Routing');
      alarm(new NestedStack(parent, 'Alarms') as unknown as Stack, 'Sibling', [routing.pageTopic.topicArn]);
      alarm(parent, 'InParent', [routing.pageTopic.topicArn]);
      alarm(new Stack(app, 'Other'), 'CrossStack', [routing.pageTopic.topicArn]);
      alarm(parent, 'ToNotify', [routing.notifyTopic.topicArn]);
    });
    expect(found).toEqual(['Other/CrossStack fatal', 'Parent/Alarms/Sibling fatal', 'Parent/InParent fatal']);
  });

  test('an imported page topic (by literal ARN) is known to the assembly itself, so lint --assembly judges as synth does', () => {
    const app = newApp();
    RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES });
    const stack = new Stack(app, 'Svc');
    const pager = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:eu-west-1:222222222222:central-pager');
    new AlertRouting(stack, 'Routing', { pageTopic: pager });
    alarm(stack, 'ToImported', ['arn:aws:sns:eu-west-1:222222222222:central-pager']);
    alarm(stack, 'ToOther', ['arn:aws:sns:eu-west-1:222222222222:central-chat']);
    app.synth();
    expect(policyFindings(app).filter((f) => f.ruleId === 'IncidentReadiness-PageRunbook').map((f) => f.path)).toEqual(['Svc/ToImported']);
    const read = readCloudAssembly(app.outdir);
    expect(read.alarms.filter((a) => a.reachesPageTopic).map((a) => a.logicalId)).toEqual(['ToImported']);
  });

  test('a topic tagged as the page route by hand, in another case, is a page topic', () => {
    const found = pageRunbookFindings((app) => {
      const stack = new Stack(app, 'Svc');
      const tagged = new sns.Topic(stack, 'Tagged');
      Tags.of(tagged).add('runbookalarms:route', 'PAGE');
      const other = new sns.Topic(stack, 'Other');
      Tags.of(other).add('runbookalarms:route', 'notify');
      alarm(stack, 'ToTagged', [tagged.topicArn]);
      alarm(stack, 'ToOther', [other.topicArn]);
    });
    expect(found).toEqual(['Svc/ToTagged fatal']);
  });

  test('insufficient-data actions on the page topic page someone too; OK actions alone do not', () => {
    const found = pageRunbookFindings((app) => {
      const stack = new Stack(app, 'Svc');
      const routing = new AlertRouting(stack, 'Routing');
      alarm(stack, 'NoData', [routing.notifyTopic.topicArn]).insufficientDataActions = [routing.pageTopic.topicArn];
      alarm(stack, 'Recovery', [routing.notifyTopic.topicArn]).okActions = [routing.pageTopic.topicArn];
    });
    expect(found).toEqual(['Svc/NoData fatal']);
  });

  test('an Incident Manager response plan (SsmIncidentAction) engages on-call contacts: a page; an OpsItem (SsmAction) is not', () => {
    const app = newApp();
    RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES });
    const stack = new Stack(app, 'Svc');
    const engaging = new cloudwatch.Alarm(stack, 'Engaging', { metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 3, alarmDescription: SEV4 });
    engaging.addAlarmAction(new cwActions.SsmIncidentAction('critical-outage'));
    const ticket = new cloudwatch.Alarm(stack, 'Ticket', { metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 3, alarmDescription: SEV4 });
    ticket.addAlarmAction(new cwActions.SsmAction(cwActions.OpsItemSeverity.LOW));
    app.synth();
    const found = policyFindings(app).filter((f) => f.ruleId === 'IncidentReadiness-PageRunbook');
    expect(found.map((f) => f.path)).toEqual(['Svc/Engaging/Resource']);
    expect(found[0].text).toMatch(/is a page \(its actions engage an Incident Manager response plan\) and has no runbook URL/);
  });
});
