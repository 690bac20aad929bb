// The escalation function's part in postmortems (docs/postmortems.md#in-slack): when the notifier
// reports a resolution, a qualifying incident gets its postmortem (its own item), the thread gets
// the ask, its reminders are set on the same timers as escalations (one-time schedules), and the
// parent shows it; when a reminder fires, the thread is reminded and, past the due time, the
// parent says overdue. Each side effect is claimed, so a retry repeats none that went out.
import { randomUUID } from 'crypto';
import { addBusinessDays } from '../../core/business-days';
import { DEFAULT_POSTMORTEM_SETTINGS, PostmortemSettings } from '../../core/postmortem';
import { postmortemDueRule } from '../../notification/incident-message';
import { PostmortemView, renderPostmortemAsk, renderPostmortemReminder } from '../../notification/postmortem-message';
import { AppRuntime } from '../shared/app-runtime';
import { severityPlan } from '../shared/escalation-plan';
import { PostmortemRecord, PostmortemReminder, planPostmortem, reminderTimes } from '../shared/postmortem';
import { showPostmortem } from '../shared/postmortem-sync';
import { EscalationScheduler, PostmortemReminderInput } from '../shared/scheduler';

/** What a keep or a reminder did. */
export type PostmortemOutcome =
  | { readonly kind: 'asked'; readonly incidentId: string; readonly dueAt: string; readonly reminders: number }
  | { readonly kind: 'reminded'; readonly incidentId: string; readonly reminder: PostmortemReminder }
  | { readonly kind: 'skipped'; readonly why: string };

/** A reminder's schedule name: per incident and reminder, so a repeated create is a conflict, not a second reminder. ≤ 64 characters. */
export function reminderScheduleName(incidentId: string, reminder: PostmortemReminder): string {
  return `pm-${incidentId.slice(0, 40)}-${reminder}`.replace(/[^0-9A-Za-z_.-]/g, '_');
}

/** How the messages name a postmortem. */
function viewOf(p: PostmortemRecord, settings: PostmortemSettings): PostmortemView {
  return { incidentId: p.incidentId, alarmName: p.alarmName, severity: p.severity, dueAt: p.dueAt, limitAt: p.limitAt, rule: postmortemDueRule({ ...settings, timeZone: p.timeZone }) };
}

/** Asks for postmortems and reminds of them. */
export class PostmortemKeeper {
  private readonly settings: PostmortemSettings;

  constructor(private readonly rt: AppRuntime, private readonly scheduler: EscalationScheduler, private readonly targetArn: () => string | undefined) {
    this.settings = rt.messages.postmortem ?? DEFAULT_POSTMORTEM_SETTINGS;
  }

  private get store() {
    return this.rt.store!;
  }

  /** The alarm's incident changed (the notifier asks): a qualifying resolution gets its postmortem, once. */
  async keep(alarmKey: string, deadline: number): Promise<PostmortemOutcome> {
    const { rt, store } = this;
    const r = await store.get(alarmKey);
    // Only a resolution asks; a record that shows a postmortem may need repair (an earlier attempt stopped).
    if (!r || (r.state !== 'OK' && r.postmortemState === undefined)) return { kind: 'skipped', why: 'not resolved' };
    let p = await store.getPostmortem(r.incidentId);
    if (!p) {
      const levels = severityPlan(rt.plan, r.severity)?.levels ?? [];
      const plan = planPostmortem(r, undefined, this.settings, rt.now(), rt.policy, levels.slice(0, r.escalatedLevel ?? 0));
      if (plan.kind === 'none') return { kind: 'skipped', why: plan.why };
      p = (await store.putPostmortem(plan.record, undefined)) ? plan.record : await store.getPostmortem(r.incidentId);
      if (!p) throw new Error('the postmortem could not be stored or read back');
    }
    const key = `postmortem|${p.incidentId}|ask`;
    const owner = randomUUID();
    const claim = await store.claim(key, owner, rt.now(), rt.policy.leaseMs, Math.floor((rt.now() + rt.policy.dedupeMs) / 1000));
    if (claim.kind === 'done') return { kind: 'skipped', why: 'its postmortem was asked for already (a reopen keeps it)' };
    if (claim.kind === 'busy') throw new Error('another container is asking for this postmortem; failing so Lambda retries it');
    try {
      const reminders = p.state === 'due' ? await this.setReminders(p) : 0;
      if (!claim.posted && p.ts) {
        await rt.chat.postMessage(p.channel, renderPostmortemAsk(viewOf(p, this.settings)), deadline, p.ts);
        await store.mark(key, owner, 'posted').catch(() => false);
      }
      await showPostmortem(rt, p, deadline);
      await store.mark(key, owner, 'done');
      rt.log({ level: 'info', msg: 'postmortem asked for', incidentId: p.incidentId, alarmName: p.alarmName, dueAt: new Date(p.dueAt).toISOString(), reminders });
      return { kind: 'asked', incidentId: p.incidentId, dueAt: new Date(p.dueAt).toISOString(), reminders };
    } catch (err) {
      await store.release(key, owner).catch(() => undefined);
      throw err;
    }
  }

