// What a function can be given instead of its production defaults: tests inject fetch, secrets,
// the store, the clock and the AWS seams; Lambda gives nothing and gets the real ones.
import type { DeliveryConfig, Fetcher } from './delivery';
import type { IncidentStore } from './incident-store';
import type { LogEntry, SecretSource } from './runtime';
import type { EscalationScheduler } from './scheduler';
import type { PagePublisher } from './sns-publish';
import type { ParentRedraws, TimerRequests } from './timer-request';

/** What a function can be given instead of the production defaults (the escalation function takes two more: EscalationDeps). */
export interface FunctionDeps {
  readonly fetch?: Fetcher;
  readonly secrets?: SecretSource;
  readonly delivery?: Partial<DeliveryConfig>;
  readonly env?: Record<string, string | undefined>;
  readonly log?: (entry: LogEntry) => void;
  /** How many SNS message ids to remember for duplicate detection. @default 1000 */
  readonly dedupeCapacity?: number;
  /** Slack app mode: where incidents are kept. @default - the DynamoDB table the config names */
  readonly store?: IncidentStore;
  /** The clock of incidents, acknowledgements and escalation timers (tests compress time). @default Date.now */
  readonly now?: () => number;
  /** Escalation timers. @default - EventBridge Scheduler, in the group the config names */
  readonly scheduler?: EscalationScheduler;
  /** How the notifier asks for an incident's escalation timer. @default - an asynchronous invoke of the escalation function */
  readonly timers?: TimerRequests;
  /** Pages to the contacts' SNS topics (when an alarm opens, when a page escalates). @default - Amazon SNS */
  readonly publisher?: PagePublisher;
  /** How the interactivity function hands on a parent it could not redraw in time. @default - an asynchronous invoke of the escalation function */
  readonly redraws?: ParentRedraws;
}
