// A property test of the evaluator: random routing expressions built around the page topic and the
// notify topic (Ref, GetAtt, Sub, Join, If, Select, Split, FindInMap, ImportValue, GetStackOutput,
// SSM parameters and dynamic references, a function the evaluator does not model), judged by the
// evaluator and by a simple interpreter written here, independently: it knows every topic's
// physical ARN, evaluates each expression to every concrete string it can deploy as, and tracks,
// character by character, what came from the page topic.
//   1. sound: whenever some deployment could page, the evaluator says page;
//   2. clean: an expression with no part that pages is never a page;
//   3. exact: without Fn::Split (where cutting a reference is over-approximated), the two agree.
import * as fc from 'fast-check';
import { readTemplates } from '../../lib/assembly/reader';
import { ROUTE_TAG } from '../../lib/core/names';

type Json = Record<string, unknown>;
const PAGER_ARN = 'arn:aws:sns:eu-west-1:111111111111:pager';
const CHAT_ARN = 'arn:aws:sns:eu-west-1:111111111111:chat';
const LOCAL_PAGE_ARN = 'arn:aws:sns:eu-west-1:111111111111:Consumer-LocalPage-1XYZ';
const LOCAL_CHAT_ARN = 'arn:aws:sns:eu-west-1:111111111111:Consumer-LocalChat-2XYZ';

const producer: Json = {
  Resources: {
    PageTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'pager', Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } },
    NotifyTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'chat' } },
    SsmPage: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/p/page', Type: 'String', Value: { Ref: 'PageTopic' } } },
    SsmChat: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/p/chat', Type: 'String', Value: { Ref: 'NotifyTopic' } } },
  },
  Outputs: {
    OutPage: { Value: { Ref: 'PageTopic' }, Export: { Name: 'ExportPage' } },
    OutChat: { Value: { Ref: 'NotifyTopic' }, Export: { Name: 'ExportChat' } },
  },
};

const consumer = (action: unknown): Json => ({
  Parameters: {
    Pick: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] },
    Idx: { Type: 'Number', Default: 0, AllowedValues: [0, 1] },
    SsmPageValue: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/p/page' },
    SsmChatValue: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/p/chat' },
  },
  Mappings: { M: { a: { v: PAGER_ARN }, b: { v: CHAT_ARN } } },
  Resources: {
    LocalPage: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: ROUTE_TAG, Value: 'page' }] } },
    LocalChat: { Type: 'AWS::SNS::Topic' },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmDescription: 'Severity: SEV4', AlarmActions: [action] } },
  },
});

