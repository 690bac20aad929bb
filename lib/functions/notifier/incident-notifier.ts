// The Slack app mode's flow for one notification: claim its transition (so it is posted once,
// whichever container has it), read the alarm's incident, then open it (post the parent), or reply
// in its thread and redraw the parent in place. Slack and the store are interfaces: the Lambda
// handler gives the Web API and DynamoDB, `runbook-alarms preview` a recorder and memory.
import { ownValue } from '../../core/own';
import { randomUUID } from 'crypto';
import { parseAlarmContract } from '../../core/contract';
import { DEFAULT_POSTMORTEM_SETTINGS, mayRequirePostmortem } from '../../core/postmortem';
import { IncidentMessageOptions, renderIncidentCopy, renderIncidentParent, renderIncidentReply } from '../../notification/incident-message';
import { renderNotification } from '../../notification/slack-message';
import { AlarmNotification } from '../../notification/sns-message';
import { sleep } from '../shared/delivery';
import { EscalationPlan, incidentView, severityPlan } from '../shared/escalation-plan';
import { TimerRequests } from '../shared/timer-request';
import { AlarmTransition, IncidentPolicy, IncidentRecord, notificationOf, opensPage, planIncident, transitionOf, viewOf } from '../shared/incident';
import { ContactPlan, copyChannels } from '../shared/contacts';
import { Opening, openingOf } from '../shared/opening';
import { PagePublisher, publishPages } from '../shared/sns-publish';
import { once } from '../shared/once';
import { IncidentStore, IncidentStoreError } from '../shared/incident-store';
import { DEFAULT_METRICS_NAMESPACE, incidentMetric } from '../shared/metrics';
import { RecentIds, LogEntry } from '../shared/runtime';
import { ChatMessage, SlackApiError, withPlainTextFallback } from '../shared/slack-api';
import { ParentDrawing, drawParent } from '../shared/parent-drawing';
import { slackFailure } from '../shared/slack-failure';

/** The Slack calls the flow makes (the Web API client, or a recorder). */
export interface SlackChat {
  postMessage(channel: string, message: ChatMessage, deadline: number, threadTs?: string): Promise<{ channel: string; ts: string; attempts: number }>;
  update(channel: string, ts: string, message: ChatMessage, deadline: number): Promise<{ attempts: number }>;
}

/** Which channel a notification goes to: its severity's, else its route's (by topic), else the default. */
export interface ChannelRouting {
  readonly defaultChannel: string;
  /** Severity (`SEV1`) → channel. */
  readonly severityChannels: Readonly<Record<string, string>>;
  /** Topic ARN → channel. */
  readonly topicChannels: Readonly<Record<string, string>>;
}

/** What happened to one notification. */
export type IncidentOutcome =
  | { readonly kind: 'opened' | 'replied'; readonly incidentId: string; readonly channel: string; readonly ts: string; readonly late?: boolean; readonly parentUpdated?: boolean }
  | { readonly kind: 'posted'; readonly channel: string; readonly ts: string; readonly reason: string }
  | { readonly kind: 'duplicate' };

/** Slack only learned that something arrived: the event must be kept (the invocation fails). */
export class NotShownError extends Error {
  readonly name = 'NotShownError';
}

/** The reply went out but the parent is behind after a failure a retry can overcome: fail, for Lambda to retry the update. */
export class ParentBehindError extends Error {
  readonly name = 'ParentBehindError';
}

/** Another container holds the transition or is opening the incident: fail, for Lambda to retry later. */
export class IncidentBusyError extends Error {
  readonly name = 'IncidentBusyError';
}

/** Acknowledgement and escalation, when the notifier has them. */
export interface IncidentEscalation {
  readonly plan: EscalationPlan;
  /** Keeps an incident's timer (the escalation function does, asked asynchronously). */
  readonly timers: TimerRequests;
}

