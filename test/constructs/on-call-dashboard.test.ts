// OnCallDashboard: the widgets read the metrics the functions emit (namespace, names, dimension
// Severity, the statistics), with the targets and the limit drawn; bad props name the prop and path.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AlertRouting, OnCallDashboard, Runbook, Severity, SlackNotifier } from '../../lib';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { POLICY_YAML } from '../support/escalation-setup';

/** The dashboard body as CloudWatch reads it (the CloudFormation join resolved with placeholder tokens). */
function body(stack: Stack): any {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as any[];
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : '"TOKEN"'));
  return JSON.parse(parts.join('').replace(/""TOKEN""/g, '"TOKEN"'));
}

const metricsOf = (widget: any): any[][] => widget.properties.metrics;

test('from a notifier: MTTA and MTTR p50/p90 per page severity in minutes, with the targets; pages per day and per 12 hours against the limit', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
  const routing = new AlertRouting(stack, 'Routing', { escalationPolicy: parseEscalationPolicy(POLICY_YAML, 'escalation-policy.yaml') });
  const notifier = new SlackNotifier(stack, 'Notifier', {
    slackApp: {
      botTokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Bot', 'bot'),
      channel: 'C0ALERTS',
      escalation: { signingSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Signing', 'signing'), metricsNamespace: 'Payments/OnCall' },
    },
    routing,
    failureRunbook: Runbook.fromUrl('https://example.com/runbooks/notifier.md'),
  });
  new OnCallDashboard(stack, 'OnCall', { notifier, dashboardName: 'payments-on-call', timeRange: Duration.days(90) });
  const t = Template.fromStack(stack);
  t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'payments-on-call' });
  const b = body(stack);
  expect(b.start).toBe('-P90D');
  const [text, mtta, mttr, incidents, perDay, perShift] = b.widgets;
  expect(text.type).toBe('text');
  expect(text.properties.markdown).toContain('SEV1 acknowledged within 5 min, SEV2 within 30 min');
  expect(mtta.properties.title).toBe('Time to acknowledge (MTTA), p50 and p90 per day, minutes');
  // Each line: an expression (seconds / 60) over the metric the interactivity function emits.
  const rows = metricsOf(mtta);
  const expressions = rows.filter((r) => r[0].expression).map((r) => [r[0].expression, r[0].label]);
  expect(expressions).toEqual([['m0p50 / 60', 'SEV1 p50 (min)'], ['m0p90 / 60', 'SEV1 p90 (min)'], ['m1p50 / 60', 'SEV2 p50 (min)'], ['m1p90 / 60', 'SEV2 p90 (min)']]);
  const sources = rows.filter((r) => !r[0]?.expression).map((r) => [r[0], r[1], r[2], r[3], r[r.length - 1].stat, r[r.length - 1].period]);
  expect(sources).toEqual([
    ['Payments/OnCall', 'MTTA', 'Severity', 'SEV1', 'p50', 86400],
    ['Payments/OnCall', 'MTTA', 'Severity', 'SEV1', 'p90', 86400],
    ['Payments/OnCall', 'MTTA', 'Severity', 'SEV2', 'p50', 86400],
    ['Payments/OnCall', 'MTTA', 'Severity', 'SEV2', 'p90', 86400],
  ]);
  expect(mtta.properties.annotations.horizontal).toEqual([
    expect.objectContaining({ value: 5, label: 'SEV1 target 5 min' }), expect.objectContaining({ value: 30, label: 'SEV2 target 30 min' }),
  ]);
  expect(metricsOf(mttr).filter((r) => !r[0]?.expression).map((r) => r[1])).toEqual(['MTTR', 'MTTR', 'MTTR', 'MTTR']);
  expect(metricsOf(incidents).map((r) => [r[0], r[1], r[3], r[r.length - 1].stat])).toEqual(SEVERITIES.map((s) => ['Payments/OnCall', 'Incidents', s, 'Sum']));
  expect(incidents.properties.stacked).toBe(true);
  for (const [widget, period] of [[perDay, 86400], [perShift, 43200]] as const) {
    const [expr, ...used] = metricsOf(widget);
    expect(expr[0].expression).toBe('FILL(p0, 0) + FILL(p1, 0)');
    expect(used.map((r) => [r[1], r[3], r[r.length - 1].stat, r[r.length - 1].period])).toEqual([['Incidents', 'SEV1', 'Sum', period], ['Incidents', 'SEV2', 'Sum', period]]);
  }
  expect(perShift.properties.title).toBe('Pages per 12 hours (limit 2 per shift)');
  expect(perShift.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 2, label: 'limit 2' })]);
});

const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

test('without a notifier: the default namespace; the severities and the limit are props', () => {
  const stack = new Stack();
  new OnCallDashboard(stack, 'OnCall', { severities: [Severity.SEV3], pagesPerShiftLimit: 3 });
  const [, mtta, , , , perShift] = body(stack).widgets;
  expect(metricsOf(mtta).filter((r) => !r[0]?.expression).map((r) => [r[0], r[1], r[3]])).toEqual([['RunbookAlarms', 'MTTA', 'SEV3'], ['RunbookAlarms', 'MTTA', 'SEV3']]);
  expect(mtta.properties.annotations).toBeUndefined();
  expect(perShift.properties.annotations.horizontal[0]).toMatchObject({ value: 3 });
});

test('bad props: errors name the prop and the construct path', () => {
  const stack = new Stack();
  expect(() => new OnCallDashboard(stack, 'A', { severities: [] })).toThrow("OnCallDashboard 'Default/A': severities is empty");
  expect(() => new OnCallDashboard(stack, 'B', { pagesPerShiftLimit: 0 })).toThrow("OnCallDashboard 'Default/B': pagesPerShiftLimit must be a whole number ≥ 1 (got 0)");
  expect(() => new OnCallDashboard(stack, 'C', { severities: ['SEV9' as Severity] })).toThrow('"SEV9" is not one of Severity.SEV1');
});
