// The escalation plan the SlackNotifier hands its functions, from an escalation policy: page
// severities (their parents carry an Acknowledge button), each one's levels (`then`, escalate_after
// apart) and the contacts they page. Checked at synth: escalation needs contacts, and every name
// paged must be one of them.
import { EscalationPolicy } from '../../policy/policy';
import { Route, Severity } from '../../core/severity';
import { encodePlan } from '../../functions/shared/config';
import { EscalationPlan } from '../../functions/shared/escalation-plan';

/** Lambda's environment holds 4 KB in all; the plan leaves room for the rest. */
export const MAX_PLAN_CHARACTERS = 2500;

/** The plan, the contacts' topics (the escalation function may publish to these only) and the page contacts' mentions per severity. */
export interface BuiltPlan {
  readonly plan: EscalationPlan;
  readonly encoded: string;
  readonly topicArns: string[];
  readonly pageMentions: Array<{ severity: Severity; mention: string }>;
}

/** Builds the plan; throws, naming the file, when the policy cannot drive escalation. */
export function buildEscalationPlan(where: string, policy: EscalationPolicy | undefined): BuiltPlan {
  if (!policy) {
    throw new Error(`SlackNotifier '${where}': slackApp.escalation needs an escalation policy: give escalation.policy, ` +
      'or a routing read from one (AlertRouting.fromFile(this, \'Routing\', \'escalation-policy.yaml\'))');
  }
  const contacts = policy.contacts;
  if (!contacts || contacts.length === 0) {
    throw new Error(`SlackNotifier '${where}': ${policy.file} has no contacts: section; escalation pages contacts. Add, e.g.\n` +
      'contacts:\n  primary_oncall:\n    slack: "<@U0123ABCD>"\n    sns: arn:aws:sns:eu-west-1:123456789012:primary-pager');
  }
  const known = new Map(contacts.map((c) => [c.name, c]));
  const severities: Record<string, { afterMinutes: number; levels: string[] }> = {};
  const pageMentions: Array<{ severity: Severity; mention: string }> = [];
  const used = new Set<string>();
  for (const r of policy.routing) {
    if (r.route !== Route.PAGE) continue;
    const levels = r.escalateTo ?? (r.then ? [r.then] : []);
    for (const name of [...(r.page ? [r.page] : []), ...levels]) {
      // The parser already refuses these with file:line:col; a policy built in code gets the same rule here.
      if (!known.has(name)) throw new Error(`SlackNotifier '${where}': ${policy.file}: ${r.severity} pages "${name}", which is not a contact (contacts: ${[...known.keys()].join(', ')})`);
    }
    // Only the levels' contacts are reached by the functions (the page contact is mentioned on the parent).
    for (const name of levels) used.add(name);
    severities[r.severity] = { afterMinutes: levels.length > 0 ? r.escalateAfterMinutes ?? 0 : 0, levels: r.escalateAfterMinutes ? levels : [] };
    const mention = r.page ? known.get(r.page)?.slackMention : undefined;
    if (mention) pageMentions.push({ severity: r.severity, mention });
  }
  const plan: EscalationPlan = {
    severities,
    contacts: Object.fromEntries([...used].map((n) => {
      const c = known.get(n)!;
      return [n, { ...(c.slackMention ? { mention: c.slackMention } : {}), ...(c.snsTopicArn ? { topicArn: c.snsTopicArn } : {}) }];
    })),
  };
  const encoded = encodePlan(plan);
  if (encoded.length > MAX_PLAN_CHARACTERS) {
    throw new Error(`SlackNotifier '${where}': the escalation plan of ${policy.file} takes ${encoded.length} characters, more than the ${MAX_PLAN_CHARACTERS} ` +
      'that fit the functions\' environment (4 KB in all): use fewer or shorter contact names, or user groups instead of many users');
  }
  const topicArns = [...new Set(Object.values(plan.contacts).flatMap((c) => (c.topicArn ? [c.topicArn] : [])))];
  return { plan, encoded, topicArns, pageMentions };
}