// ---- The independent interpreter: concrete strings with a taint bit per character. ----
interface Str { readonly s: string; readonly t: readonly boolean[] }
type Concrete = Str | Str[];
const str = (s: string, tainted = false): Str => ({ s, t: Array.from(s, () => tainted) });
const cat = (parts: Str[]): Str => ({ s: parts.map((p) => p.s).join(''), t: parts.flatMap((p) => p.t) });
const product = <T>(lists: T[][]): T[][] => lists.reduce<T[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
const asStr = (c: Concrete): Str => (Array.isArray(c) ? cat(c.flatMap((x, i) => (i ? [str(','), x] : [x]))) : c);

const SSM: Record<string, Str> = { '/p/page': str(PAGER_ARN, true), '/p/chat': str(CHAT_ARN) };
const LEAVES: Record<string, Str[]> = {
  'Ref:LocalPage': [str(LOCAL_PAGE_ARN, true)],
  'Ref:LocalChat': [str(LOCAL_CHAT_ARN)],
  'Ref:Pick': [str('a'), str('b')],
  'Ref:Idx': [str('0'), str('1')],
  'Ref:SsmPageValue': [SSM['/p/page']],
  'Ref:SsmChatValue': [SSM['/p/chat']],
};

function concrete(e: unknown): Concrete[] {
  if (typeof e === 'string') return [str(e)];
  if (typeof e === 'number') return [str(String(e))];
  if (Array.isArray(e)) return product(e.map((x) => concrete(x).map(asStr)));
  const [fn, arg] = Object.entries(e as Json)[0] as [string, any];
  switch (fn) {
    case 'Ref':
      return LEAVES[`Ref:${arg}`];
    case 'Fn::GetAtt':
      return LEAVES[`Ref:${arg[0]}`];
    case 'Fn::If':
      return [...concrete(arg[1]), ...concrete(arg[2])];
    case 'Fn::Join':
      return concrete(arg[1]).map((list) => cat((list as Str[]).flatMap((x, i) => (i ? [str(arg[0]), x] : [x]))));
    case 'Fn::Select':
      return concrete(arg[0]).flatMap((i) => concrete(arg[1]).flatMap((list) => {
        const item = (list as Str[])[Number(asStr(i).s)];
        return item ? [item] : [];
      }));
    case 'Fn::Split':
      return concrete(arg[1]).map((v) => {
        const s = asStr(v);
        const out: Str[] = [];
        let start = 0;
        for (let i = s.s.indexOf(arg[0]); i >= 0; i = s.s.indexOf(arg[0], start)) {
          out.push({ s: s.s.slice(start, i), t: s.t.slice(start, i) });
          start = i + arg[0].length;
        }
        out.push({ s: s.s.slice(start), t: s.t.slice(start) });
        return out;
      });
    case 'Fn::Sub': {
      const [body, vars] = arg as [string, Json];
      const names = [...body.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
      return product(names.map((n) => concrete(vars[n]).map(asStr))).map((values) => {
        const pieces = body.split(/\$\{\w+\}/);
        return cat(pieces.flatMap((p, i) => (i < values.length ? [str(p), values[i]] : [str(p)])));
      });
    }
    case 'Fn::FindInMap':
      return concrete(arg[1]).map((k) => (asStr(k).s === 'a' ? str(PAGER_ARN) : str(CHAT_ARN)));
    case 'Fn::ImportValue':
      return [arg === 'ExportPage' ? str(PAGER_ARN, true) : str(CHAT_ARN)];
    case 'Fn::GetStackOutput':
      return [arg.OutputName === 'OutPage' ? str(PAGER_ARN, true) : str(CHAT_ARN)];
    case 'Fn::Base64':
      // A function the evaluator does not model: its text may keep its operand's (a dynamic reference
      // in it is resolved later), and it is the page's when its operand is.
      return concrete(arg).map((v) => {
        const out = cat([str('b64('), asStr(v), str(')')]);
        return strPages(resolveDynamic(asStr(v))) ? str(out.s, true) : out;
      });
    default:
      throw new Error(`the interpreter does not know ${fn}`);
  }
}

/** Dynamic references, resolved in the final value as CloudFormation does. */
function resolveDynamic(v: Str): Str {
  const m = /\{\{resolve:ssm:([^}]*)\}\}/.exec(v.s);
  if (!m || !SSM[m[1]]) return v;
  const before = { s: v.s.slice(0, m.index), t: v.t.slice(0, m.index) };
  const end = m.index + m[0].length;
  return resolveDynamic(cat([before, SSM[m[1]], { s: v.s.slice(end), t: v.t.slice(end) }]));
}

function strPages(v: Str): boolean {
  return v.t.some(Boolean) || v.s.split(/[\s,;]/).includes(PAGER_ARN);
}
function truthPages(expr: unknown): boolean {
  return concrete(expr).some((c) => (Array.isArray(c) ? c.map(resolveDynamic) : [resolveDynamic(c)]).some(strPages));
}

function evaluatorPages(expr: unknown): boolean {
  const read = readTemplates([{ stack: 'Producer', template: producer }, { stack: 'Consumer', template: consumer(expr) }]);
  return read.alarms.find((a) => a.logicalId === 'Alarm')!.reachesPageTopic;
}

// ---- The expressions. ----
const PAGE_LEAVES: unknown[] = [
  { Ref: 'LocalPage' }, { 'Fn::GetAtt': ['LocalPage', 'TopicArn'] }, PAGER_ARN, { Ref: 'SsmPageValue' }, '{{resolve:ssm:/p/page}}',
  { 'Fn::ImportValue': 'ExportPage' }, { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'OutPage' } }, { 'Fn::FindInMap': ['M', { Ref: 'Pick' }, 'v'] },
];
const CLEAN_LEAVES: unknown[] = [
  { Ref: 'LocalChat' }, { 'Fn::GetAtt': ['LocalChat', 'TopicArn'] }, CHAT_ARN, { Ref: 'SsmChatValue' }, '{{resolve:ssm:/p/chat}}',
  { 'Fn::ImportValue': 'ExportChat' }, { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'OutChat' } }, { 'Fn::FindInMap': ['M', 'b', 'v'] },
  'x', 'a,b', ':', { Ref: 'Pick' },
];

