// MTTA, MTTR and incidents opened as CloudWatch metrics through the Embedded Metric Format: a JSON
// log line that CloudWatch Logs turns into a data point (namespace, dimension Severity), one per
// incident, so a dashboard shows their median and percentiles per severity, and pages per day;
// with the policy's service, also per service and severity (a second dimension set of the same
// line). No SDK call, no cost per request: the function's log line is the metric.
import { LogEntry } from './runtime';

/** The namespace when none is configured. */
export const DEFAULT_METRICS_NAMESPACE = 'RunbookAlarms';

/** Time to acknowledge (acknowledged − fired), time to resolve (resolved − fired), and one per incident opened (a count: pages per day). */
export type IncidentMetricName = 'MTTA' | 'MTTR' | 'Incidents';

/** The EMF log line of one incident's MTTA or MTTR (seconds) or its opening (count 1), with the incident named beside it (not a dimension). */
export function incidentMetric(namespace: string, name: IncidentMetricName, severity: string, value: number, at: number, about: Record<string, unknown>, service?: string): LogEntry {
  const dimensions = service ? [['Severity'], ['Service', 'Severity']] : [['Severity']];
  return {
    level: 'info',
    msg: `incident ${name}`,
    ...about,
    _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensions, Metrics: [{ Name: name, Unit: name === 'Incidents' ? 'Count' : 'Seconds' }] }] },
    Severity: severity,
    ...(service ? { Service: service } : {}),
    [name]: value,
  };
}
