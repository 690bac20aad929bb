// What an SLO's alarms cost, counted from the synthesized template at CloudWatch's prices
// (standard-resolution metric alarms $0.10 per metric per month, a metric-math alarm priced per
// metric it queries; composite alarms $0.50 per month), against guardian/cdk's ErrorBudgetAlarm for
// the same three tiers: six metric-math alarms on bad and valid events and three composites. The
// figures are docs/slo.md's.
import * as fs from 'fs';
import * as path from 'path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { Runbook, ServiceLevelObjective, SloIndicator } from '../../lib';
import { FOUNDATION_FIXTURES, newStack } from '../support/cdk';
import { exampleTemplate } from '../support/synth';

const METRIC_MONTH = 0.1;
const COMPOSITE_MONTH = 0.5;

test('an availability SLO costs $2.70 a month in alarms (12 alarm metrics and 3 composites), no more than guardian/cdk\'s 9 alarms', () => {
  const resources = Object.values<any>(exampleTemplate('Payments').Resources).filter((r) => String(r.Properties?.AlarmName).startsWith('Payments/WebhookAvailability/'));
  const metricAlarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  const composites = resources.filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm');
  const alarmMetrics = metricAlarms.reduce((n, r) => n + (r.Properties.Metrics ?? []).filter((m: any) => m.MetricStat).length, 0);
  for (const r of metricAlarms) expect(r.Properties.Metrics.every((m: any) => m.MetricStat === undefined || m.MetricStat.Period >= 60)).toBe(true); // standard resolution
  const ours = alarmMetrics * METRIC_MONTH + composites.length * COMPOSITE_MONTH;
  const guardian = 6 * 2 * METRIC_MONTH + 3 * COMPOSITE_MONTH;
  expect({ metricAlarms: metricAlarms.length, alarmMetrics, composites: composites.length, monthly: ours.toFixed(2) }).toEqual({ metricAlarms: 6, alarmMetrics: 12, composites: 3, monthly: '2.70' });
  expect(ours).toBeLessThanOrEqual(guardian);
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'slo.md'), 'utf8');
  expect(doc).toContain('| availability (bad or good, and valid events) | 6 | 12 | 3 | $2.70 |');
  expect(doc).toContain('| guardian/cdk `GuErrorBudgetAlarmExperimental` (same three tiers) | 6 | 12 | 3 | $2.70 |');
});

test('a latency SLO costs $2.10: one percentile-rank metric per window alarm', () => {
  const stack = newStack();
  new ServiceLevelObjective(stack, 'Latency', {
    indicator: SloIndicator.latency({ metric: new cloudwatch.Metric({ namespace: 'Checkout', metricName: 'Latency' }), threshold: 300 }),
    target: 99, runbook: Runbook.fromFile('runbooks/good.md', { projectRoot: FOUNDATION_FIXTURES }),
  });
  const template = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(template.Resources);
  const alarmMetrics = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').reduce((n, r) => n + r.Properties.Metrics.filter((m: any) => m.MetricStat).length, 0);
  const composites = resources.filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm').length;
  expect((alarmMetrics * METRIC_MONTH + composites * COMPOSITE_MONTH).toFixed(2)).toBe('2.10');
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'slo.md'), 'utf8')).toContain('| latency (one percentile-rank metric) | 6 | 6 | 3 | $2.10 |');
});