/** How the flow is set up. */
export interface IncidentNotifierOptions {
  /** Acknowledge buttons on pages and their escalation timers. @default - none */
  readonly escalation?: IncidentEscalation;
  /** Namespace of the MTTR metric (Embedded Metric Format). @default DEFAULT_METRICS_NAMESPACE */
  readonly metricsNamespace?: string;
  /** Who the policy tells when an alarm opens: contacts paged through their topics, channels that get the message. @default - nobody */
  readonly contacts?: ContactPlan;
  /** The policy's service, named in pages. @default - none */
  readonly service?: string;
  /** Publishes the contacts' pages. @default - none: contacts with topics are not paged */
  readonly publisher?: PagePublisher;
  readonly chat: SlackChat;
  readonly store: IncidentStore;
  readonly channels: ChannelRouting;
  readonly policy: IncidentPolicy;
  readonly messages: IncidentMessageOptions;
  readonly log: (entry: LogEntry) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** How long to wait for another container holding a transition before failing. @default 3000 */
  readonly busyWaitMs?: number;
  /** @default 1000 */
  readonly dedupeCapacity?: number;
}

/** Posts and updates incidents in Slack, one notification at a time. */
export class IncidentNotifier {
  private readonly now: () => number;
  private readonly seen: RecentIds;
  /** Changes posted as new messages while the table was down, that an escalating incident must still record. */
  private readonly unrecorded: RecentIds;
  /** Openings whose contacts this container paged while the table was down (no claim to remember it by). */
  private readonly pagedHere: RecentIds;

  constructor(private readonly o: IncidentNotifierOptions) {
    this.now = o.now ?? Date.now;
    this.seen = new RecentIds(o.dedupeCapacity ?? 1000);
    this.unrecorded = new RecentIds(o.dedupeCapacity ?? 1000);
    this.pagedHere = new RecentIds(o.dedupeCapacity ?? 1000);
  }

  /** The channel a notification opens its incident (or posts its message) in. */
  channelFor(n: AlarmNotification): string {
    const severity = parseAlarmContract(n.alarmDescription).severity;
    // Own keys only: a topic named `constructor` must not find Object's.
    return ownValue(this.o.channels.severityChannels, severity) || ownValue(this.o.channels.topicChannels, n.topicArn) || this.o.channels.defaultChannel;
  }

  /** Handles one notification; throws when it was not delivered (the invocation must fail). */
  async notify(n: AlarmNotification, deadline: number): Promise<IncidentOutcome> {
    const t = transitionOf(n);
    const channel = this.channelFor(n);
    // Unreadable, or without a time: no incident to thread it into. Posted as it is, once per message id.
    if (!t) return this.standalone(n, channel, deadline, n.messageId ? `message#${n.messageId}` : undefined, 'not an alarm state change');
    if (this.seen.has(t.key)) return { kind: 'duplicate' };

    const owner = randomUUID();
    let claim;
    try {
      claim = await this.claim(t.key, owner, deadline);
    } catch (err) {
      if (err instanceof IncidentStoreError) return this.tableDown(t, channel, deadline, err);
      throw err;
    }
    if (claim.kind === 'done') return { kind: 'duplicate' };
    try {
      // The contacts' pagers before Slack (they do not depend on it); the other channels after the incident's own.
      const opening = await this.opening(t);
      if (opening?.pages) await this.pageContacts(t, opening.pages, owner);
      const outcome = await this.apply(t, channel, claim.posted, owner, deadline);
      if (opening && opening.channels.length > 0) await this.postCopies(t, opening.channels, owner, deadline);
      // Before the change counts as done: a timer that could not be set fails the invocation, and the retry sets it.
      if (this.o.escalation && outcome.kind !== 'posted') await this.keepTimer(t);
      await this.o.store.mark(t.key, owner, 'done').catch((err) => this.o.log({ level: 'warn', msg: 'transition not recorded as done', error: String(err?.message ?? err) }));
      this.seen.add(t.key);
      return outcome;
    } catch (err) {
      // Keep what went out (`posted`) and let the next attempt take the transition at once.
      await this.o.store.release(t.key, owner).catch(() => undefined);
      throw err;
    }
  }

  /**
   * What the transition tells when it opens the alarm's page (a first ALARM, or back in ALARM): the
   * contacts paged and the channels that get the message; undefined when it opens nothing. When the
   * table cannot say, the page is taken as opening: a page twice beats a page missed.
   */
  private async opening(t: AlarmTransition): Promise<{ pages?: Opening; channels: readonly string[] } | undefined> {
    const pages = openingOf(this.o.contacts, t.notification, this.o.service, this.now());
    const channels = t.state === 'ALARM' ? copyChannels(this.o.contacts, parseAlarmContract(t.notification.alarmDescription).severity) : [];
    if (!pages && channels.length === 0) return undefined;
    const current = await this.o.store.get(t.alarmKey).catch(() => undefined);
    return opensPage(current, t) ? { pages, channels } : undefined;
  }

