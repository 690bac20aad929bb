// AlertRouting: routes by severity (from the table or a policy file), creates only the topics its
// alarms use, reports a policy file that cannot be used as a CDK error without stack debris, and
// refuses at synth a policy whose words nothing carries out. The file format itself: test/policy.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertRouting, EscalationPolicyError, Route, Severity } from '../../lib';
import { FOUNDATION_FIXTURES, newStack, resourcesOf } from '../support/cdk';

const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' });

describe('AlertRouting.fromFile', () => {
  test('reads the escalation policy: routes, escalation and channels', () => {
    const routing = AlertRouting.fromFile(newStack(), 'Routing', path.join(FOUNDATION_FIXTURES, 'escalation-policy.yaml'));
    expect(routing.routeFor(Severity.SEV1)).toBe(Route.PAGE);
    expect(routing.routeFor(Severity.SEV3)).toBe(Route.PAGE); // this team pages on SEV3
    expect(routing.routeFor(Severity.SEV4)).toBe(Route.TICKET);
    expect(routing.routingFor(Severity.SEV1)).toMatchObject({ page: 'payments-primary', escalateAfterMinutes: 5, then: 'payments-secondary', notify: ['#incidents'] });
    expect(routing.routingFor(Severity.SEV2).escalateAfterMinutes).toBe(15);
  });

  test('without a file, docs/design/severity.md routing applies', () => {
    const routing = new AlertRouting(newStack(), 'R');
    expect([Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4].map((s) => routing.routeFor(s))).toEqual([Route.PAGE, Route.PAGE, Route.NOTIFY, Route.TICKET]);
  });

  test('a missing file: the construct, the file and the reason, and no stack', () => {
    let error: Error | undefined;
    try {
      AlertRouting.fromFile(newStack(), 'R', '/nonexistent/escalation.yaml');
    } catch (e) {
      error = e as Error;
    }
    expect(error!.message).toBe('AlertRouting \'TestStack/R\': cannot read /nonexistent/escalation.yaml (/nonexistent/escalation.yaml): ENOENT');
    expect(error!.stack).toBe(`Error: ${error!.message}`);
  });

  test('a file that cannot be used: every problem with the real file name, printed as its lines alone (no stack, no field dump)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-'));
    const file = path.join(dir, 'escalation-policy.yaml');
    fs.writeFileSync(file, 'severity_routing:\n  SEV1:\n    pager: x\n  SEV9: {}\n');
    let error: EscalationPolicyError | undefined;
    try {
      AlertRouting.fromFile(newStack(), 'R', file);
    } catch (e) {
      error = e as EscalationPolicyError;
    }
    expect(error).toBeInstanceOf(EscalationPolicyError);
    expect(error!.message).toBe(`AlertRouting 'TestStack/R': ${file} cannot be used (2 problems); fix each line (docs/escalation-policy.md):\n` +
      `  ${file}:3:5 unknown key "pager" under SEV1; did you mean "page"? (keys here: page, escalate_after, then, notify, ticket, respond_within)\n` +
      `  ${file}:4:3 "SEV9" is not a severity; use SEV1, SEV2, SEV3 or SEV4`);
    expect(error!.problems).toHaveLength(2);
    // What Node prints for an uncaught error: its stack (the message alone) and its enumerable fields (none).
    expect(error!.stack).toBe(`EscalationPolicyError: ${error!.message}`);
    expect(Object.keys(error!)).toEqual([]);
  });

  test('severities the file leaves out take the table\'s route, said once at synth', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-'));
    const file = path.join(dir, 'escalation-policy.yaml');
    fs.writeFileSync(file, 'service: payments\nseverity_routing:\n  SEV1:\n    page: payments-pagerduty\n');
    const stack = newStack();
    const routing = AlertRouting.fromFile(stack, 'R', file);
    expect(routing.routeFor(Severity.SEV3)).toBe(Route.NOTIFY);
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('leaves'));
    expect(infos.map((i) => i.entry.data)).toEqual([`${file} leaves SEV2, SEV3, SEV4 out: they take the severity table's route (SEV2 page, SEV3 notify, SEV4 ticket; docs/design/severity.md#routes)`]);
  });
});

