// The escalation plan: which severities page (their parents carry an Acknowledge button), after how
// long an unacknowledged page escalates and to whom (contact names: how each is reached at the
// moment is the contact plan's, ./contacts). The construct writes it into the functions' config
// (./config) from the escalation policy; the notifier, the interactivity and the escalation
// functions read it. No CDK.
import { ownValue } from '../../core/own';
import { IncidentView } from '../../notification/incident-message';
import { IncidentRecord, viewOf } from './incident';
import { SeverityEscalationPlan } from './escalation-timing';

/** The plan as the functions get it. */
export interface EscalationPlan {
  /** Page severities (`SEV1`): their escalation (no levels: acknowledged, never escalated). */
  readonly severities: Readonly<Record<string, SeverityEscalationPlan>>;
}

/** The escalation of an incident's severity, if its pages are acknowledged. */
export function severityPlan(plan: EscalationPlan | undefined, severity: string | undefined): SeverityEscalationPlan | undefined {
  return plan && ownValue(plan.severities, severity);
}

/** What the Acknowledge button carries back: which incident of which alarm. */
export interface AcknowledgeTarget {
  readonly incidentId: string;
  readonly alarmKey: string;
}

/** The button's value (JSON, within Slack's 2000 characters for any alarm key). */
export function acknowledgeValue(r: IncidentRecord): string {
  return JSON.stringify({ i: r.incidentId, a: r.alarmKey });
}

/** The target a button's value names, or undefined for anything else. */
export function parseAcknowledgeValue(value: unknown): AcknowledgeTarget | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  try {
    const v = JSON.parse(value) as { i?: unknown; a?: unknown };
    if (typeof v?.i === 'string' && typeof v.a === 'string' && v.i.length > 0 && v.i.length <= 100 && v.a.length > 0) return { incidentId: v.i, alarmKey: v.a };
  } catch {
    // not ours
  }
  return undefined;
}

/** What a parent shows of an incident, with its acknowledgement and escalation when the plan has its severity. */
export function incidentView(r: IncidentRecord, plan: EscalationPlan | undefined): IncidentView {
  const base = viewOf(r);
  const sev = severityPlan(plan, r.severity);
  if (!sev) return base;
  return { ...base, escalationLevels: sev.levels, acknowledgeValue: acknowledgeValue(r) };
}
