// MTTA and MTTR as CloudWatch metrics through the Embedded Metric Format: a JSON log line that
// CloudWatch Logs turns into a data point (namespace, dimension Severity, unit Seconds), one per
// incident, so a dashboard shows their median and percentiles per severity. No SDK call, no cost
// per request: the function's log line is the metric.
import { LogEntry } from './runtime';

/** The namespace when none is configured. */
export const DEFAULT_METRICS_NAMESPACE = 'RunbookAlarms';

/** Time to acknowledge (acknowledged − fired) and time to resolve (resolved − fired). */
export type IncidentMetricName = 'MTTA' | 'MTTR';

/** The EMF log line of one incident's MTTA or MTTR (seconds), with the incident named beside it (not a dimension). */
export function incidentMetric(namespace: string, name: IncidentMetricName, severity: string, seconds: number, at: number, about: Record<string, unknown>): LogEntry {
  return {
    level: 'info',
    msg: `incident ${name}`,
    ...about,
    _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['Severity']], Metrics: [{ Name: name, Unit: 'Seconds' }] }] },
    Severity: severity,
    [name]: seconds,
  };
}
