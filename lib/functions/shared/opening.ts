// When an alarm opens (its page, or its notification), the policy's page contact and notify
// contacts are told: mentioned on the message, and paged through their SNS topics first (a phone or
// pager does not depend on Slack). Both notifier modes use this; a rotation is resolved at the
// alarm's own time, so a retry reaches the same person.
import { parseAlarmContract } from '../../core/contract';
import { isPageSeverity } from '../../core/severity';
import { oneLine } from '../../core/text';
import { AlarmNotification, cloudWatchTime } from '../../notification/sns-message';
import { ContactPlan, ReachedContact, openingContacts } from './contacts';
import { pageText } from './sns-publish';

/** Who is told of an opening, and what their topics get. */
export interface Opening {
  readonly contacts: ReachedContact[];
  /** Their SNS topics, each once. */
  readonly topics: string[];
  readonly text: { subject: string; message: string };
}

/** What opening `n` tells, or undefined when it tells nobody (not an ALARM, or no contacts for its severity). */
export function openingOf(plan: ContactPlan | undefined, n: AlarmNotification, service: string | undefined, now: number): Opening | undefined {
  if (!plan || n.newState !== 'ALARM') return undefined;
  const severity = parseAlarmContract(n.alarmDescription).severity;
  const contacts = openingContacts(plan, severity, cloudWatchTime(n.stateChangeTime) ?? now);
  if (contacts.length === 0) return undefined;
  const topics = [...new Set(contacts.flatMap((c) => (c.topicArn ? [c.topicArn] : [])))];
  const what = isPageSeverity(severity) ? 'page' : 'alert';
  const text = pageText(n, what === 'page' ? 'Page: ' : 'Alert: ', [
    `${severity} ${what}: ${oneLine(n.alarmName)} is in ALARM. The team's Slack channel has the alarm, its runbook and its thread.`,
  ], service);
  return { contacts, topics, text };
}
