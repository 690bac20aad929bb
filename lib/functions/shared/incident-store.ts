// Where incidents and transition claims live, and the conditions every write holds to: one item
// per alarm (its current incident, written only if its version is still the one read), one per
// transition (claimed by one container at a time, so each is posted once), one per incident a
// newer one replaced (kept as it ended, for the reports: incident-history.ts), and one per
// postmortem a resolution asked for (postmortem.ts: it outlives the alarm's next incident). DynamoDB in production
// (dynamodb-incident-store.ts); memory here, for previews and flow tests.
import { IncidentRecord } from './incident';
import type { PostmortemRecord } from './postmortem';

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

/** The incident and postmortem records: what every function reads and writes. Every write is conditional. */
export interface IncidentRecords {
  /** The alarm's current incident (a strongly consistent read). */
  get(alarmKey: string): Promise<IncidentRecord | undefined>;
  /** Writes `next` if the stored incident still has `expectedVersion` (undefined: none stored). False when it changed. */
  put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
  /** Keeps an incident that a new one of its alarm replaces, under its own id, for the reports (until its TTL). */
  keep(record: IncidentRecord): Promise<void>;
  /** An incident's postmortem (a strongly consistent read). */
  getPostmortem(incidentId: string): Promise<PostmortemRecord | undefined>;
  /** Writes `next` if the stored postmortem still has `expectedVersion` (undefined: none stored). False when it changed. */
  putPostmortem(next: PostmortemRecord, expectedVersion: number | undefined): Promise<boolean>;
}

/**
 * Transition claims: a state change (or a side effect of one) handled once, whichever container has
 * it. The notifier, the escalation and the handoff functions claim; the interactivity function does
 * not, and its bundle carries none of it.
 */
export interface TransitionClaims {
  /** Takes the transition for `owner`, unless it is done or another owner took it less than `leaseMs` ago. */
  claim(key: string, owner: string, now: number, leaseMs: number, expiresAt: number): Promise<ClaimResult>;
  /** Records progress: its message went out (`posted`), or all is done (`done`). False when the claim was lost. */
  mark(key: string, owner: string, status: 'posted' | 'done'): Promise<boolean>;
  /** Gives the transition up, keeping its progress, so the next attempt may take it at once. */
  release(key: string, owner: string): Promise<void>;
}

/** Where incidents and transition claims live. Every write is conditional. */
export interface IncidentStore extends IncidentRecords, TransitionClaims {}

/** A store that can list the incidents it holds, current and replaced (the handoff's unresolved incidents, a shift's numbers): a whole read of the table. */
export interface IncidentListing {
  listIncidents(): Promise<IncidentRecord[]>;
}

interface StoredClaim {
  status: 'claimed' | 'posted' | 'done';
  owner: string;
  claimedAt: number;
  expiresAt: number;
}

/** The same conditions in memory: for previews and tests of the flow. */
export class MemoryIncidentStore implements IncidentStore, IncidentListing {
  readonly incidents = new Map<string, IncidentRecord>();
  readonly claims = new Map<string, StoredClaim>();
  readonly postmortems = new Map<string, PostmortemRecord>();
  /** Replaced incidents, by id. */
  readonly history = new Map<string, IncidentRecord>();

  async get(alarmKey: string): Promise<IncidentRecord | undefined> {
    const r = this.incidents.get(alarmKey);
    return r ? { ...r } : undefined;
  }

  async put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    if (this.incidents.get(next.alarmKey)?.version !== expectedVersion) return false;
    this.incidents.set(next.alarmKey, { ...next });
    return true;
  }

  async keep(record: IncidentRecord): Promise<void> {
    this.history.set(record.incidentId, { ...record });
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

  async getPostmortem(incidentId: string): Promise<PostmortemRecord | undefined> {
    const p = this.postmortems.get(incidentId);
    return p ? { ...p } : undefined;
  }

  async putPostmortem(next: PostmortemRecord, expectedVersion: number | undefined): Promise<boolean> {
    if (this.postmortems.get(next.incidentId)?.version !== expectedVersion) return false;
    this.postmortems.set(next.incidentId, { ...next });
    return true;
  }

  /** Every alarm's current incident and every one a newer incident replaced, as the table's listing reads them. */
  async listIncidents(): Promise<IncidentRecord[]> {
    return [...this.incidents.values(), ...this.history.values()].map((r) => ({ ...r }));
  }
}