  /** Pages the opening's contacts through their topics, once (a claim of its own remembers it). */
  private async pageContacts(t: AlarmTransition, opening: Opening, owner: string): Promise<void> {
    const publisher = this.o.publisher;
    if (opening.topics.length === 0 || !publisher) return;
    const count = await once(this.o.store, this.o.policy, `${t.key}|sns`, owner, this.now(), () => publishPages(publisher, opening.topics, opening.text));
    if (count) this.o.log({ level: 'info', msg: 'contacts paged', alarmName: t.notification.alarmName, contacts: opening.contacts.map((c) => c.name), topics: count });
  }

  /** Posts the message to the policy's other channels for this severity, once, pointing at the incident's thread. */
  private async postCopies(t: AlarmTransition, channels: readonly string[], owner: string, deadline: number): Promise<void> {
    const record = await this.o.store.get(t.alarmKey);
    const others = channels.filter((c) => c !== record?.channel);
    if (!record?.ts || others.length === 0) return;
    const posted = await once(this.o.store, this.o.policy, `${t.key}|copies`, owner, this.now(), async () => {
      for (const channel of others) await this.send(channel, renderIncidentCopy(t.notification, record.channel, this.o.messages), deadline);
      return true;
    });
    if (posted) this.o.log({ level: 'info', msg: 'posted to the policy\'s other channels', alarmName: t.notification.alarmName, channels: others });
  }

  /** True when the transition's incident escalates: its timer depends on the incident recording every change. */
  private escalates(t: AlarmTransition): boolean {
    return !!this.o.escalation && !!severityPlan(this.o.escalation.plan, parseAlarmContract(t.notification.alarmDescription).severity)?.levels.length;
  }

  /** An escalating incident's change the table failed to record, when trying again can help (not an item it refuses). */
  private recordLater(t: AlarmTransition, err: unknown): boolean {
    return (err as IncidentStoreError)?.code !== 'ValidationException' && this.escalates(t);
  }

  /**
   * The table failed after the message went out: the incident (the parent, its timer) is behind.
   * An escalating incident must not stay so (its timer would page after an OK, or never be set):
   * fail, for Lambda to retry recording it; any other returns `outcome`.
   */
  private behind(t: AlarmTransition, msg: string, err: unknown, outcome: IncidentOutcome): IncidentOutcome {
    this.o.log({ level: 'error', msg, alarmName: t.notification.alarmName, error: (err as Error)?.message, fix: TABLE_FIX });
    if (this.recordLater(t, err)) throw new Error(msg + RECORD_LATER);
    return outcome;
  }

  /** A resolution that may need a postmortem: the escalation function asks for it (and sets its reminders). */
  private mayAskPostmortem(t: AlarmTransition): boolean {
    return t.state === 'OK' && mayRequirePostmortem(parseAlarmContract(t.notification.alarmDescription).severity, this.o.messages.postmortem ?? DEFAULT_POSTMORTEM_SETTINGS);
  }

  /**
   * Has the incident's escalation timer set (an ALARM of a page) or cancelled (an OK, an
   * INSUFFICIENT_DATA), and a qualifying resolution's postmortem asked for: the escalation function does both.
   */
  private async keepTimer(t: AlarmTransition): Promise<void> {
    if (!this.escalates(t) && !this.mayAskPostmortem(t)) return;
    // A failure fails the invocation (the message went out; the retry asks again).
    await this.o.escalation!.timers.request(t.alarmKey).catch((err) => {
      throw new Error(`escalation timer not requested: ${err?.name}: ${err?.message}`);
    });
  }

  /** The parent's view: with its Acknowledge button and escalation when the plan covers the severity. */
  private view(r: IncidentRecord) {
    return incidentView(r, this.o.escalation?.plan);
  }

  /** Keeps the incident a new one replaces, for the reports; paging never waits on it. */
  private async keep(r: IncidentRecord): Promise<void> {
    await this.o.store.keep(r).catch((err) => this.o.log({ level: 'error', msg: 'the replaced incident was not kept for the reports', incidentId: r.incidentId, alarmName: r.alarmName, error: (err as Error)?.message }));
  }

