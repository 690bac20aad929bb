// Incidents of the Slack app mode: the record an alarm's incident keeps (its Slack thread, its
// state by the alarm's own timestamps), the transitions between states as pure functions, and the
// conditional writes that make them hold across containers: one item per alarm (its current
// incident, written only if its version is still the one read) and one per transition (claimed by
// one container at a time, so each is posted once). DynamoDB in production, memory for previews.
import { parseAlarmContract } from '../core/contract';
import { AlarmNotification, cloudWatchTime } from '../notification/sns-message';
import { IncidentView } from '../notification/incident-message';
import { SHORT_CALLS, lazySdk, sdkErrorText } from './runtime';

/** An alarm's current incident, as stored. */
export interface IncidentRecord {
  /** The alarm (its ARN, else account, region and name). */
  readonly alarmKey: string;
  readonly incidentId: string;
  readonly alarmName: string;
  readonly severity?: string;
  /** Where the thread is: a channel ID once the parent is posted. */
  readonly channel: string;
  /** The parent message's ts; unset while the parent is being posted. */
  readonly ts?: string;
  /** The transition that opened the incident, and when (wall clock, epoch ms): the opening's lease. */
  readonly openedBy: string;
  readonly openedAt: number;
  /** The alarm's StateChangeTime of the first ALARM (epoch ms), when known. */
  readonly firedAt?: number;
  /** The latest state by the alarm's timestamps, and when the alarm entered it. */
  readonly state: string;
  readonly stateAt: number;
  /** When it was last resolved (an OK), while not back in ALARM. */
  readonly resolvedAt?: number;
  /** When the alarm last entered ALARM (its StateChangeTime): escalation counts from here. */
  readonly alarmedAt?: number;
  /** When a person acknowledged it (wall clock, epoch ms): the first acknowledgement wins. */
  readonly acknowledgedAt?: number;
  /** Who acknowledged it: a Slack user ID (`U0123ABCD`). */
  readonly acknowledgedBy?: string;
  /** How many escalation levels have fired (0 or unset: none). */
  readonly escalatedLevel?: number;
  /** When the latest escalation level fired (epoch ms). */
  readonly escalatedAt?: number;
  /** The pending escalation's one-time schedule (its name), and when it fires. */
  readonly escalationSchedule?: string;
  readonly escalationAt?: number;
  /** Time to acknowledge (acknowledged − fired), seconds, once acknowledged. */
  readonly mttaSeconds?: number;
  /** Time to resolve (first resolution − fired), seconds, once resolved. */
  readonly mttrSeconds?: number;
  /** How often it went back to ALARM after a resolution. */
  readonly reopened: number;
  /** The notification of the latest state (JSON of an AlarmNotification): any container can redraw the parent from it. */
  readonly notification: string;
  /** Bumped by every write; a write succeeds only if the stored version is the one read. */
  readonly version: number;
  readonly updatedAt: number;
  /** DynamoDB TTL (epoch seconds): the record goes this long after its last change. */
  readonly expiresAt: number;
}

/** One state change of one alarm, identified by the alarm, the state and the alarm's own time. */
export interface AlarmTransition {
  readonly alarmKey: string;
  /** Same key for every delivery of this change (two topics, SNS redelivery, Lambda retries). */
  readonly key: string;
  readonly state: string;
  /** The alarm's StateChangeTime, epoch ms. */
  readonly at: number;
  readonly notification: AlarmNotification;
}

/** How incidents behave. */
export interface IncidentPolicy {
  /** An ALARM this soon after a resolution reopens the incident instead of opening a new one. */
  readonly reopenWindowMs: number;
  /** How long a container holds a transition or an opening before another may take it over. */
  readonly leaseMs: number;
  /** How long an incident is kept after its last change. */
  readonly retentionMs: number;
  /** How long a transition is remembered as done (duplicates of it are skipped). */
  readonly dedupeMs: number;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  reopenWindowMs: 3600_000,
  leaseMs: 75_000,
  retentionMs: 90 * 86400_000,
  // Longer than SNS and Lambda keep retrying (6 h) plus the failure queue's 14 days of re-drives.
  dedupeMs: 15 * 86400_000,
};

