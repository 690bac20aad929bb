// What the on-call numbers are computed from: an incident as the incident table keeps it (the
// functions' IncidentRecord has every field, so records are facts as they are), a shift of the
// rotation, and the guide's response targets per severity. Pure.
import { parseAlarmContract } from '../core/contract';
import { SEVERITIES, Severity, isPageSeverity, parseSeverity } from '../core/severity';

/** One incident, as the table keeps it (every field but the id and the alarm's name may be missing). */
export interface IncidentFacts {
  readonly incidentId: string;
  /** The alarm (its ARN, else account, region and name). @default - the alarm's name */
  readonly alarmKey?: string;
  readonly alarmName: string;
  readonly severity?: string;
  /** The latest state (`ALARM`, `OK`, …). */
  readonly state?: string;
  /** When it first went to ALARM (epoch ms); an incident that never did is not counted. */
  readonly firedAt?: number;
  /** When the first breaching datapoint began (epoch ms): fired − breached is the time to detect. */
  readonly breachedAt?: number;
  readonly acknowledgedAt?: number;
  /** A Slack user ID. */
  readonly acknowledgedBy?: string;
  /** How many escalation levels fired. */
  readonly escalatedLevel?: number;
  readonly escalatedAt?: number;
  /** When it was last resolved, while it is (epoch ms). */
  readonly resolvedAt?: number;
  readonly mttaSeconds?: number;
  /** The first resolution's time to resolve. */
  readonly mttrSeconds?: number;
  /** How often it went back to ALARM after a resolution. */
  readonly reopened?: number;
  /** The latest notification (JSON of an AlarmNotification): its description names the runbook and owner. */
  readonly notification?: string;
  /** When its postmortem is due (epoch ms), when the postmortem tracking recorded it. */
  readonly postmortemDueAt?: number;
  /** The postmortem's status (`Draft`, `In review`, `Final`), when recorded. */
  readonly postmortemStatus?: string;
  /** Its state as the Slack thread tracks it (`due`, `overdue`, `linked`, `not-needed`): what the incident record holds. */
  readonly postmortemState?: string;
}

/** Who is on call from `from` to `to` (epoch ms): a rotation's shift. */
export interface Shift {
  readonly from: number;
  readonly to: number;
  /** A Slack mention (`<@U0123ABCD>`) or a name. */
  readonly who: string;
}

/** An incident as the numbers use it. */
export interface Incident {
  readonly id: string;
  readonly alarm: string;
  readonly alarmName: string;
  /** `SEV1`…`SEV4`, or `none` when the alarm carried no severity. */
  readonly severity: string;
  readonly page: boolean;
  readonly firedAt: number;
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  /** Seconds. */
  readonly mtta?: number;
  readonly mttr?: number;
  readonly mttd?: number;
  /** The first resolution (epoch ms). */
  readonly firstResolvedAt?: number;
  /** Unresolved now (no resolution since it last went to ALARM). */
  readonly open: boolean;
  /** The latest resolution (epoch ms), while resolved. */
  readonly resolvedAt?: number;
  readonly reopened: number;
  readonly escalatedLevel: number;
  /** The notification kept on the incident: its description names the runbook and owner (read when needed: contractFacts). */
  readonly notification?: string;
  readonly postmortemDueAt?: number;
  readonly postmortemStatus?: string;
}

/** `none` for incidents of alarms without a severity. */
export const NO_SEVERITY = 'none';

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const seconds = (v: unknown): number | undefined => {
  const n = finite(v);
  return n !== undefined && n >= 0 ? n : undefined;
};

/** What an alarm's description says that the numbers use. */
export type ContractFacts = { readonly runbook?: string; readonly owner?: string; readonly severity?: Severity };

/** Contracts already read, by description: an alarm's incidents share one (parsing it is most of the work). */
export type ContractCache = Map<string, ContractFacts>;

