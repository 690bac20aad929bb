// The evaluator of CloudFormation values over hand-written templates: every route to a page the
// third review found, each tried against the page topic (a page) and the notify topic (not one),
// and descriptions judged for every value they can take. Fast: no CDK, no synth.
import { readTemplates } from '../../lib/assembly/reader';
import { parseTemplate } from '../../lib/assembly/template-file';
import { PAGE_TOPIC_ARN_METADATA, ROUTE_TAG } from '../../lib/core/names';

type Json = Record<string, unknown>;
const ENV = { account: '111111111111', region: 'eu-west-1' };
const PAGER_ARN = 'arn:aws:sns:eu-west-1:111111111111:pager';
const CHAT_ARN = 'arn:aws:sns:eu-west-1:111111111111:chat';

const topics = (): Json => ({
  PageTopic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } },
  NotifyTopic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'chat' } },
});

const alarm = (actions: unknown, extra: Json = {}): Json => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { AlarmDescription: 'Severity: SEV4\nOwner: payments', AlarmActions: actions, ...extra },
});

/** The logical ids of the alarms that reach a paging route. */
function pages(...stacks: Array<{ stack: string; template: Json; account?: string; region?: string }>): string[] {
  const read = readTemplates(stacks);
  expect(read.problems).toEqual([]);
  return read.alarms.filter((a) => a.reachesPageTopic).map((a) => a.logicalId).sort();
}

/** A template with one alarm per action, named by the keys of `actions`. */
function alarms(actions: Record<string, unknown>, rest: Json = {}): Json {
  return {
    ...rest,
    Resources: { ...topics(), ...(rest.Resources as Json), ...Object.fromEntries(Object.entries(actions).map(([id, a]) => [id, alarm([a])])) },
  };
}