/** The transition a notification reports, or undefined when it cannot belong to an incident (unreadable, no time). */
export function transitionOf(n: AlarmNotification): AlarmTransition | undefined {
  if (n.unreadableMessage !== undefined) return undefined;
  const at = cloudWatchTime(n.stateChangeTime);
  if (at === undefined) return undefined;
  const alarmKey = n.alarmArn ?? `${n.accountId ?? '?'}:${n.regionName ?? '?'}:${n.alarmName}`;
  return { alarmKey, key: `${alarmKey}|${n.newState}|${at}`, state: n.newState, at, notification: n };
}

/** What the parent shows for a record: the record itself has every field of the view. */
export function viewOf(r: IncidentRecord): IncidentView {
  return r;
}

/** Whole seconds from `from` to `to` (never negative). */
export function secondsBetween(from: number, to: number): number {
  return Math.max(0, Math.round((to - from) / 1000));
}

/** The notification a record keeps, for redrawing its parent. */
export function notificationOf(r: IncidentRecord): AlarmNotification {
  return JSON.parse(r.notification) as AlarmNotification;
}

// Composite alarms can list many children; the parent shows 20 at most, and DynamoDB items stop at 400 KB.
function storedNotification(n: AlarmNotification): string {
  const kept = n.triggeringChildren && n.triggeringChildren.length > 20 ? { ...n, triggeringChildren: n.triggeringChildren.slice(0, 20) } : n;
  return JSON.stringify(kept);
}

/** What to do with a transition, given the alarm's incident as read. */
export type IncidentPlan =
  /** Open a new incident: write `next` (expecting the version read), then post its parent. */
  | { readonly kind: 'open'; readonly next: IncidentRecord; readonly expectedVersion: number | undefined }
  /** This transition opened the incident but its parent was not posted (an earlier attempt failed): post it. */
  | { readonly kind: 'resume'; readonly record: IncidentRecord }
  /** Another container is posting the parent right now. */
  | { readonly kind: 'busy'; readonly record: IncidentRecord }
  /**
   * Reply in the thread; then write `next`, if any, expecting `record`'s version, and redraw the
   * parent. `late`: older than the state shown. `applied`: the record already shows this transition.
   */
  | { readonly kind: 'reply'; readonly record: IncidentRecord; readonly next?: IncidentRecord; readonly late: boolean; readonly applied: boolean };

/** What planning needs besides the record and the transition. */
export interface PlanContext {
  readonly now: number;
  /** The channel a new incident goes to. */
  readonly channel: string;
  readonly policy: IncidentPolicy;
  readonly newId: () => string;
}

function expiry(now: number, policy: IncidentPolicy): number {
  return Math.floor((now + policy.retentionMs) / 1000);
}

function opening(current: IncidentRecord | undefined, t: AlarmTransition, ctx: PlanContext): IncidentRecord {
  return {
    alarmKey: t.alarmKey,
    incidentId: ctx.newId(),
    alarmName: t.notification.alarmName,
    severity: parseAlarmContract(t.notification.alarmDescription).severity,
    channel: ctx.channel,
    openedBy: t.key,
    openedAt: ctx.now,
    firedAt: t.state === 'ALARM' ? t.at : undefined,
    alarmedAt: t.state === 'ALARM' ? t.at : undefined,
    state: t.state,
    stateAt: t.at,
    resolvedAt: t.state === 'OK' ? t.at : undefined,
    reopened: 0,
    notification: storedNotification(t.notification),
    version: (current?.version ?? 0) + 1,
    updatedAt: ctx.now,
    expiresAt: expiry(ctx.now, ctx.policy),
  };
}

/** A later ALARM opens a new incident when the last one was resolved longer ago than the reopen window. */
function startsNewIncident(current: IncidentRecord, t: AlarmTransition, policy: IncidentPolicy): boolean {
  return current.ts !== undefined && t.state === 'ALARM' && current.state !== 'ALARM' && t.at > current.stateAt &&
    current.resolvedAt !== undefined && t.at - current.resolvedAt > policy.reopenWindowMs;
}