  /** The reminders still ahead: the day before it is due, when it is due, when the limit passes. */
  private async setReminders(p: PostmortemRecord): Promise<number> {
    const before = addBusinessDays(p.resolvedAt, Math.max(0, this.settings.dueBusinessDays - 1), p.timeZone);
    const ahead = reminderTimes(p, before).filter((t) => t.at > this.rt.now() + 60_000);
    for (const t of ahead) {
      const input: PostmortemReminderInput = { source: 'cdk-runbook-alarms', kind: 'postmortem-reminder', incidentId: p.incidentId, reminder: t.reminder };
      await this.scheduler.schedule(reminderScheduleName(p.incidentId, t.reminder), t.at, input, this.targetArn());
    }
    return ahead.length;
  }

  /** A reminder fired: a postmortem still not linked (nor declined) is reminded of in the thread, once; past its due time it is overdue. */
  async remind(input: PostmortemReminderInput, deadline: number): Promise<PostmortemOutcome> {
    const { rt, store } = this;
    let p = await store.getPostmortem(input.incidentId);
    if (!p) return { kind: 'skipped', why: 'no postmortem is kept for this incident' };
    if (p.state !== 'due' && p.state !== 'overdue') return { kind: 'skipped', why: `the postmortem is ${p.state === 'linked' ? 'linked' : 'not needed'}` };
    const key = `postmortem|${p.incidentId}|${input.reminder}`;
    const owner = randomUUID();
    const claim = await store.claim(key, owner, rt.now(), rt.policy.leaseMs, Math.floor((rt.now() + rt.policy.dedupeMs) / 1000));
    if (claim.kind === 'done') return { kind: 'skipped', why: 'this reminder went out before (a duplicate fire)' };
    if (claim.kind === 'busy') throw new Error('another container is sending this reminder; failing so Lambda retries it');
    try {
      if (!claim.posted && p.ts) {
        await rt.chat.postMessage(p.channel, renderPostmortemReminder(viewOf(p, this.settings), input.reminder), deadline, p.ts);
        await store.mark(key, owner, 'posted').catch(() => false);
      }
      for (let round = 0; round < 4 && input.reminder !== 'before' && p.state === 'due'; round++) {
        const overdue: PostmortemRecord = { ...p, state: 'overdue', version: p.version + 1, updatedAt: rt.now() };
        if (await store.putPostmortem(overdue, p.version)) p = overdue;
        else p = (await store.getPostmortem(input.incidentId)) ?? p; // linked meanwhile, perhaps
      }
      await showPostmortem(rt, p, deadline);
      await store.mark(key, owner, 'done');
      return { kind: 'reminded', incidentId: p.incidentId, reminder: input.reminder };
    } catch (err) {
      await store.release(key, owner).catch(() => undefined);
      throw err;
    }
  }
}