describe('page reach: what an action can be, across the whole assembly', () => {
  test('a weak cross-stack reference (Fn::GetStackOutput, cdk init\'s default) to the page topic', () => {
    const producer = { Resources: topics(), Outputs: { PageOut: { Value: { Ref: 'PageTopic' } }, ChatOut: { Value: { Ref: 'NotifyTopic' } } } };
    const weak = (output: string) => ({ 'Fn::GetStackOutput': { StackName: 'Producer', Region: { Ref: 'AWS::Region' }, OutputName: output } });
    expect(pages({ stack: 'Producer', template: producer }, { stack: 'Consumer', template: alarms({ ToPage: weak('PageOut'), ToChat: weak('ChatOut') }) }))
      .toEqual(['ToPage']);
    // A stack named by an expression may be any stack of the app.
    const unknownStack = { 'Fn::GetStackOutput': { StackName: { Ref: 'Producer' }, OutputName: 'PageOut' } };
    expect(pages({ stack: 'Producer', template: producer }, { stack: 'Consumer', template: alarms({ Unknown: unknownStack }, { Parameters: { Producer: { Type: 'String' } } }) }))
      .toEqual(['Unknown']);
  });

  test('an SSM parameter the app writes: a parameter of SSM type, a dynamic reference (with a version, built with Fn::Join), an attribute', () => {
    const producer = {
      Resources: {
        ...topics(),
        PagerParam: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/acme/pager', Type: 'String', Value: { Ref: 'PageTopic' } } },
        ChatParam: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/acme/chat', Type: 'String', Value: { Ref: 'NotifyTopic' } } },
        Unnamed: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'PageTopic' } } },
      },
      Outputs: { UnnamedName: { Value: { Ref: 'Unnamed' } } },
    };
    const consumer = alarms({
      SsmType: { Ref: 'PagerValue' },
      SsmTypeChat: { Ref: 'ChatValue' },
      Dynamic: '{{resolve:ssm:/acme/pager}}',
      DynamicVersion: '{{resolve:ssm:/acme/pager:3}}',
      DynamicJoined: { 'Fn::Join': ['', ['{{resolve:ssm:', '/acme/', 'pager}}']] },
      DynamicChat: '{{resolve:ssm:/acme/chat}}',
      // valueForStringParameter with a name from another stack (a weak reference to a generated name).
      Generated: { Ref: 'GeneratedValue' },
    }, {
      Parameters: {
        PagerValue: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/acme/pager' },
        ChatValue: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/acme/chat' },
        GeneratedValue: { Type: 'AWS::SSM::Parameter::Value<String>', Default: { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'UnnamedName' } } },
      },
    });
    expect(pages({ stack: 'Producer', template: producer }, { stack: 'Consumer', template: consumer }))
      .toEqual(['Dynamic', 'DynamicJoined', 'DynamicVersion', 'Generated', 'SsmType']);
  });

  test('a strong cross-region reference (the SSM parameter CDK\'s export writer writes, read by its export reader)', () => {
    const writer = { Resources: { ...topics(), Writer: { Type: 'Custom::CrossRegionExportWriter', Properties: { WriterProps: { region: 'us-east-1', exports: {
      '/cdk/exports/Consumer/pager': { Ref: 'PageTopic' }, '/cdk/exports/Consumer/chat': { Ref: 'NotifyTopic' },
    } } } } } };
    const reader = alarms({
      ToPage: { 'Fn::GetAtt': ['Reader', '/cdk/exports/Consumer/pager'] },
      ToChat: { 'Fn::GetAtt': ['Reader', '/cdk/exports/Consumer/chat'] },
    }, { Resources: { Reader: { Type: 'Custom::CrossRegionExportReader', Properties: { ReaderProps: {} } } } });
    expect(pages({ stack: 'Producer', template: writer }, { stack: 'Consumer', template: reader })).toEqual(['ToPage']);
  });

  test('an imported page topic registered by an ARN built from region and account tokens, by an import, by an SSM parameter', () => {
    const registry = {
      Metadata: {
        [PAGE_TOPIC_ARN_METADATA]: [
          { 'Fn::Join': ['', ['arn:aws:sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':pager']] },
          { 'Fn::ImportValue': 'other-app-pager' },
          { Ref: 'OtherPager' },
        ],
      },
      Parameters: { OtherPager: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/other/pager' } },
      Resources: {},
    };
    const consumer = alarms({
      Literal: PAGER_ARN,
      LiteralOtherRegion: 'arn:aws:sns:us-east-1:222222222222:pager',
      LiteralChat: CHAT_ARN,
      Sub: { 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:pager' },
      Imported: { 'Fn::ImportValue': 'other-app-pager' },
      ImportedChat: { 'Fn::ImportValue': 'other-app-chat' },
      Ssm: '{{resolve:ssm:/other/pager}}',
      SsmChat: '{{resolve:ssm:/other/chat}}',
    });
    // The registry's stack has a region and an account: the same name elsewhere is another topic.
    expect(pages({ stack: 'Registry', template: registry, ...ENV }, { stack: 'Consumer', template: consumer }))
      .toEqual(['Imported', 'Literal', 'Ssm', 'Sub']);
  });

  test('a list parameter or Fn::Split holding the ARN: the item chosen, or any item when the index is not known', () => {
    const template = alarms({
      FirstOfList: { 'Fn::Select': [0, { Ref: 'Targets' }] },
      SecondOfList: { 'Fn::Select': [1, { Ref: 'Targets' }] },
      AnyOfList: { 'Fn::Select': [{ Ref: 'Index' }, { Ref: 'Targets' }] },
      SplitPage: { 'Fn::Select': [1, { 'Fn::Split': [',', `${CHAT_ARN},${PAGER_ARN}`] }] },
      SplitChat: { 'Fn::Select': [0, { 'Fn::Split': [',', `${CHAT_ARN},${PAGER_ARN}`] }] },
      SplitJoined: { 'Fn::Select': [1, { 'Fn::Split': ['|', { 'Fn::Join': ['|', [{ Ref: 'NotifyTopic' }, { Ref: 'PageTopic' }]] }] }] },
      WholeList: { 'Fn::Join': [',', { Ref: 'Targets' }] },
    }, {
      Parameters: {
        Targets: { Type: 'CommaDelimitedList', Default: `${PAGER_ARN},${CHAT_ARN}`, AllowedValues: [`${PAGER_ARN},${CHAT_ARN}`] },
        Index: { Type: 'Number', Default: 1 },
      },
      Resources: { Pager: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'pager', Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } } },
    });
    expect(pages({ stack: 'Svc', template })).toEqual(['AnyOfList', 'FirstOfList', 'SplitJoined', 'SplitPage', 'WholeList']);
  });

  test('Fn::Sub naming a nested stack\'s output, Fn::If, Fn::FindInMap with a key not known', () => {
    const read = readTemplates([{
      stack: 'Parent',
      template: alarms({
        SubOfNested: { 'Fn::Sub': '${Child.Outputs.PagerArn}' },
        SubOfNestedChat: { 'Fn::Sub': '${Child.Outputs.ChatArn}' },
        IfEither: { 'Fn::If': ['IsProd', { Ref: 'NotifyTopic' }, { Ref: 'PageTopic' }] },
        MapAnyKey: { 'Fn::FindInMap': ['Routes', { Ref: 'AWS::Region' }, 'arn'] },
        MapChatKey: { 'Fn::FindInMap': ['Routes', 'dev', 'arn'] },
      }, {
        Mappings: { Routes: { prod: { arn: { Ref: 'PageTopic' } }, dev: { arn: { Ref: 'NotifyTopic' } } } },
        Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { Page: { Ref: 'PageTopic' }, Chat: { Ref: 'NotifyTopic' } } } } },
      }),
    }]);
    // The nested template, wired the way the reader wires one it found in the assembly.
    expect(read.alarms.filter((a) => a.reachesPageTopic).map((a) => a.logicalId).sort()).toEqual(['IfEither', 'MapAnyKey']);
  });

  test('taint flows through any function, modelled or not; a notify topic through the same stays clean', () => {
    const template = alarms({
      Base64: { 'Fn::Base64': { Ref: 'PageTopic' } },
      Unknown: { 'Fn::FutureFunction': [{ nested: [{ 'Fn::GetAtt': ['PageTopic', 'TopicName'] }] }] },
      UnknownChat: { 'Fn::FutureFunction': [{ nested: [{ 'Fn::GetAtt': ['NotifyTopic', 'TopicName'] }] }] },
      Json: { 'Fn::ToJsonString': { topics: [{ Ref: 'PageTopic' }] } },
      Select: { 'Fn::Select': [0, [{ 'Fn::Join': ['', [{ Ref: 'PageTopic' }]] }]] },
    });
    expect(pages({ stack: 'Svc', template })).toEqual(['Base64', 'Json', 'Select', 'Unknown']);
  });

  test('an escalation contact\'s own pager topic (registered by the routing) is a paging route, by ARN or by the topic that has its name', () => {
    const template = alarms({
      Contact: 'arn:aws:sns:eu-west-1:123456789012:primary-pager',
      ContactTopic: { Ref: 'PrimaryPager' },
      Other: 'arn:aws:sns:eu-west-1:123456789012:primary-chat',
    }, {
      Metadata: { [PAGE_TOPIC_ARN_METADATA]: ['arn:aws:sns:eu-west-1:123456789012:primary-pager'] },
      Resources: { PrimaryPager: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'primary-pager' } } },
    });
    expect(pages({ stack: 'Svc', template, region: 'eu-west-1', account: '123456789012' })).toEqual(['Contact', 'ContactTopic']);
  });
});