/** The record after a transition of an incident that has a thread. */
function applied(current: IncidentRecord, t: AlarmTransition, ctx: PlanContext): { next?: IncidentRecord; late: boolean; applied: boolean } {
  const base = { version: current.version + 1, updatedAt: ctx.now, expiresAt: expiry(ctx.now, ctx.policy) };
  if (t.at === current.stateAt && t.state === current.state) return { late: false, applied: true };
  if (t.at <= current.stateAt) {
    // Out of order: the parent keeps the latest state, but an earlier ALARM still tells when it fired.
    const earlierFire = t.state === 'ALARM' && (current.firedAt === undefined || t.at < current.firedAt);
    if (!earlierFire) return { late: true, applied: false, next: undefined };
    // An OK that came first learns how long the incident took.
    const mttr = current.mttrSeconds ?? (current.resolvedAt !== undefined ? secondsBetween(t.at, current.resolvedAt) : undefined);
    return { late: true, applied: false, next: { ...current, ...base, firedAt: t.at, mttrSeconds: mttr } };
  }
  const next: IncidentRecord = { ...current, ...base, state: t.state, stateAt: t.at, notification: storedNotification(t.notification) };
  if (t.state === 'ALARM') {
    const reopened = current.resolvedAt !== undefined;
    // Escalation counts from the moment it (re)entered ALARM, not from a repeated ALARM.
    const alarmedAt = current.state === 'ALARM' ? current.alarmedAt ?? current.stateAt : t.at;
    return { late: false, applied: false, next: { ...next, firedAt: current.firedAt ?? t.at, alarmedAt, resolvedAt: undefined, reopened: current.reopened + (reopened ? 1 : 0) } };
  }
  if (t.state === 'OK') {
    // Time to resolve is the first resolution's: a reopened incident keeps it (the parent shows the latest duration).
    const mttr = current.mttrSeconds ?? (current.firedAt !== undefined ? secondsBetween(current.firedAt, t.at) : undefined);
    return { late: false, applied: false, next: { ...next, resolvedAt: t.at, mttrSeconds: mttr } };
  }
  return { late: false, applied: false, next };
}

/** Decides what a transition does to the alarm's incident (pure: the caller reads, writes and posts). */
export function planIncident(current: IncidentRecord | undefined, t: AlarmTransition, ctx: PlanContext): IncidentPlan {
  if (!current || startsNewIncident(current, t, ctx.policy)) return { kind: 'open', next: opening(current, t, ctx), expectedVersion: current?.version };
  if (current.ts === undefined) {
    if (current.openedBy === t.key) return { kind: 'resume', record: current };
    // The opener died after writing and before posting: start over with this transition.
    if (ctx.now - current.openedAt > ctx.policy.leaseMs) return { kind: 'open', next: opening(current, t, ctx), expectedVersion: current.version };
    return { kind: 'busy', record: current };
  }
  return { kind: 'reply', record: current, ...applied(current, t, ctx) };
}

/** What an acknowledgement does to an incident, as read. */
export type AcknowledgementPlan =
  /** Write `next` over `record`'s version. */
  | { readonly kind: 'acknowledge'; readonly record: IncidentRecord; readonly next: IncidentRecord }
  /** Somebody was first: nothing changes. */
  | { readonly kind: 'already'; readonly record: IncidentRecord }
  /** Resolved: there is nothing to acknowledge. */
  | { readonly kind: 'resolved'; readonly record: IncidentRecord }
  /** The button belongs to an earlier incident of this alarm (or none is stored). */
  | { readonly kind: 'gone'; readonly record?: IncidentRecord };

/** The first acknowledgement wins; one of a resolved or replaced incident changes nothing (pure). */
export function planAcknowledgement(current: IncidentRecord | undefined, incidentId: string, user: string, now: number, policy: IncidentPolicy): AcknowledgementPlan {
  if (!current || current.incidentId !== incidentId) return { kind: 'gone', record: current };
  if (current.acknowledgedAt !== undefined) return { kind: 'already', record: current };
  if (current.state === 'OK') return { kind: 'resolved', record: current };
  const next: IncidentRecord = {
    ...current,
    acknowledgedAt: now,
    acknowledgedBy: user,
    mttaSeconds: current.firedAt !== undefined ? secondsBetween(current.firedAt, now) : undefined,
    version: current.version + 1,
    updatedAt: now,
    expiresAt: expiry(now, policy),
  };
  return { kind: 'acknowledge', record: current, next };
}

/** How a severity escalates: after how long, and who is paged at each level. */
export interface SeverityEscalationPlan {
  readonly afterMinutes: number;
  /** Contact names, one per level. */
  readonly levels: readonly string[];
}

/**
 * A schedule's name: unique per incident, level and the moment the level counts from (`since`,
 * epoch ms), so a repeated create is a conflict, not a second timer, while a page back in ALARM
 * gets a timer of its own rather than the one left from before its resolution. ≤ 64 characters.
 */
