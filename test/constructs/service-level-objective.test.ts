import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import {
  AlertRouting, BurnRateAlert, IncidentReadinessChecks, Runbook, RunbookPolicy, ServiceLevelObjective, ServiceLevelObjectiveProps, Severity, SloIndicator, parseAlarmContract,
} from '../../lib';
import { SLO_METADATA } from '../../lib/core/names';
import { readSloRecord } from '../../lib/slo/objective';
import { BASE_URL, FOUNDATION_FIXTURES, newStack, resourcesOf, synthCapturing } from '../support/cdk';

const count = (metricName: string, statistic = 'Sum') => new cloudwatch.Metric({ namespace: 'Orders', metricName, statistic });
const runbook = () => Runbook.fromFile('runbooks/good.md', { projectRoot: FOUNDATION_FIXTURES });
const availability = () => SloIndicator.availability({ badEvents: count('Errors'), validEvents: count('Requests') });

function slo(props: Partial<ServiceLevelObjectiveProps> = {}, stack = newStack()): { stack: Stack; slo: ServiceLevelObjective; template: Template } {
  const s = new ServiceLevelObjective(stack, 'Checkout', { indicator: availability(), target: 99.9, runbook: runbook(), ...props });
  return { stack, slo: s, template: Template.fromStack(stack) };
}