describe('an EventBridge rule on "CloudWatch Alarm State Change" that targets a paging route', () => {
  const rule = (pattern: unknown, target: unknown = { Ref: 'PageTopic' }): Json => ({
    Type: 'AWS::Events::Rule', Properties: { EventPattern: pattern, Targets: [{ Id: 't', Arn: target }] },
  });
  const template = (rules: Json): Json => ({
    Resources: {
      ...topics(),
      Named: alarm([], { AlarmName: 'checkout-latency' }),
      Other: alarm([], { AlarmName: 'search-latency' }),
      Generated: alarm([]),
      ...rules,
    },
  });
  const paged = (rules: Json) => readTemplates([{ stack: 'Svc', template: template(rules) }]).alarms.filter((a) => a.pageRule).map((a) => a.logicalId).sort();

  test.each([
    ['every alarm', { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }, ['Generated', 'Named', 'Other']],
    ['one alarm by name', { source: ['aws.cloudwatch'], detail: { alarmName: ['checkout-latency'] } }, ['Named']],
    ['one alarm by its Ref', { 'detail-type': ['CloudWatch Alarm State Change'], detail: { alarmName: [{ Ref: 'Generated' }] } }, ['Generated']],
    ['one alarm by ARN', { resources: ['arn:aws:cloudwatch:eu-west-1:111111111111:alarm:search-latency'] }, ['Other']],
    ['alarms by a name prefix', { detail: { alarmName: [{ prefix: 'checkout-' }] } }, ['Generated', 'Named']],
    ['a pattern written as a JSON string', JSON.stringify({ source: ['aws.cloudwatch'], detail: { alarmName: ['search-latency'] } }), ['Other']],
    ['any event (no filter)', {}, ['Generated', 'Named', 'Other']],
    ['another source', { source: ['aws.ec2'] }, []],
    ['another event type', { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm Configuration Change'] }, []],
  ])('%s', (_what, pattern, expected) => {
    expect(paged({ Rule: rule(pattern) })).toEqual(expected);
  });

  test('a rule whose targets reach no paging route, or that is disabled, makes no page', () => {
    expect(paged({ Rule: rule({}, { Ref: 'NotifyTopic' }) })).toEqual([]);
    expect(paged({ Rule: { ...rule({}), Properties: { ...(rule({}).Properties as Json), State: 'DISABLED' } } })).toEqual([]);
  });
});

describe('descriptions: every value they can take', () => {
  const descriptions = (description: unknown, rest: Json = {}) => {
    const [a] = readTemplates([{ stack: 'Svc', template: { ...rest, Resources: { ...(rest.Resources as Json), A: alarm([], { AlarmDescription: description }) } } }]).alarms;
    return a.descriptions;
  };

  test('Fn::Sub with literal variables, and a variable the evaluator resolves, is a literal description', () => {
    expect(descriptions({ 'Fn::Sub': ['${Sev}: checkout is down\nRunbook: ${Base}/runbooks/x.md', { Sev: 'SEV1', Base: 'https://github.com/acme/ops/blob/main' }] }))
      .toEqual([{ text: 'SEV1: checkout is down\nRunbook: https://github.com/acme/ops/blob/main/runbooks/x.md', partial: false }]);
  });

  test('Fn::FindInMap and Fn::Select choosing among literal descriptions give each of them; Fn::If both branches and AWS::NoValue', () => {
    const rest = { Mappings: { Text: { prod: { d: 'Severity: SEV1' }, dev: { d: 'Severity: SEV3' } } }, Parameters: { Env: { Type: 'String', Default: 'dev' } } };
    expect(descriptions({ 'Fn::FindInMap': ['Text', { Ref: 'Env' }, 'd'] }, rest).map((d) => d.text).sort()).toEqual(['Severity: SEV1', 'Severity: SEV3']);
    expect(descriptions({ 'Fn::Select': [{ Ref: 'Env' }, ['Severity: SEV4', 'Severity: SEV2']] }, rest).map((d) => d.text)).toEqual(['Severity: SEV4', 'Severity: SEV2']);
    expect(descriptions({ 'Fn::If': ['C', 'Severity: SEV2', { Ref: 'AWS::NoValue' }] })).toEqual([{ text: 'Severity: SEV2', partial: false }, { partial: false }]);
  });

  test('a parameter: its default and allowed values; a free one also any text', () => {
    const rest = { Parameters: { Listed: { Type: 'String', Default: 'Severity: SEV3', AllowedValues: ['Severity: SEV3', 'Severity: SEV1'] }, Free: { Type: 'String', Default: 'Severity: SEV3' } } };
    expect(descriptions({ Ref: 'Listed' }, rest).map((d) => d.text)).toEqual(['Severity: SEV3', 'Severity: SEV1']);
    expect(descriptions({ Ref: 'Free' }, rest)).toEqual([{ text: 'Severity: SEV3', partial: false }, { text: '{ref}', partial: true }]);
  });

  test('what cannot be known stands as {ref}; too many values become one unknown value', () => {
    expect(descriptions({ 'Fn::Join': ['', ['Severity: SEV2\nQueue ', { 'Fn::GetAtt': ['Q', 'QueueName'] }]] })).toEqual([{ text: 'Severity: SEV2\nQueue {ref}', partial: true }]);
    const many = { 'Fn::Join': ['', Array.from({ length: 8 }, (_, i) => ({ 'Fn::If': ['C', `a${i}`, `b${i}`] }))] };
    expect(descriptions(many)).toEqual([{ text: '{ref}', partial: true }]);
  });
});

describe('templates as CloudFormation reads them', () => {
  test('JSON with a byte-order mark, and YAML with the short forms', () => {
    expect(parseTemplate('\ufeff{"Resources":{}}')).toEqual({ Resources: {} });
    const yaml = parseTemplate('\ufeffResources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [!Ref Pager, !GetAtt Child.Outputs.Arn]\n      AlarmDescription: !Sub\n        - "${S}: down"\n        - { S: SEV1 }\n');
    expect(yaml).toEqual({ Resources: { A: { Type: 'AWS::CloudWatch::Alarm', Properties: {
      AlarmActions: [{ Ref: 'Pager' }, { 'Fn::GetAtt': ['Child', 'Outputs.Arn'] }],
      AlarmDescription: { 'Fn::Sub': ['${S}: down', { S: 'SEV1' }] },
    } } } });
  });

  test('alarms a loop of the AWS::LanguageExtensions transform generates cannot be judged before it runs: a fatal problem', () => {
    const read = readTemplates([{ stack: 'Svc', template: { Resources: { 'Fn::ForEach::Alarms': ['Name', ['a', 'b'], { '${Name}': alarm([]) }] } } }]);
    expect(read.problems).toEqual([expect.objectContaining({ logicalId: 'Fn::ForEach::Alarms', fatal: true, message: expect.stringMatching(/cannot be judged before the transform runs/) })]);
  });

  test('neither JSON nor YAML is an error naming the line', () => {
    expect(() => parseTemplate('Resources:\n  A: [\n')).toThrow(/^neither JSON nor YAML; as YAML \(line 3\): /);
    expect(() => parseTemplate('{"Resources": {]')).toThrow(/^neither JSON nor YAML; as JSON: /);
    expect(() => parseTemplate('- a list')).toThrow(/not a template/);
  });
});