export function escalationScheduleName(incidentId: string, level: number, since?: number): string {
  const from = since === undefined ? '' : `-${Math.floor(since / 1000).toString(36)}`;
  return `esc-${incidentId.slice(0, 40)}-${level}${from}`.replace(/[^0-9A-Za-z_.-]/g, '_').slice(0, 64);
}

/** The moment an incident's next escalation level counts from: when it (re)entered ALARM, or when the last level fired. */
export function escalationSince(r: IncidentRecord): number {
  return Math.max(r.alarmedAt ?? r.firedAt ?? r.stateAt, r.escalatedAt ?? 0);
}

/** What a timer must do so that the incident's escalation matches its state. */
export type EscalationTimerPlan =
  | { readonly kind: 'none' }
  /** Create the schedule for `level` at `at`, then record it. */
  | { readonly kind: 'schedule'; readonly level: number; readonly name: string; readonly at: number; readonly since: number }
  /** Delete the pending schedule, then record that none is pending. */
  | { readonly kind: 'cancel'; readonly name: string };

/** A timer is never set closer than this: the schedule fires within its minute, and must exist before it. */
export const ESCALATION_MIN_LEAD_MS = 60_000;

/**
 * Pure: an unacknowledged incident in ALARM with levels left has a schedule for its next level,
 * `escalate_after` after it entered ALARM (or after the last level fired); any other incident has none.
 */
export function planEscalationTimer(r: IncidentRecord, plan: SeverityEscalationPlan | undefined, now: number): EscalationTimerPlan {
  const next = (r.escalatedLevel ?? 0) + 1;
  const wanted = plan !== undefined && plan.levels.length >= next && r.ts !== undefined && r.state === 'ALARM' && r.acknowledgedAt === undefined;
  if (!wanted) return r.escalationSchedule ? { kind: 'cancel', name: r.escalationSchedule } : { kind: 'none' };
  const since = escalationSince(r);
  const name = escalationScheduleName(r.incidentId, next, since);
  if (r.escalationSchedule === name) return { kind: 'none' };
  const at = Math.max(since + plan!.afterMinutes * 60_000, now + ESCALATION_MIN_LEAD_MS);
  return { kind: 'schedule', level: next, name, at: Math.ceil(at / 1000) * 1000, since };
}

/** What a fired schedule does: escalate to `level` (writing `next` over `record`), or nothing, and why. */
export type EscalationFirePlan =
  | { readonly kind: 'escalate'; readonly record: IncidentRecord; readonly next: IncidentRecord }
  /** This level was recorded by an earlier attempt (its notifications may not have all gone out). */
  | { readonly kind: 'recorded'; readonly record: IncidentRecord }
  | { readonly kind: 'skip'; readonly why: string };

/**
 * Pure: a fired level escalates only an unacknowledged incident, still in ALARM, whose previous
 * level is the last fired, and only when the timer counted from the incident's current `since`
 * (a timer set before a resolution, whose delete failed, is stale once the page is back in ALARM).
 * `since` unset (a timer of an earlier version): not checked.
 */
export function planEscalationFire(current: IncidentRecord | undefined, incidentId: string, level: number, now: number, policy: IncidentPolicy, since?: number): EscalationFirePlan {
  if (!current || current.incidentId !== incidentId) return { kind: 'skip', why: 'the incident is over (a newer one, or none, is stored)' };
  if (current.state !== 'ALARM') return { kind: 'skip', why: `the incident is ${current.state === 'OK' ? 'resolved' : current.state}, not in ALARM` };
  if (current.acknowledgedAt !== undefined) return { kind: 'skip', why: 'the incident was acknowledged' };
  const done = current.escalatedLevel ?? 0;
  if (done >= level) return { kind: 'recorded', record: current };
  if (done !== level - 1) return { kind: 'skip', why: `level ${level} fired before level ${done + 1}` };
  if (since !== undefined && since !== escalationSince(current)) return { kind: 'skip', why: 'a stale timer: the incident re-entered ALARM after it was set (its own timer escalates it)' };
  const name = escalationScheduleName(incidentId, level, since);
  const next: IncidentRecord = {
    ...current,
    escalatedLevel: level,
    escalatedAt: now,
    // This schedule has fired (and deletes itself); the timer sets the next one.
    escalationSchedule: current.escalationSchedule === name ? undefined : current.escalationSchedule,
    escalationAt: current.escalationSchedule === name ? undefined : current.escalationAt,
    version: current.version + 1,
    updatedAt: now,
    expiresAt: expiry(now, policy),
  };
  return { kind: 'escalate', record: current, next };
}