function expressions(withSplit: boolean) {
  return fc.letrec<{ e: unknown }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...PAGE_LEAVES, ...CLEAN_LEAVES),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ 'Fn::If': ['C', a, b] })),
      fc.tuple(fc.constantFrom('', ',', ':'), fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([d, items]) => ({ 'Fn::Join': [d, items] })),
      fc.tuple(fc.constantFrom<unknown>(0, 1, { Ref: 'Idx' }), fc.array(tie('e'), { minLength: 2, maxLength: 3 })).map(([i, items]) => ({ 'Fn::Select': [i, items] })),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ 'Fn::Sub': ['${A}/${B}', { A: a, B: b }] })),
      tie('e').map((a) => ({ 'Fn::Base64': a })),
      ...(withSplit ? [fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(',', ':'), tie('e')).map(([i, d, a]) => ({ 'Fn::Select': [i, { 'Fn::Split': [d, a] }] }))] : []),
    ),
  })).e;
}

const containsPageLeaf = (e: unknown): boolean =>
  PAGE_LEAVES.some((l) => JSON.stringify(l) === JSON.stringify(e)) || (e !== null && typeof e === 'object' && Object.values(e as Json).some(containsPageLeaf));

describe('the evaluator against an independent interpreter, on random routing expressions', () => {
  test('sound: whenever some deployment of the expression pages, the evaluator says it is a page', () => {
    fc.assert(fc.property(expressions(true), (e) => !truthPages(e) || evaluatorPages(e)), { numRuns: 300 });
  });

  test('clean: an expression built from the notify topic and plain values only is never a page', () => {
    fc.assert(fc.property(expressions(true).filter((e) => !containsPageLeaf(e)), (e) => !evaluatorPages(e)), { numRuns: 200 });
  });

  test('exact: without Fn::Split, the evaluator and the interpreter agree', () => {
    fc.assert(fc.property(expressions(false), (e) => evaluatorPages(e) === truthPages(e)), { numRuns: 300 });
  });

  test('the cases each property was first written for', () => {
    const cases: Array<[unknown, boolean]> = [
      [{ 'Fn::Select': [1, { 'Fn::Split': [',', { 'Fn::Join': [',', [CHAT_ARN, { Ref: 'SsmPageValue' }]] }] }] }, true],
      [{ 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::Join': [',', [CHAT_ARN, PAGER_ARN]] }] }] }, false],
      [{ 'Fn::Join': ['', ['{{resolve:ssm:', '/p/page}}']] }, true],
      [{ 'Fn::Sub': ['${A}/${B}', { A: 'x', B: { 'Fn::FindInMap': ['M', { Ref: 'Pick' }, 'v'] } }] }, false],
      [{ 'Fn::Sub': ['${A}/${B}', { A: 'x', B: { 'Fn::Base64': { 'Fn::ImportValue': 'ExportPage' } } }] }, true],
    ];
    for (const [e, page] of cases) expect({ e, evaluator: evaluatorPages(e), truth: truthPages(e) }).toEqual({ e, evaluator: page, truth: page });
  });
});