  /** One incident's time to resolve, as a metric (once: at its first resolution). */
  private measured(before: IncidentRecord, after: IncidentRecord): void {
    if (after.mttrSeconds === undefined || before.mttrSeconds !== undefined || !after.severity) return;
    this.o.log(incidentMetric(this.o.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE, 'MTTR', after.severity, after.mttrSeconds, this.now(),
      { incidentId: after.incidentId, alarmName: after.alarmName }, this.o.service));
  }

  /** Claims the transition; waits a little while another container holds it, then gives up (busy). */
  private async claim(key: string, owner: string, deadline: number): Promise<{ kind: 'claimed'; posted: boolean } | { kind: 'done' }> {
    // The claim's item expires (TTL) once no duplicate can arrive any more (dedupeMs).
    const exp = Math.floor((this.now() + this.o.policy.dedupeMs) / 1000);
    const waitUntil = this.waitLimit(deadline);
    for (;;) {
      const claim = await this.o.store.claim(key, owner, this.now(), this.o.policy.leaseMs, exp);
      if (claim.kind !== 'busy') return claim;
      await this.waitForOther(waitUntil, `another container is handling this state change${RETRY} (it is then done, or free)`);
    }
  }

  /** How long to wait for another container: a few seconds, and never past a second before the deadline. */
  private waitLimit(deadline: number): number {
    return Math.min(this.now() + (this.o.busyWaitMs ?? 3000), deadline - 1000);
  }

  /** Waits a little for another container, or gives up (busy, with `why`) when that would pass `waitUntil`. */
  private async waitForOther(waitUntil: number, why: string): Promise<void> {
    if (this.now() + 250 > waitUntil) throw new IncidentBusyError(why);
    await sleep(250);
  }

  private async apply(t: AlarmTransition, channel: string, alreadyPosted: boolean, owner: string, deadline: number): Promise<IncidentOutcome> {
    let posted = alreadyPosted;
    // Set once this attempt's reply went out: what to report if the rest cannot be done.
    let replied: IncidentOutcome | undefined;
    let waitUntil: number | undefined;
    for (let round = 0; round < 6; round++) {
      let current: IncidentRecord | undefined;
      try {
        current = await this.o.store.get(t.alarmKey);
      } catch (err) {
        if (!(err instanceof IncidentStoreError)) throw err;
        if (!posted) return this.tableDown(t, channel, deadline, err);
        // The message went out in an earlier attempt; only the parent is behind.
        return this.behind(t, 'incident table unavailable: the parent was not updated', err, replied ?? { kind: 'duplicate' });
      }
      const plan = planIncident(current, t, { now: this.now(), channel, policy: this.o.policy, newId: randomUUID });
      if (plan.kind === 'busy') {
        await this.waitForOther(waitUntil ??= this.waitLimit(deadline), `another container is posting this incident's first message${RETRY}`);
        continue;
      }
      if (plan.kind === 'open' || plan.kind === 'resume') {
        // This state change's message already went out (an earlier attempt): nothing left to post.
        if (posted) return replied ?? { kind: 'duplicate' };
        const record = plan.kind === 'resume' ? plan.record : plan.next;
        if (plan.kind === 'open') {
          let written: boolean;
          try {
            written = await this.o.store.put(plan.next, plan.expectedVersion);
          } catch (err) {
            if (err instanceof IncidentStoreError) return this.tableDown(t, channel, deadline, err);
            throw err;
          }
          if (!written) continue; // another container changed the incident: read it again
          if (current && current.incidentId !== record.incidentId && current.ts !== undefined && current.firedAt !== undefined) await this.keep(current);
        }
        const parent = this.drawing.render(record);
        const sent = await this.send(record.channel, parent, deadline);
        await this.o.store.mark(t.key, owner, 'posted').catch(() => false);
        let stored: IncidentRecord | undefined;
        try {
          stored = await this.storeParent(record, sent);
          if (!stored) this.o.log({ level: 'error', msg: 'incident changed while its first message was posted; later notifications may open another thread', incidentId: record.incidentId });
        } catch (err) {
          this.behind(t, 'incident table unavailable after posting: later notifications of this alarm open a new thread', err, { kind: 'duplicate' });
        }
        // Changed while it was posted (an acknowledgement of the message just shown): draw that too.
        if (stored && JSON.stringify(this.drawing.render(stored)) !== JSON.stringify(parent)) await this.bringParentUpToDate(stored, deadline);
        this.o.log({ level: 'info', msg: 'incident opened in slack', alarmName: record.alarmName, incidentId: record.incidentId, channel: sent.channel, ts: sent.ts, attempts: sent.attempts });
        if (record.firedAt !== undefined && record.severity) {
          this.o.log(incidentMetric(this.o.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE, 'Incidents', record.severity, 1, this.now(), { incidentId: record.incidentId, alarmName: record.alarmName }, this.o.service));
        }
        return { kind: 'opened', incidentId: record.incidentId, channel: sent.channel, ts: sent.ts };
      }

      // A thread exists: reply, then bring the record and the parent up to date.
      const record = plan.record;
      const about = { kind: 'replied' as const, incidentId: record.incidentId, channel: record.channel, ts: record.ts!, late: plan.late };
      // The incident already shows this very state change (its parent was posted for it): a duplicate.
      if (plan.applied && !posted) return { kind: 'duplicate' };
      if (plan.applied && replied) return { ...about, parentUpdated: await this.bringParentUpToDate(record, deadline) };
      if (!posted) {
        const reply = renderIncidentReply(t.notification, viewOf(plan.next ?? record), { previousState: record.state, late: plan.late }, this.o.messages);
        const sent = await this.send(record.channel, reply, deadline, record.ts!);
        posted = true;
        replied = { ...about, parentUpdated: false };
        await this.o.store.mark(t.key, owner, 'posted').catch(() => false);
        this.o.log({ level: 'info', msg: 'replied in the incident thread', alarmName: record.alarmName, incidentId: record.incidentId, channel: record.channel, ts: sent.ts, late: plan.late, attempts: sent.attempts });
      }
      let shown = record;
      if (plan.next) {
        let written: boolean;
        try {
          written = await this.o.store.put(plan.next, record.version);
        } catch (err) {
          return this.behind(t, 'incident table unavailable: the reply went out, the parent was not updated', err, { ...about, parentUpdated: false });
        }
        if (!written) continue; // changed meanwhile: plan the parent again from what is stored now
        shown = plan.next;
        this.measured(record, plan.next);
      } else if (!plan.applied) {
        // A late notification that changes nothing the parent shows.
        return { ...about, parentUpdated: false };
      }
      // (plan.applied here: an earlier attempt replied and stored the state; the parent may be behind.)
      return { ...about, parentUpdated: await this.bringParentUpToDate(shown, deadline) };
    }
    throw new IncidentBusyError(`the incident kept changing while this notification was applied${RETRY}`);
  }

