// What every function of the Slack app mode sets up per container: logs through one redactor, the
// bot token from Secrets Manager (read once, again after Slack says it is wrong), the Web API
// client, the incident table, and, with escalation on, the plan. The notifier, the
// interactivity and the escalation functions build on it.
import { DEFAULT_DELIVERY, DeliveryConfig, DeliveryEvent } from './delivery';
import { APP_FIELDS, FunctionConfig, MESSAGE_FIELDS, decodeConfig, escalationLinesOf, mentionsOf, variableOf } from './config';
import { EscalationPlan } from './escalation-plan';
import { ContactPlan, mentionsAt } from './contacts';
import type { FunctionDeps } from './deps';
import { DEFAULT_INCIDENT_POLICY, IncidentPolicy } from './incident';
import { IncidentRecords, IncidentStore } from './incident-store';
import { DEFAULT_METRICS_NAMESPACE } from './metrics';
import { IncidentMessageOptions } from '../../notification/incident-message';
import { Redactor } from './redact';
import { LogEntry, SecretSource, SecretsManagerSource, defaultLog } from './runtime';
import { SlackWebApi, botTokenFromSecret } from './slack-api';

/** The incident policy of a config (defaults where unset). */
export function policyOf(config: FunctionConfig): IncidentPolicy {
  const d = DEFAULT_INCIDENT_POLICY;
  return {
    ...d,
    reopenWindowMs: config.reopenWindowMinutes !== undefined ? config.reopenWindowMinutes * 60_000 : d.reopenWindowMs,
    retentionMs: config.retentionDays !== undefined ? config.retentionDays * 86400_000 : d.retentionMs,
    leaseMs: config.leaseSeconds !== undefined ? config.leaseSeconds * 1000 : d.leaseMs,
  };
}

/** One container's Slack app runtime; `S`, what its incident store can do (every function but the interactivity claims transitions too). */
export interface AppRuntime<S extends IncidentRecords = IncidentStore> {
  /** What the construct configured, decoded once. */
  readonly config: FunctionConfig;
  readonly log: (entry: LogEntry) => void;
  readonly redactor: Redactor;
  readonly secrets: SecretSource;
  readonly delivery: DeliveryConfig;
  readonly chat: SlackWebApi;
  /** Undefined when the config names no incident table (and no store was given). */
  readonly store?: S;
  readonly policy: IncidentPolicy;
  readonly now: () => number;
  /** Escalation, when the environment has a plan. */
  readonly plan?: EscalationPlan;
  /** Who the policy tells when an alarm opens, and how each contact is reached. */
  readonly contacts?: ContactPlan;
  readonly metricsNamespace: string;
  /** How parents and replies are drawn (mentions, escalation lines, postmortem criteria), as the construct configured them. */
  readonly messages: IncidentMessageOptions;
  /** The bot token is read again on the next call (after a token error). */
  forgetToken(): void;
  /** Context for the next retry warnings. */
  setRetryContext(about: Record<string, unknown>): void;
}

/**
 * Sets up a container's runtime from the handler's dependencies (tests) or the environment (Lambda).
 * `storeOf` makes the store of the table the config names (unless `deps` gives one): each function
 * says which, so that its bundle carries only the store it uses.
 */
export function createAppRuntime<S extends IncidentRecords = IncidentStore>(deps: FunctionDeps, storeOf: (table: string) => S): AppRuntime<S> {
  const config = decodeConfig(deps.env ?? process.env, [...MESSAGE_FIELDS, ...APP_FIELDS]);
  const redactor = new Redactor();
  const rawLog = deps.log ?? defaultLog;
  // Whatever a field holds (Slack's answer, an error, alarm text), no secret reaches the log.
  const log = (entry: LogEntry) => rawLog(redactor.redactValue(entry));
  const secrets = deps.secrets ?? new SecretsManagerSource();
  const delivery: DeliveryConfig = { ...DEFAULT_DELIVERY, ...deps.delivery };
  const tokenArn = config.botTokenSecretArn;
  let token: Promise<string> | undefined;
  const readToken = (): Promise<string> => {
    if (!token) {
      if (!tokenArn) return Promise.reject(new Error(`${variableOf('botTokenSecretArn', APP_FIELDS)} is not set`));
      token = secrets.getSecretString(tokenArn).then((value) => {
        redactor.addSecret(value.trim());
        const found = botTokenFromSecret(value);
        redactor.addSecret(found);
        return found;
      }).catch((err) => {
        token = undefined;
        throw new Error(`bot token unavailable: ${(err as Error)?.message ?? String(err)}`);
      });
    }
    return token;
  };
  const tableName = config.incidentTable;
  // A store the tests give holds to the whole contract (IncidentStore), whatever `S` the function needs.
  const store = (deps.store as S | undefined) ?? (tableName ? storeOf(tableName) : undefined);
  let retryContext: Record<string, unknown> = {};
  const chat = new SlackWebApi({
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    token: readToken,
    delivery,
    apiUrl: config.apiUrl,
    redactor,
    onRetry: (method: string, e: DeliveryEvent) => log({ level: 'warn', msg: 'slack attempt failed, retrying', method, ...retryContext, ...e }),
  });
  const now = deps.now ?? Date.now;
  const plan = config.escalationPlan;
  // Delivery never depends on it: without a readable plan, pages still go out, unescalated.
  if (config.unreadablePlan) log({ level: 'error', msg: 'escalation or contacts off: a plan is unreadable', fix: 'redeploy the SlackNotifier' });
  const contacts = config.contactPlan;
  return {
    config, log, redactor, secrets, delivery, chat, store, policy: policyOf(config), now, plan, contacts,
    metricsNamespace: config.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
    messages: {
      mentions: mentionsOf(config),
      // The contacts told when an alarm opens, a rotation's on call at the alarm's time.
      mentionsAt: mentionsAt(contacts, now),
      escalations: escalationLinesOf(config),
      ...(config.postmortem ? { postmortem: config.postmortem } : {}),
      service: config.service,
    },
    forgetToken: () => (token = undefined),
    setRetryContext: (about) => (retryContext = about),
  };
}