/** How a claim on a transition went. */
export type ClaimResult =
  /** Ours now; `posted` when an earlier attempt already sent its message. */
  | { readonly kind: 'claimed'; readonly posted: boolean }
  /** Handled completely before: a duplicate. */
  | { readonly kind: 'done' }
  /** Another container holds it (for less than the lease). */
  | { readonly kind: 'busy' };

/** The table could not be used (unreachable, denied, throttled): not a lost race. */
export class IncidentStoreError extends Error {
  constructor(message: string, public readonly code: string | undefined) {
    super(message);
    this.name = 'IncidentStoreError';
  }
}

/** Where incidents and transition claims live. Every write is conditional. */
export interface IncidentStore {
  /** The alarm's current incident (a strongly consistent read). */
  get(alarmKey: string): Promise<IncidentRecord | undefined>;
  /** Writes `next` if the stored incident still has `expectedVersion` (undefined: none stored). False when it changed. */
  put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
  /** Takes the transition for `owner`, unless it is done or another owner took it less than `leaseMs` ago. */
  claim(key: string, owner: string, now: number, leaseMs: number, expiresAt: number): Promise<ClaimResult>;
  /** Records progress: its message went out (`posted`), or all is done (`done`). False when the claim was lost. */
  mark(key: string, owner: string, status: 'posted' | 'done'): Promise<boolean>;
  /** Gives the transition up, keeping its progress, so the next attempt may take it at once. */
  release(key: string, owner: string): Promise<void>;
}

interface StoredClaim {
  status: 'claimed' | 'posted' | 'done';
  owner: string;
  claimedAt: number;
  expiresAt: number;
}

/** The same conditions in memory: for previews and tests of the flow. */
export class MemoryIncidentStore implements IncidentStore {
  readonly incidents = new Map<string, IncidentRecord>();
  readonly claims = new Map<string, StoredClaim>();

  async get(alarmKey: string): Promise<IncidentRecord | undefined> {
    const r = this.incidents.get(alarmKey);
    return r ? { ...r } : undefined;
  }

  async put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    if (this.incidents.get(next.alarmKey)?.version !== expectedVersion) return false;
    this.incidents.set(next.alarmKey, { ...next });
    return true;
  }

  async claim(key: string, owner: string, now: number, leaseMs: number, expiresAt: number): Promise<ClaimResult> {
    const c = this.claims.get(key);
    if (c?.status === 'done') return { kind: 'done' };
    if (c && c.owner !== owner && c.claimedAt >= now - leaseMs) return { kind: 'busy' };
    this.claims.set(key, { status: c?.status ?? 'claimed', owner, claimedAt: now, expiresAt });
    return { kind: 'claimed', posted: c?.status === 'posted' };
  }

  async mark(key: string, owner: string, status: 'posted' | 'done'): Promise<boolean> {
    const c = this.claims.get(key);
    if (c?.owner !== owner) return false;
    c.status = status;
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    const c = this.claims.get(key);
    if (c?.owner === owner) c.claimedAt = 0;
  }
}

// ---- DynamoDB ----

type Attr = { S: string } | { N: string } | { NULL: true };
type Item = Record<string, Attr>;

interface DynamoClient {
  send(command: unknown): Promise<{ Item?: Item; Attributes?: Item }>;
}

interface DynamoSdk {
  client: DynamoClient;
  GetItemCommand: new (input: unknown) => unknown;
  PutItemCommand: new (input: unknown) => unknown;
  UpdateItemCommand: new (input: unknown) => unknown;
}

// Every field of the record is a string or a number; unset ones are left out (a put replaces the whole item).
function toItem(r: IncidentRecord): Item {
  const item: Item = { pk: { S: `incident#${r.alarmKey}` } };
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'string') item[k] = { S: v };
    else if (typeof v === 'number') item[k] = { N: String(v) };
  }
  return item;
}

function fromItem(item: Item): IncidentRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if ('S' in v) out[k] = v.S;
    else if ('N' in v) out[k] = Number(v.N);
  }
  delete out.pk;
  return out as unknown as IncidentRecord;
}

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** An SDK error as a store error: its name and message, which never carry credentials. */
function storeError(err: unknown, what: string): IncidentStoreError {
  const { text, code } = sdkErrorText(err, what);
  return new IncidentStoreError(text, code);
}