  /**
   * Records where the parent of the incident `opened` was posted, over whatever this incident became
   * meanwhile (nothing but an acknowledgement can change it before its parent is known); undefined
   * when the alarm's incident is another one now.
   */
  private async storeParent(opened: IncidentRecord, sent: { channel: string; ts: string }): Promise<IncidentRecord | undefined> {
    let current: IncidentRecord | undefined = opened;
    for (let round = 0; round < 3 && current?.incidentId === opened.incidentId && current.ts === undefined; round++) {
      const next = { ...current, channel: sent.channel, ts: sent.ts, version: current.version + 1, updatedAt: this.now() };
      if (await this.o.store.put(next, current.version)) return next;
      current = await this.o.store.get(opened.alarmKey);
    }
    return undefined;
  }

  /**
   * Brings the parent to the stored state by the shared drawing rule (../shared/parent-drawing);
   * when Slack failed in a way a later attempt can overcome (a timeout, a rate limit, an outage),
   * throws so the invocation fails and Lambda retries it: the reply is not posted again (the
   * transition is marked posted), and the retry only redraws the parent. Otherwise the parent could
   * stay behind for good when this was the alarm's last change.
   */
  private async bringParentUpToDate(record: IncidentRecord, deadline: number): Promise<boolean> {
    const drawn = await drawParent(this.drawing, record.alarmKey, record.incidentId, deadline, record);
    if (drawn.kind !== 'behind') return drawn.kind === 'current';
    this.o.log({ level: 'error', msg: `incident parent not updated (the thread reply went out)${drawn.retry ? '; the invocation fails so Lambda retries the update' : ''}`,
      alarmName: record.alarmName, incidentId: record.incidentId, ...slackFailure(drawn.error) });
    if (drawn.retry) throw new ParentBehindError('the thread reply went out but the parent could not be updated yet; failing so Lambda retries the update');
    return false;
  }

