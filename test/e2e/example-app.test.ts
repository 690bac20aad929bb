import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { Severity, parseAlarmContract } from '../../lib';
import { nowFromEnvironment } from '../../lib/core/now';
import { lintRunbookFile } from '../../lib/runbook/lint';
import { resourcesOf, tagsOf } from '../support/cdk';
import { exampleTemplate } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');

describe('the example app', () => {
  let template: Template;
  beforeAll(() => {
    // As `cdk synth` wrote it from the repository root (the jest global setup ran it once).
    template = Template.fromJSON(exampleTemplate('Payments'));
  });

  test('every alarm carries severity, runbook and first move, in the description and the tags', () => {
    // The SLO's window alarms are internal (SEV4, no actions): its alerts are the next test's.
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter((a) => a.props.AlarmName?.startsWith('Payments/') && !a.props.AlarmName.startsWith('Payments/WebhookAvailability/'));
    const bySeverity = Object.fromEntries(alarms.map((a) => [parseAlarmContract(a.props.AlarmDescription).severity, a.props]));
    expect(Object.keys(bySeverity).sort()).toEqual([Severity.SEV1, Severity.SEV2, Severity.SEV3]);
    for (const props of alarms.map((a) => a.props)) {
      const contract = parseAlarmContract(props.AlarmDescription);
      expect(props.AlarmDescription).toMatch(/\nSeverity: SEV[123]\nRunbook: https:\/\/github\.com\/acme\/payments\/blob\/main\/runbooks\/[a-z-]+\.md\nFirst move: .+\n(?:Never: .+\n)?Owner: payments$/);
      expect(tagsOf(props)).toMatchObject({ Severity: contract.severity, Runbook: contract.runbookUrl, Owner: 'payments' });
    }
    expect(parseAlarmContract(bySeverity.SEV2.AlarmDescription).runbookUrl).toMatch(/payment-webhook-backlog\.md$/);
    // The runbooks' never-do warnings travel with their pages.
    expect(parseAlarmContract(bySeverity.SEV2.AlarmDescription).never).toBe('purge `payment-webhooks`: every message is a payment event, and the provider does not resend it.');
    expect(parseAlarmContract(bySeverity.SEV1.AlarmDescription).never).toBe('reboot the writer: a failover drops every in-flight payment transaction.');
    expect(parseAlarmContract(bySeverity.SEV1.AlarmDescription).runbookUrl).toMatch(/db-connection-exhaustion\.md$/);
    expect(bySeverity.SEV1.OKActions).toHaveLength(1);
    expect(bySeverity.SEV3.OKActions).toBeUndefined();
  });

  test('its payment webhook SLO pages with the backlog runbook, tickets to the ticket topic, and its window alarms reach no one', () => {
    const topic = (route: string) => resourcesOf(template, 'AWS::SNS::Topic').find((t) => tagsOf(t.props)['RunbookAlarms:Route'] === route)!.id;
    const alerts = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm').filter((a) => a.props.AlarmName.startsWith('Payments/WebhookAvailability/'));
    const byName = Object.fromEntries(alerts.map((a) => [a.props.AlarmName.split('/').pop(), a.props]));
    expect(Object.keys(byName).sort()).toEqual(['FastBurn', 'SlowBurn', 'Ticket']);
    for (const page of [byName.FastBurn, byName.SlowBurn]) {
      const contract = parseAlarmContract(page.AlarmDescription);
      expect(contract).toMatchObject({ severity: Severity.SEV2, owner: 'payments', firstMove: expect.stringMatching(/^Scale out the webhook consumer/) });
      expect(contract.runbookUrl).toMatch(/\/runbooks\/payment-webhook-backlog\.md$/);
      expect(page.AlarmActions).toEqual([{ Ref: topic('page') }]);
      expect(page.OKActions).toEqual([{ Ref: topic('page') }]);
    }
    expect(parseAlarmContract(byName.Ticket.AlarmDescription)).toMatchObject({ severity: Severity.SEV4, owner: 'payments', runbookUrl: undefined });
    expect(byName.Ticket.AlarmActions).toEqual([{ Ref: topic('ticket') }]);
    // Each slower alert waits on the next faster one.
    expect(byName.SlowBurn.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [alerts.find((a) => a.props === byName.FastBurn)!.id, 'Arn'] });
    expect(byName.Ticket.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [alerts.find((a) => a.props === byName.SlowBurn)!.id, 'Arn'] });
    const windows = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter((a) => a.props.AlarmName?.startsWith('Payments/WebhookAvailability/'));
    expect(windows.map((w) => w.props.AlarmName).sort()).toEqual(['FastBurn/1h', 'FastBurn/5m', 'SlowBurn/30m', 'SlowBurn/6h', 'Ticket/3d', 'Ticket/6h'].map((n) => `Payments/WebhookAvailability/${n}`));
    for (const w of windows) {
      expect(parseAlarmContract(w.props.AlarmDescription).severity).toBe(Severity.SEV4);
      expect([w.props.AlarmActions, w.props.OKActions, w.props.InsufficientDataActions]).toEqual([undefined, undefined, undefined]);
    }
    // The team's dashboard shows the budget left.
    const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
    const overview = dashboards.find((d) => d.props.DashboardName === 'payments-overview');
    expect(JSON.stringify(overview?.props.DashboardBody)).toContain('error budget left');
  });

  test("pages reach a human even when Slack is down: the page topic has a subscriber besides the notifier", () => {
    const pageTopic = resourcesOf(template, 'AWS::SNS::Topic').find((t) => tagsOf(t.props)['RunbookAlarms:Route'] === 'page')!;
    const subscriptions = resourcesOf(template, 'AWS::SNS::Subscription').filter((s) => s.props.TopicArn?.Ref === pageTopic.id);
    expect(subscriptions.map((s) => s.props.Protocol).sort()).toEqual(['email', 'lambda']);
    // The notifier's own failure alarm pages through that topic.
    const failure = resourcesOf(template, 'AWS::CloudWatch::Alarm').find((a) => a.props.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0]?.startsWith('SlackNotifierFailure'));
    expect(failure?.props.AlarmActions).toEqual([{ Ref: pageTopic.id }]);
  });

  test('the notifier runs as a Slack app: a bot token by ARN, channels, and an encrypted incident table', () => {
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function').filter((f) => f.props.Environment?.Variables?.SLACK_BOT_TOKEN_SECRET_ARN);
    expect(fn.props.Environment.Variables).toMatchObject({
      SLACK_CHANNEL: 'C0PAYMENTS1',
      // The policy's notify channels: where SEV1 and SEV3 incidents open.
      SLACK_CHANNEL_SEV1: '#incidents',
      SLACK_CHANNEL_SEV3: '#payments-alerts',
      SERVICE_NAME: 'payments',
      INCIDENT_TABLE_NAME: { Ref: expect.stringMatching(/^SlackNotifierIncidents/) },
    });
    const [table] = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(table.props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.props.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
  });

  test('its SEV1 and SEV2 pages can be acknowledged in Slack and escalate to defined contacts; the Request URL is an output', () => {
    const fns = resourcesOf(template, 'AWS::Lambda::Function').filter((f) => f.props.Environment?.Variables?.ESCALATION_PLAN);
    expect(fns).toHaveLength(3); // the notifier, the interactivity and the escalation functions (not the handoff function)
    const plan = JSON.parse(fns[0].props.Environment.Variables.ESCALATION_PLAN);
    expect(plan.severities.SEV1).toEqual({ afterMinutes: 5, levels: ['secondary_oncall', 'team_lead'] });
    expect(plan.severities.SEV2).toEqual({ afterMinutes: 15, levels: ['secondary_oncall'] });
    const contacts = JSON.parse(fns[0].props.Environment.Variables.CONTACT_PLAN);
    for (const level of [...plan.severities.SEV1.levels, ...plan.severities.SEV2.levels]) expect(contacts.contacts[level]).toBeDefined();
    // The primary is a rotation, resolved when a page opens; its handoffs are announced every Monday at 10:00 Berlin time.
    expect(contacts.contacts.primary_oncall.rotation).toMatchObject({ days: 7, zone: 'Europe/Berlin' });
    expect(resourcesOf(template, 'AWS::Scheduler::Schedule').map((x) => [x.props.ScheduleExpression, x.props.ScheduleExpressionTimezone])).toEqual([['cron(0 10 ? * MON *)', 'Europe/Berlin']]);
    expect(resourcesOf(template, 'AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::Lambda::Url')[0].props.AuthType).toBe('NONE');
    const outputs = Object.values<any>(template.toJSON().Outputs ?? {});
    expect(outputs.filter((o) => /Interactivity & Shortcuts → Request URL/.test(o.Description))).toHaveLength(1);
  });

  test('its runbooks lint clean', () => {
    // "Today" is pinned by test/setup-env.ts (RUNBOOK_ALARMS_NOW): the suite must not rot with the calendar.
    const now = nowFromEnvironment();
    expect(now).toBeDefined();
    for (const file of fs.readdirSync(path.join(ROOT, 'runbooks'))) {
      expect(lintRunbookFile(path.join(ROOT, 'runbooks', file), { now })).toEqual([]);
    }
  });
});