describe('only what is used', () => {
  test('given its page topic, it creates no topic and no key until an alarm of another route binds', () => {
    const stack = newStack();
    const pageTopic = new sns.Topic(stack, 'Oncall');
    const routing = new AlertRouting(stack, 'R', { pageTopic });
    new cloudwatch.Alarm(stack, 'Page', { metric, threshold: 1, evaluationPeriods: 2 });
    routing.bindAlarm(new cloudwatch.Alarm(stack, 'P1', { metric, threshold: 1, evaluationPeriods: 2 }), Severity.SEV1);
    let t = Template.fromStack(stack);
    expect(resourcesOf(t, 'AWS::SNS::Topic').map((r) => r.id)).toEqual([expect.stringMatching(/^Oncall/)]);
    expect(resourcesOf(t, 'AWS::KMS::Key')).toEqual([]);
    expect(routing.topics).toEqual([pageTopic]);
    expect(routing.encryptionKey).toBeUndefined();

    // A SEV4 alarm needs the ticket topic: it is created then, with the key, and nothing else.
    const stack2 = newStack();
    const routing2 = new AlertRouting(stack2, 'R', { pageTopic: new sns.Topic(stack2, 'Oncall') });
    routing2.bindAlarm(new cloudwatch.Alarm(stack2, 'P4', { metric, threshold: 1, evaluationPeriods: 2 }), Severity.SEV4);
    t = Template.fromStack(stack2);
    expect(resourcesOf(t, 'AWS::SNS::Topic').map((r) => r.id).sort()).toEqual([expect.stringMatching(/^Oncall/), expect.stringMatching(/^RTicketTopic/)]);
    expect(resourcesOf(t, 'AWS::KMS::Key')).toHaveLength(1);
    expect(routing2.topics.map((x) => x.node.id)).toEqual(['Oncall', 'TicketTopic']);
  });

  test('with no topics given: the page topic and its key; the others as their routes are used', () => {
    const stack = newStack();
    const routing = new AlertRouting(stack, 'R');
    routing.bindAlarm(new cloudwatch.Alarm(stack, 'P3', { metric, threshold: 1, evaluationPeriods: 2 }), Severity.SEV3);
    const t = Template.fromStack(stack);
    expect(resourcesOf(t, 'AWS::SNS::Topic').map((r) => r.id).sort()).toEqual([expect.stringMatching(/^RNotifyTopic/), expect.stringMatching(/^RPageTopic/)]);
    expect(resourcesOf(t, 'AWS::KMS::Key')).toHaveLength(1);
  });
});

describe('every word of the policy is carried out, or synth says which is not', () => {
  test('a policy whose contacts, escalation and channels no SlackNotifier carries out fails the synth, each word at its place', () => {
    const stack = newStack();
    const file = path.join(FOUNDATION_FIXTURES, 'escalation-policy.yaml');
    AlertRouting.fromFile(stack, 'Routing', file);
    const f = file;
    expect(() => Template.fromStack(stack)).toThrow([
      `[TestStack/Routing] ${f}:10:11 SEV1.page "payments-primary" (mentioned on the page, its topic published): nothing carries it out; give a SlackNotifier routing: this AlertRouting (TestStack/Routing) (docs/escalation-policy.md), or remove it from ${f}`,
    ].join('\n'));
    expect(() => Template.fromStack(stack)).toThrow(`${f}:11:21 SEV1.escalate_after and then (escalation of unacknowledged pages): nothing carries it out`);
    expect(() => Template.fromStack(stack)).toThrow(`${f}:13:13 SEV1.notify "#incidents" (the channel gets the message): nothing carries it out`);
  });

  test('a policy that only routes (page labels, tickets) needs no notifier', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-'));
    const file = path.join(dir, 'escalation-policy.yaml');
    fs.writeFileSync(file, 'severity_routing:\n  SEV1:\n    page: payments-pagerduty\n  SEV4:\n    ticket: PAY\n');
    const stack = newStack();
    AlertRouting.fromFile(stack, 'Routing', file);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
