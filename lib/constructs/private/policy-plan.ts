// What the SlackNotifier's functions are told of an escalation policy, and what the notifier
// refuses at synth: every word of the policy is carried out by the notifier's mode, or the synth
// names it with its place in the file and the fix. The contact plan (who is told when an alarm
// opens: the page contact and the notify contacts, the channels told besides the incident's own,
// how each contact is reached, rotations included), the escalation plan (levels of each page
// severity), the SNS topics each function may publish to, and the rotations whose handoffs are
// announced. docs/escalation-policy.md says what each key does. No CDK: the flow tests build the
// functions' config with it.
import type { PostmortemSettings } from '../../core/postmortem';
import { Rotation, compileRotation } from '../../core/rotation';
import { Route, Severity } from '../../core/severity';
import { ContactPlan, PlanContact, SeverityTargets } from '../../functions/shared/contacts';
import { EscalationPlan } from '../../functions/shared/escalation-plan';
import { EscalationContact, EscalationPolicy, contactTopicArns, isSlackChannel, policyPlace } from '../../policy/policy';
import { constructError } from './construct-error';

/** What the notifier can carry out. */
export interface NotifierMode {
  /** Slack app mode (a bot token: it posts to any channel it is in). */
  readonly app: boolean;
  /** Acknowledgement and escalation are deployed (`slackApp.escalation`). */
  readonly escalation: boolean;
  /** The literal ARNs of the topics the notifier is subscribed to: a contact's topic must not be one (it would page itself). */
  readonly subscribedTopicArns: readonly string[];
  /** The notifier's own channel per severity (`slackApp.severityChannels`): it wins over the policy's first notify channel. @default - none */
  readonly severityChannels?: Partial<Record<Severity, string>>;
}

/** The plans, and what each function may publish to. */
export interface PolicyPlan {
  readonly contacts: ContactPlan;
  /** With escalation: each page severity's levels. */
  readonly escalation?: EscalationPlan;
  /** The topics the notifier publishes to when an alarm opens (page and notify contacts, every member of their rotations). */
  readonly openingTopicArns: string[];
  /** The topics the escalation function publishes to (the levels' contacts, every member of their rotations). */
  readonly levelTopicArns: string[];
  /** Per severity, the policy's first notify channel: where its incidents open (Slack app mode), unless the notifier names one. */
  readonly incidentChannels: Partial<Record<Severity, string>>;
  /** The rotations the notifier pages or tells, by contact name: their handoffs are announced. */
  readonly rotations: ReadonlyArray<{ readonly name: string; readonly rotation: Rotation }>;
  /** The policy's postmortem criteria, when it has a `postmortem:` section (its defaults filled in). */
  readonly postmortem?: PostmortemSettings;
}

const DOCS = 'docs/escalation-policy.md';


/** How the functions reach a contact. */
function planContact(c: EscalationContact): PlanContact {
  if (c.rotation) return { rotation: compileRotation(c.rotation) };
  return { ...(c.slackMention ? { mention: c.slackMention } : {}), ...(c.snsTopicArn ? { topicArn: c.snsTopicArn } : {}) };
}

/**
 * Builds the plans for a notifier of `mode`; throws, naming every word of the policy the mode cannot
 * carry out (each at its place in the file, with the fix), and every name used that is not a contact.
 */