/** Incidents in the DynamoDB table the SlackNotifier creates, through the SDK the Lambda runtime ships (loaded on first use). */
/** A transition item's status (`claimed`, `posted`, `done`), if it has one. */
function statusOf(item: Item | undefined): string | undefined {
  const status = item?.status;
  return status && 'S' in status ? status.S : undefined;
}

export class DynamoDbIncidentStore implements IncidentStore {
  // Short timeouts and few attempts: a table that does not answer must not eat the time left for posting the message anyway.
  private readonly load = lazySdk('@aws-sdk/client-dynamodb', (m: typeof import('@aws-sdk/client-dynamodb')): DynamoSdk => ({
    client: new m.DynamoDBClient(SHORT_CALLS) as unknown as DynamoClient,
    GetItemCommand: m.GetItemCommand as unknown as new (input: unknown) => unknown,
    PutItemCommand: m.PutItemCommand as unknown as new (input: unknown) => unknown,
    UpdateItemCommand: m.UpdateItemCommand as unknown as new (input: unknown) => unknown,
  }));

  constructor(private readonly tableName: string) {}

  private async send<T>(what: string, build: (sdk: DynamoSdk) => unknown, onConditionFailure: () => T): Promise<{ Item?: Item; Attributes?: Item } | T> {
    let sdk: DynamoSdk;
    try {
      sdk = await this.load();
    } catch (err) {
      throw storeError(err, 'the DynamoDB client could not be loaded');
    }
    try {
      return await sdk.client.send(build(sdk));
    } catch (err) {
      if (isConditionFailure(err)) return onConditionFailure();
      throw storeError(err, what);
    }
  }

  /** The table and the key of the item `pk`, as every command but a put names them. */
  private at(pk: string) {
    return { TableName: this.tableName, Key: { pk: { S: pk } } };
  }

  /** The item `pk`, read consistently. */
  private async read(what: string, pk: string): Promise<Item | undefined> {
    return (await this.send(what, (s) => new s.GetItemCommand({ ...this.at(pk), ConsistentRead: true }), () => undefined))?.Item;
  }

  async get(alarmKey: string): Promise<IncidentRecord | undefined> {
    const item = await this.read('reading the incident', `incident#${alarmKey}`);
    return item ? fromItem(item) : undefined;
  }

  async put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    const conditional = expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } } };
    const out = await this.send('writing the incident', (s) => new s.PutItemCommand({ TableName: this.tableName, Item: toItem(next), ...conditional }), () => false as const);
    return out !== false;
  }

  async claim(key: string, owner: string, now: number, leaseMs: number, expiresAt: number): Promise<ClaimResult> {
    const pk = `transition#${key}`;
    const out = await this.send('claiming the transition', (s) => new s.UpdateItemCommand({
      ...this.at(pk),
      UpdateExpression: 'SET #owner = :owner, claimedAt = :now, expiresAt = :exp, #status = if_not_exists(#status, :claimed)',
      ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :done AND (#owner = :owner OR claimedAt < :stale))',
      ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
      ExpressionAttributeValues: {
        ':owner': { S: owner }, ':now': { N: String(now) }, ':exp': { N: String(expiresAt) }, ':claimed': { S: 'claimed' },
        ':done': { S: 'done' }, ':stale': { N: String(now - leaseMs) },
      },
      ReturnValues: 'ALL_NEW',
    }), () => 'taken' as const);
    if (out !== 'taken') return { kind: 'claimed', posted: statusOf(out.Attributes) === 'posted' };
    return statusOf(await this.read('reading the transition', pk)) === 'done' ? { kind: 'done' } : { kind: 'busy' };
  }

  async mark(key: string, owner: string, status: 'posted' | 'done'): Promise<boolean> {
    return this.updateOwned('recording the transition', key, owner, 'SET #status = :v', { S: status }, { '#status': 'status' });
  }

  async release(key: string, owner: string): Promise<void> {
    await this.updateOwned('releasing the transition', key, owner, 'SET claimedAt = :v', { N: '0' });
  }

  /** Updates a transition's item while `owner` holds it; false when another does. */
  private async updateOwned(what: string, key: string, owner: string, update: string, value: Attr, names?: Record<string, string>): Promise<boolean> {
    const out = await this.send(what, (s) => new s.UpdateItemCommand({
      ...this.at(`transition#${key}`),
      UpdateExpression: update,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner', ...names },
      ExpressionAttributeValues: { ':v': value, ':owner': { S: owner } },
    }), () => false as const);
    return out !== false;
  }
}