/** What the alarm's description says (runbook, owner, severity), from the notification kept on the incident. */
export function contractFacts(notification: string | undefined, cache: ContractCache = new Map()): ContractFacts {
  if (typeof notification !== 'string' || notification === '') return {};
  let description: unknown;
  try {
    description = (JSON.parse(notification) as { alarmDescription?: unknown })?.alarmDescription;
  } catch {
    return {};
  }
  if (typeof description !== 'string') return {};
  let facts = cache.get(description);
  if (!facts) {
    const c = parseAlarmContract(description);
    facts = { runbook: c.runbookUrl, owner: c.owner, severity: c.severity };
    if (cache.size < 10_000) cache.set(description, facts);
  }
  return facts;
}

/** The incident the numbers use, or undefined for one that never fired (or has no id). */
export function incidentOf(f: IncidentFacts, cache: ContractCache = new Map()): Incident | undefined {
  const firedAt = finite(f?.firedAt);
  if (firedAt === undefined || typeof f.incidentId !== 'string' || f.incidentId === '') return undefined;
  // The description is read only when the record has no severity: it is most of the work.
  const severity = parseSeverity(f.severity) ?? contractFacts(f.notification, cache).severity;
  const acknowledgedAt = finite(f.acknowledgedAt);
  const mtta = seconds(f.mttaSeconds) ?? (acknowledgedAt !== undefined && acknowledgedAt >= firedAt ? Math.round((acknowledgedAt - firedAt) / 1000) : undefined);
  const mttr = seconds(f.mttrSeconds);
  const breachedAt = finite(f.breachedAt);
  const resolvedAt = finite(f.resolvedAt);
  const alarmName = typeof f.alarmName === 'string' && f.alarmName !== '' ? f.alarmName : '(unnamed alarm)';
  return {
    id: f.incidentId,
    alarm: typeof f.alarmKey === 'string' && f.alarmKey !== '' ? f.alarmKey : alarmName,
    alarmName,
    severity: severity ?? NO_SEVERITY,
    page: isPageSeverity(severity),
    firedAt,
    acknowledgedAt,
    acknowledgedBy: typeof f.acknowledgedBy === 'string' ? f.acknowledgedBy : undefined,
    mtta,
    mttr,
    mttd: breachedAt !== undefined && breachedAt <= firedAt ? Math.round((firedAt - breachedAt) / 1000) : undefined,
    firstResolvedAt: mttr !== undefined ? firedAt + mttr * 1000 : resolvedAt,
    open: resolvedAt === undefined,
    resolvedAt,
    reopened: Math.max(0, finite(f.reopened) ?? 0),
    escalatedLevel: Math.max(0, finite(f.escalatedLevel) ?? 0),
    notification: typeof f.notification === 'string' ? f.notification : undefined,
    postmortemDueAt: finite(f.postmortemDueAt),
    postmortemStatus: typeof f.postmortemStatus === 'string' ? f.postmortemStatus : typeof f.postmortemState === 'string' ? f.postmortemState : undefined,
  };
}

/** The severities in report order: SEV1…SEV4, then `none`. */
export const REPORT_SEVERITIES: readonly string[] = [...SEVERITIES, NO_SEVERITY];

/** How soon a severity must be acknowledged (docs/design/severity.md). */
export interface ResponseTarget {
  readonly severity: string;
  /** `within 5 min`, `business hours`, … */
  readonly label: string;
  /** A fixed time, in seconds (SEV1, SEV2). */
  readonly seconds?: number;
  /** By the end of the business day it fired on (or the next one, when it fired after hours): SEV3. */
  readonly businessHours?: boolean;
  /** By the end of the next business day: SEV4. */
  readonly nextBusinessDay?: boolean;
}

/** The guide's targets: SEV1 immediate (5 min), SEV2 within minutes (30 at most), SEV3 business hours, SEV4 next business day. */
export const RESPONSE_TARGETS: readonly ResponseTarget[] = [
  { severity: 'SEV1', label: 'within 5 min', seconds: 300 },
  { severity: 'SEV2', label: 'within 30 min', seconds: 1800 },
  { severity: 'SEV3', label: 'business hours', businessHours: true },
  { severity: 'SEV4', label: 'next business day', nextBusinessDay: true },
];