  /** Posts a message (a reply with `threadTs`); Slack refusing its content gets its plain `text` instead. */
  private send(channel: string, message: ChatMessage, deadline: number, threadTs?: string): Promise<{ channel: string; ts: string; attempts: number }> {
    return withPlainTextFallback((m) => this.o.chat.postMessage(channel, m, deadline, threadTs), message, this.plainText);
  }

  private readonly plainText = (err: SlackApiError) => this.o.log({ level: 'error', msg: 'slack refused the message, sending it as plain text', ...slackFailure(err) });

  /** How this notifier draws parents (the rule every function shares). */
  private get drawing(): ParentDrawing {
    return { store: this.o.store, chat: this.o.chat, render: (r) => renderIncidentParent(notificationOf(r), this.view(r), this.o.messages), onPlainText: this.plainText };
  }

  /** A message outside any incident: posted once per container (and, when `claimKey` is given and the table answers, once overall). */
  private async standalone(n: AlarmNotification, channel: string, deadline: number, claimKey: string | undefined, reason: string): Promise<IncidentOutcome> {
    if (claimKey && this.seen.has(claimKey)) return { kind: 'duplicate' };
    const owner = randomUUID();
    let claimed = false;
    if (claimKey) {
      try {
        const claim = await this.claim(claimKey, owner, deadline);
        if (claim.kind === 'done' || claim.posted) return { kind: 'duplicate' };
        claimed = true;
      } catch (err) {
        if (!(err instanceof IncidentStoreError)) throw err;
        this.o.log({ level: 'error', msg: 'incident table unavailable: duplicates are detected per container only', error: err.message, fix: TABLE_FIX });
      }
    }
    try {
      // Never throws: a notification that cannot be rendered as designed comes in the "could not
      // be read" form, or, past that, as a bare notice that must fail the invocation to keep the event.
      const rendered = renderNotification(n, this.o.messages);
      if (rendered.form !== 'whole') this.o.log({ level: 'error', msg: 'notification rendered in a fallback form', form: rendered.form, problem: rendered.problem });
      const sent = await this.send(channel, rendered.message, deadline);
      if (rendered.form === 'notice') throw new NotShownError('notification could not be shown; failing the invocation to keep it');
      if (claimKey) this.seen.add(claimKey);
      if (claimed) await this.o.store.mark(claimKey!, owner, 'done').catch(() => false);
      this.o.log({ level: 'info', msg: 'posted to slack as a new message', alarmName: n.alarmName, reason, channel: sent.channel, ts: sent.ts, attempts: sent.attempts });
      return { kind: 'posted', channel: sent.channel, ts: sent.ts, reason };
    } catch (err) {
      if (claimed) await this.o.store.release(claimKey!, owner).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The table cannot be used: the message still goes out, as a new message, and the error is
   * logged. An escalating incident must still record the change: the invocation then fails, and
   * Lambda's retries (this container posting nothing again) record it once the table answers.
   */
  private async tableDown(t: AlarmTransition, channel: string, deadline: number, err: IncidentStoreError): Promise<IncidentOutcome> {
    const n = t.notification;
    this.o.log({ level: 'error', msg: 'incident table unavailable: posting the notification as a new message', alarmName: n.alarmName, error: err.message, code: err.code, fix: TABLE_FIX });
    // Without the table, this container remembers the pages it sent; another may send them again.
    const pages = openingOf(this.o.contacts, n, this.o.service, this.now());
    if (pages && pages.topics.length > 0 && this.o.publisher && !this.pagedHere.has(t.key)) {
      await publishPages(this.o.publisher, pages.topics, pages.text);
      this.pagedHere.add(t.key);
    }
    const o = this.unrecorded.has(t.key) ? undefined : await this.standalone(n, channel, deadline, undefined, 'incident table unavailable');
    if (this.recordLater(t, err)) {
      this.unrecorded.add(t.key);
      throw new Error('incident table unavailable: posted as a new message' + RECORD_LATER);
    }
    this.seen.add(t.key);
    // Not posted now: an earlier attempt on this container posted it.
    return o ?? { kind: 'duplicate' };
  }
}

const RECORD_LATER = '; failing so Lambda retries recording it (its escalation depends on it)';
/** How the busy errors end (the invocation fails; Lambda's retry finds the other container done). */
const RETRY = '; failing so Lambda retries it';

const TABLE_FIX = 'check that the incident table exists, that the function\'s role may use it and its KMS key, and the DynamoDB service health; ' +
  'until then each notification is posted as a new message';