describe('ServiceLevelObjective', () => {
  test('a page cannot be built without a runbook: the error names the prop and the construct path', () => {
    expect(() => slo({ runbook: undefined })).toThrow(
      "ServiceLevelObjective 'TestStack/Checkout' pages (its FastBurn and SlowBurn alerts are SEV2) and has no runbook: pass runbook: Runbook.fromFile('runbooks/<scenario>.md')");
    // Tickets alone need none.
    expect(() => slo({ runbook: undefined, alerts: [BurnRateAlert.ticket({ name: 'Drift', burnRate: 1, longWindow: Duration.days(3), shortWindow: Duration.hours(6) })] })).not.toThrow();
  });

  test('every problem with the props at once, each naming what to change', () => {
    let message = '';
    try {
      slo({ target: 100, period: Duration.days(45), pageSeverity: Severity.SEV3, sloName: '' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "ServiceLevelObjective 'TestStack/Checkout': 4 problems:",
      '  target must be above 0 and below 100 (percent, e.g. 99.9), got 100',
      '  period must be between 7 and 31 days (28 or 30 are usual), got 45 days',
      '  pageSeverity must be Severity.SEV1 or SEV2 (a page), got SEV3',
      '  sloName must be 1 to 200 printable ASCII characters, known at synth (it starts the alarm names), got ""',
    ]);
  });

  test.each([
    ['one count', () => SloIndicator.availability({ badEvents: count('Errors') }), /needs two of badEvents, goodEvents and validEvents \(the third follows\), got badEvents$/],
    ['three counts', () => SloIndicator.availability({ badEvents: count('E'), goodEvents: count('G'), validEvents: count('V') }), /needs two of .* got badEvents and goodEvents and validEvents/],
    ['an average for a count', () => SloIndicator.availability({ badEvents: count('Errors', 'Average'), validEvents: count('Requests') }),
      /badEvents uses the statistic Average; event counts need Sum \(metric.with\(\{ statistic: 'Sum' \}\)\)/],
    ['a latency threshold of 0', () => SloIndicator.latency({ metric: count('Latency'), threshold: 0 }), /threshold must be a number above 0 in the metric's unit, got 0/],
  ])('a broken indicator (%s) is an error naming the SLO', (_, indicator, message) => {
    expect(() => slo({ indicator: indicator() })).toThrow(new RegExp(`^ServiceLevelObjective 'TestStack/Checkout': indicator: SloIndicator\\.\\w+ ${message.source.replace(/^\^/, '')}`));
  });

  test.each([
    ['a window longer than CloudWatch looks back', { longWindow: Duration.days(8), shortWindow: Duration.hours(6) }, /longWindow 8 days is longer than a CloudWatch alarm can look back \(7 days\)/],
    ['a short window as long as the long one', { longWindow: Duration.hours(1), shortWindow: Duration.hours(1) }, /shortWindow \(1 h\) must be shorter than longWindow \(1 h\)/],
    ['a window in seconds', { longWindow: Duration.seconds(90), shortWindow: Duration.seconds(30) }, /longWindow must be a whole number of minutes/],
  ])('alerts CloudWatch cannot run are refused: %s', (_, windows, message) => {
    expect(() => slo({ alerts: [BurnRateAlert.page({ name: 'Fast', burnRate: 14.4, ...windows })] })).toThrow(message);
  });

  test('an alert that can never fire is refused: 14.4× of a 90 % target is an error ratio of 144 %', () => {
    expect(() => slo({ target: 90 })).toThrow(/alert "FastBurn": at 14.4× a 90 % target needs an error ratio of 144 %, so it can never fire/);
  });

  test('the default alerts: two pages and a ticket, each a long and a short window, rates from the period', () => {
    const { template } = slo({ period: Duration.days(28) });
    const windows = resourcesOf(template, 'AWS::CloudWatch::Alarm').map((a) => [a.props.AlarmName, a.props.Threshold, a.props.ComparisonOperator,
      a.props.Metrics.find((m: any) => m.Id === 'bad').MetricStat.Period]);
    expect(windows).toEqual([
      ['TestStack/Checkout/FastBurn/1h', 13.44, 'GreaterThanOrEqualToThreshold', 3600],
      ['TestStack/Checkout/FastBurn/5m', 13.44, 'GreaterThanOrEqualToThreshold', 300],
      ['TestStack/Checkout/SlowBurn/6h', 5.6, 'GreaterThanOrEqualToThreshold', 21600],
      ['TestStack/Checkout/SlowBurn/30m', 5.6, 'GreaterThanOrEqualToThreshold', 1800],
      ['TestStack/Checkout/Ticket/3d', 1, 'GreaterThanThreshold', 259200],
      ['TestStack/Checkout/Ticket/6h', 1, 'GreaterThanThreshold', 21600],
    ]);
    for (const a of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(a.props).toMatchObject({ EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' });
      expect(a.props.Metrics[0]).toMatchObject({ Expression: 'IF(valid > 0, 1000 * FILL(bad, 0) / valid, 0)', ReturnData: true });
    }
    const alerts = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm');
    expect(alerts.map((a) => [a.props.AlarmName, parseAlarmContract(a.props.AlarmDescription).severity, a.props.ActionsSuppressorExtensionPeriod])).toEqual([
      ['TestStack/Checkout/FastBurn', Severity.SEV2, undefined],
      ['TestStack/Checkout/SlowBurn', Severity.SEV2, 1800],
      ['TestStack/Checkout/Ticket', Severity.SEV4, 21600],
    ]);
    expect(parseAlarmContract(alerts[0].props.AlarmDescription).summary).toBe(
      'TestStack/Checkout: the error budget (99.9 % over 28 days) is burning at 13.44× or more over the last 1 h and the last 5 min: 2 % of it in 1 h; at this rate all of it is gone in 2.1 days.');
  });

  test('first move, owner and the ticket\'s procedure: from the runbook, the props, or a default for tickets', () => {
    const { template } = slo({ owner: 'checkout', ticketFirstMove: 'Triage the top error in the next planning' });
    const [fast, , ticket] = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm').map((a) => parseAlarmContract(a.props.AlarmDescription));
    expect(fast).toMatchObject({ runbookUrl: `${BASE_URL}/runbooks/good.md`, firstMove: expect.stringMatching(/^Scale out the webhook consumer/), owner: 'checkout' });
    expect(ticket).toMatchObject({ runbookUrl: undefined, firstMove: 'Triage the top error in the next planning', owner: 'checkout' });
    const withTicketRunbook = slo({ ticketRunbook: Runbook.fromUrl('https://wiki.example.com/slo-tickets', { firstMove: 'Open the SLO review' }) }).template;
    const t = parseAlarmContract(resourcesOf(withTicketRunbook, 'AWS::CloudWatch::CompositeAlarm')[2].props.AlarmDescription);
    expect(t).toMatchObject({ runbookUrl: 'https://wiki.example.com/slo-tickets', firstMove: 'Open the SLO review', owner: 'payments' });
  });

  test('custom alerts suppress in order: pages before tickets, faster before slower, whatever order they are given in', () => {
    const { template, slo: s } = slo({
      alerts: [
        BurnRateAlert.ticket({ name: 'Drift', burnRate: 2, longWindow: Duration.days(1), shortWindow: Duration.hours(2) }),
        BurnRateAlert.page({ name: 'Slow', burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) }),
        BurnRateAlert.page({ name: 'Fast', burnRate: 20, longWindow: Duration.minutes(30), shortWindow: Duration.minutes(3) }),
      ],
    });
    const alerts = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm');
    const id = (name: string) => alerts.find((a) => a.props.AlarmName === `TestStack/Checkout/${name}`)!.id;
    expect(s.alerts.map((a) => a.node.id)).toEqual(['Fast', 'Slow', 'Drift']);
    expect(alerts.find((a) => a.id === id('Slow'))!.props.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [id('Fast'), 'Arn'] });
    expect(alerts.find((a) => a.id === id('Drift'))!.props.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [id('Slow'), 'Arn'] });
  });

  test('latency: the share of requests at or under the threshold, from the percentile rank statistic', () => {
    const latency = new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensionsMap: { LoadBalancer: 'app/checkout/1' } });
    const { template } = slo({ indicator: SloIndicator.latency({ metric: latency, threshold: 0.3 }), target: 99 });
    const [fast] = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(fast.props.Metrics).toEqual([
      expect.objectContaining({ Expression: '100 * (100 - fast) / 100', ReturnData: true }),
      expect.objectContaining({ Id: 'fast', MetricStat: expect.objectContaining({ Stat: 'PR(:0.3)', Period: 3600 }) }),
    ]);
  });

  test('the record `runbook-alarms budget` finds it by, in the cloud assembly', () => {
    const { slo: s } = slo({ description: 'Checkouts succeed' });
    const entry = s.node.metadata.find((m) => m.type === SLO_METADATA)!;
    const record = readSloRecord(JSON.parse(JSON.stringify(entry.data)));
    expect(record).toMatchObject({ version: 1, name: 'TestStack/Checkout', description: 'Checkouts succeed', targetPercent: 99.9, periodDays: 30, form: 'bad/valid',
      indicatorAlarmName: 'TestStack/Checkout/FastBurn/1h' });
    expect(typeof record !== 'string' && record.tiers.map((t) => [t.name, t.severity, t.alarmName, t.longAlarmName, t.shortAlarmName])).toEqual([
      ['FastBurn', 'SEV2', 'TestStack/Checkout/FastBurn', 'TestStack/Checkout/FastBurn/1h', 'TestStack/Checkout/FastBurn/5m'],
      ['SlowBurn', 'SEV2', 'TestStack/Checkout/SlowBurn', 'TestStack/Checkout/SlowBurn/6h', 'TestStack/Checkout/SlowBurn/30m'],
      ['Ticket', 'SEV4', 'TestStack/Checkout/Ticket', 'TestStack/Checkout/Ticket/3d', 'TestStack/Checkout/Ticket/6h'],
    ]);
  });

  test('dashboard widgets: the budget left over the period, and the burn rate against each alert', () => {
    const { stack, slo: s } = slo();
    const budget = stack.resolve(s.errorBudgetWidget().toJson())[0];
    expect(budget.properties).toMatchObject({ start: '-P30D', setPeriodToTimeRange: true, title: 'TestStack/Checkout: error budget left (99.9 % over 30 days)' });
    expect(budget.properties.metrics[0][0]).toMatchObject({ expression: '100 - 100 * (IF(valid > 0, 1000 * FILL(bad, 0) / valid, 0))', period: 2592000 });
    const burn = stack.resolve(s.burnRateWidget().toJson())[0];
    expect(burn.properties.annotations.horizontal.map((h: any) => h.value)).toEqual([14.4, 6, 1]);
  });

  test('the synth gate judges the alerts like any alarm, and the window alarms never trip it', () => {
    const gated = (withRouting: boolean) => {
      const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': BASE_URL } });
      RunbookPolicy.applyTo(app, { projectRoot: FOUNDATION_FIXTURES });
      Validations.of(app).addPlugins(new IncidentReadinessChecks(app, { projectRoot: FOUNDATION_FIXTURES }));
      const stack = new Stack(app, 'Gated');
      new ServiceLevelObjective(stack, 'Checkout', { indicator: availability(), target: 99.9, runbook: runbook(), routing: withRouting ? new AlertRouting(stack, 'Routing') : undefined });
      try {
        return synthCapturing(app).output;
      } catch (e) {
        return String((e as Error).message);
      }
    };
    expect(gated(true)).not.toMatch(/IncidentReadiness/);
    // Without routing the pages reach no one: the gate says so for the two page alerts, and only them.
    const output = gated(false);
    const flagged = [...output.matchAll(/IncidentReadiness-PageAction[\s\S]*?Gated\/Checkout\/(\w+)/g)].map((m) => m[1]);
    expect([...new Set(flagged)].sort()).toEqual(['FastBurn', 'SlowBurn']);
  });
});
