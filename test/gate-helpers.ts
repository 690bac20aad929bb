// Helpers for the gate tests: apps with the runbook base URL set, and the findings RunbookPolicy left.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { BASE_URL } from './helpers';

export { BASE_URL };
export const GATE_FIXTURES = path.join(__dirname, 'fixtures', 'gate');

export function newApp(): App {
  return new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': BASE_URL } });
}

export const metricProps = {
  evaluationPeriods: 1,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 1,
  metricName: 'Errors',
  namespace: 'Acme',
  period: 60,
  statistic: 'Sum',
};

export const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' });

export interface PolicyFinding {
  readonly path: string;
  readonly level: 'error' | 'warning';
  readonly ruleId: string;
  readonly text: string;
}

/** The IncidentReadiness annotations on `scope` and below (synthesize first). */
export function policyFindings(scope: IConstruct): PolicyFinding[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && String(m.data).startsWith('IncidentReadiness-'))
      .map((m) => {
        const text = String(m.data);
        return { path: c.node.path, level: m.type === 'aws:cdk:error' ? ('error' as const) : ('warning' as const), ruleId: text.slice(0, text.indexOf(':')), text };
      }),
  );
}

/** `path ruleId` of each error, for compact assertions. */
export function errorsOf(scope: IConstruct): string[] {
  return policyFindings(scope).filter((f) => f.level === 'error').map((f) => `${f.path} ${f.ruleId}`);
}
