// Who the policy tells when an alarm opens, and how each contact is reached at a moment: the
// contact plan the construct writes into every function's config from the escalation policy (the
// page contact and the notify contacts per severity, the channels told besides the incident's own,
// each contact's mention and SNS topic or rotation). A rotation is resolved when it is needed, so a
// page goes to whoever is on call at that moment (lib/core/rotation.ts). No CDK.
import { ownValue } from '../../core/own';
import { RotationSchedule, onCallAt } from '../../core/rotation';
import { Severity } from '../../core/severity';
import type { SeverityMention } from '../../notification/slack-message';

/** How one contact is reached: a mention and/or a topic, or a rotation (whose member on call is). */
export interface PlanContact {
  /** A Slack user or user group mention (`<@U0123ABCD>`, `<!subteam^S0123ABCD>`). */
  readonly mention?: string;
  /** A standard SNS topic's ARN. */
  readonly topicArn?: string;
  readonly rotation?: RotationSchedule;
}

/** What the policy asks when an alarm of one severity opens. */
export interface SeverityTargets {
  /** The page contact: mentioned on the page, its topic published when the page opens. */
  readonly page?: string;
  /** Contacts told: mentioned, their topics published. */
  readonly notify?: readonly string[];
  /** Channels that get the message besides the incident's own (Slack app mode). */
  readonly channels?: readonly string[];
}

/** The plan as the functions get it. */
export interface ContactPlan {
  /** Severity (`SEV1`) → who is told when its alarms open. */
  readonly severities: Readonly<Record<string, SeverityTargets>>;
  /** Contact name → how to reach them. */
  readonly contacts: Readonly<Record<string, PlanContact>>;
}

/** A contact as reached at a moment: its mention and topic (a rotation's member on call then). */
export interface ReachedContact {
  readonly name: string;
  readonly mention?: string;
  readonly topicArn?: string;
}

/** True for a plan the functions can use (anything else is not). */
export function isContactPlan(p: unknown): p is ContactPlan {
  const x = p as ContactPlan;
  return typeof x === 'object' && x !== null && typeof x.severities === 'object' && x.severities !== null && typeof x.contacts === 'object' && x.contacts !== null;
}

/** How `name` is reached at `at` (epoch ms); undefined when the plan has no such contact. */
export function reach(plan: ContactPlan | undefined, name: string, at: number): ReachedContact | undefined {
  const c = plan && ownValue(plan.contacts, name);
  if (!c) return undefined;
  if (!c.rotation) return { name, mention: c.mention, topicArn: c.topicArn };
  try {
    const [mention, topicArn] = onCallAt(c.rotation, at).member;
    return { name, mention: mention || undefined, topicArn: topicArn || undefined };
  } catch {
    // A rotation the construct checked cannot fail here; if it does, nobody is better than a crash.
    return { name };
  }
}

/** Everyone told when an alarm of `severity` opens at `at`: the page contact, then the notify contacts (each once). */
export function openingContacts(plan: ContactPlan | undefined, severity: string | undefined, at: number): ReachedContact[] {
  const targets = plan && ownValue(plan.severities, severity);
  if (!targets) return [];
  const names = [...new Set([...(targets.page ? [targets.page] : []), ...(targets.notify ?? [])])];
  return names.flatMap((n) => {
    const r = reach(plan, n, at);
    return r ? [r] : [];
  });
}

/** The channels told besides the incident's own, for `severity`. */
export function copyChannels(plan: ContactPlan | undefined, severity: string | undefined): readonly string[] {
  return (plan && ownValue(plan.severities, severity)?.channels) || [];
}

/** The mentions of the contacts told when an alarm opens, worked out at the alarm's time (the messages' resolver). */
export function mentionsAt(plan: ContactPlan | undefined, now: () => number): (severity: Severity | undefined, at: number | undefined) => SeverityMention[] {
  return (severity, at) => {
    if (!plan || !severity) return [];
    return openingContacts(plan, severity, at ?? now()).flatMap((c) => (c.mention ? [{ severity, mention: c.mention }] : []));
  };
}