export function buildPolicyPlan(where: string, policy: EscalationPolicy, mode: NotifierMode): PolicyPlan {
  const problems: string[] = [];
  const contacts = new Map((policy.contacts ?? []).map((c) => [c.name, c]));
  const hasContacts = policy.contacts !== undefined;
  const used = new Set<string>();
  const levelNames = new Set<string>();
  const severities: Record<string, SeverityTargets> = {};
  const levels: Record<string, { afterMinutes: number; levels: string[] }> = {};
  const incidentChannels: Partial<Record<Severity, string>> = {};
  const base = (sev: Severity) => `severity_routing.${sev}`;
  // A name used must be a contact; a policy built in code gets the parser's rule here.
  const contact = (sev: Severity, field: string, name: string, path: string): boolean => {
    if (contacts.has(name)) return true;
    problems.push(`${policyPlace(policy, path)} ${sev}.${field} "${name}" is not a contact; add \`${name}:\` under \`contacts:\` with a \`slack:\` mention or an \`sns:\` topic (or a \`rotation:\`)`);
    return false;
  };

  for (const r of policy.routing) {
    const sev = r.severity;
    const then = r.escalateTo ?? (r.then ? [r.then] : []);
    // The page contact: a label when the file has no contacts (the page topic's subscribers are paged).
    const page = r.page && (hasContacts || then.length > 0) && contact(sev, 'page', r.page, `${base(sev)}.page`) ? r.page : undefined;
    const notifyContacts: string[] = [];
    const channels: string[] = [];
    (r.notify ?? []).forEach((target, i) => {
      const path = `${base(sev)}.notify[${i}]`;
      if (isSlackChannel(target)) {
        if (mode.app) channels.push(target);
        else {
          problems.push(`${policyPlace(policy, path)} ${sev}.notify "${target}": a webhook posts only to the channel it was made for; use slackApp (the app posts to every notify channel), ` +
            `or remove "${target}" (the message still reaches the webhook's channel)`);
        }
      } else if (contact(sev, 'notify', target, path)) notifyContacts.push(target);
    });
    if (then.length > 0) {
      for (const [i, name] of then.entries()) if (contact(sev, 'then', name, `${base(sev)}.then[${i}]`)) levelNames.add(name);
      if (!mode.escalation) {
        const fix = mode.app
          ? 'give the notifier slackApp.escalation: { signingSecret } (Acknowledge buttons and the escalation timers: docs/slack-app.md#acknowledge-and-escalate)'
          : 'escalation needs Slack app mode with acknowledgement: give the notifier slackApp: { botTokenSecret, channel, escalation: { signingSecret } } (docs/slack-app.md)';
        problems.push(`${policyPlace(policy, `${base(sev)}.escalate_after`)} ${sev}.escalate_after ${r.escalateAfterMinutes} min, then ${then.join(', ')}: nothing escalates an ` +
          `unacknowledged page with this notifier; ${fix}; or remove escalate_after and then`);
      }
    }
    if (mode.escalation && r.route === Route.PAGE) {
      levels[sev] = { afterMinutes: then.length > 0 ? r.escalateAfterMinutes ?? 0 : 0, levels: r.escalateAfterMinutes ? then : [] };
    }
    // The severity's incidents open in the notifier's channel for it, else the first notify
    // channel; every other notify channel gets the message too.
    const own = mode.severityChannels?.[sev];
    if (!own && channels.length > 0) incidentChannels[sev] = channels[0];
    const copies = own ? channels.filter((c) => c !== own) : channels.slice(1);
    const targets: SeverityTargets = {
      ...(page ? { page } : {}),
      ...(notifyContacts.length ? { notify: notifyContacts } : {}),
      ...(copies.length ? { channels: copies } : {}),
    };
    if (Object.keys(targets).length > 0) severities[sev] = targets;
    for (const n of [...(page ? [page] : []), ...notifyContacts]) used.add(n);
  }

  // The postmortem section is carried out by the app's thread: asked for at the resolution, tracked, reminded.
  const postmortemWritten = policy.locations ? policy.locations.postmortem !== undefined : policy.postmortem !== undefined;
  if (postmortemWritten && !(mode.app && mode.escalation)) {
    const fix = mode.app
      ? 'give the notifier slackApp.escalation: { signingSecret } (the postmortem\'s buttons and its reminders: docs/postmortems.md#in-slack)'
      : 'postmortems are tracked in Slack app mode: give the notifier slackApp: { botTokenSecret, channel, escalation: { signingSecret } } (docs/slack-app.md)';
    problems.push(`${policyPlace(policy, 'postmortem')} postmortem: nothing asks for, tracks or reminds of a postmortem with this notifier; ${fix}; ` +
      'or remove the postmortem section (a SEV1 or SEV2 resolution still says a postmortem is due)');
  }

  // A contact's topic the notifier is subscribed to would bring the page back to it as a notification.
  const subscribed = new Set(mode.subscribedTopicArns);
  for (const name of new Set([...used, ...levelNames])) {
    const c = contacts.get(name)!;
    for (const arn of contactTopicArns(c)) {
      if (subscribed.has(arn)) {
        const at = policy.locations?.[`contacts.${name}.sns`] ? `contacts.${name}.sns` : `contacts.${name}`;
        problems.push(`${policyPlace(policy, at)} contacts.${name} pages through ${arn}, a topic this notifier is subscribed to (its page would come back ` +
          'as a notification): give the contact its own topic (the one its pager or phone subscribes to)');
      }
    }
  }
  if (problems.length > 0) {
    // In file order (a policy built in code has no lines: as found).
    const line = (p: string) => Number(/^[^\s]*?:(\d+):\d+ /.exec(p)?.[1] ?? 0);
    problems.sort((a, b) => line(a) - line(b));
    throw constructError(`SlackNotifier '${where}' cannot carry out ${policy.file} as written (${DOCS}); fix each line:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  const planned = [...new Set([...used, ...levelNames])];
  const plan: ContactPlan = { severities, contacts: Object.fromEntries(planned.map((n) => [n, planContact(contacts.get(n)!)])) };
  const unique = (names: Iterable<string>) => [...new Set([...names].flatMap((n) => contactTopicArns(contacts.get(n)!)))];
  return {
    contacts: plan,
    ...(mode.escalation ? { escalation: { severities: levels } } : {}),
    openingTopicArns: unique(used),
    levelTopicArns: unique(levelNames),
    incidentChannels,
    rotations: planned.flatMap((n) => {
      const rotation = contacts.get(n)!.rotation;
      return rotation ? [{ name: n, rotation }] : [];
    }),
    ...(postmortemWritten && policy.postmortem ? { postmortem: policy.postmortem } : {}),
  };
}
