// What the other functions ask of the escalation function, by an asynchronous Lambda invoke (through
// the SDK the runtime ships; Lambda queues it, retries it, and parks what fails in the failure queue):
// the notifier, to keep an incident's escalation timer (it sets or cancels the timer from the stored
// incident, so the notifier never touches Scheduler and its bundle stays small); the interactivity
// function, to redraw a parent it could not bring up to date within Slack's three seconds. Both
// requests are idempotent: the escalation function acts on what is stored.
import { SHORT_CALLS, lazySdk } from './runtime';

/** The event that asks the escalation function to keep an incident's timer. */
export interface TimerKeepRequest {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'keep-timer';
  readonly alarmKey: string;
}

/** True for such an event. */
export function isTimerKeepRequest(e: unknown): e is TimerKeepRequest {
  const x = e as TimerKeepRequest;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'keep-timer' && typeof x.alarmKey === 'string';
}

/** The event that asks the escalation function to draw an incident's parent from the stored incident. */
export interface ParentRedrawRequest {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'redraw-parent';
  readonly alarmKey: string;
  readonly incidentId: string;
}

/** True for such an event. */
export function isParentRedrawRequest(e: unknown): e is ParentRedrawRequest {
  const x = e as ParentRedrawRequest;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'redraw-parent' && typeof x.alarmKey === 'string' &&
    typeof x.incidentId === 'string';
}

/** Asks for an incident's parent to be redrawn by a function that has the time to retry. */
export interface ParentRedraws {
  request(alarmKey: string, incidentId: string): Promise<void>;
  /** Loads what a request needs ahead of it (failures are left to the request). */
  prepare?(): void;
}

/** Asks for an incident's timer to be kept. */
export interface TimerRequests {
  request(alarmKey: string): Promise<void>;
}

interface LambdaSdk {
  client: { send(command: unknown): Promise<{ StatusCode?: number }> };
  InvokeCommand: new (input: unknown) => unknown;
}

/** Asynchronous invokes of the escalation function (Lambda queues them, retries them, and parks what fails in the failure queue). */
export class EscalationFunctionRequests implements TimerRequests {
  private readonly sdk = lazySdk('@aws-sdk/client-lambda', (m: typeof import('@aws-sdk/client-lambda')): LambdaSdk => ({
    client: new m.LambdaClient(SHORT_CALLS) as unknown as LambdaSdk['client'],
    InvokeCommand: m.InvokeCommand as unknown as LambdaSdk['InvokeCommand'],
  }));

  constructor(private readonly functionArn: string) {}

  /** Keep the incident's timer. */
  request(alarmKey: string): Promise<void> {
    return this.invoke({ source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey } satisfies TimerKeepRequest);
  }

  /** The same function, asked to redraw parents. */
  readonly redraws: ParentRedraws = {
    request: (alarmKey, incidentId) => this.invoke({ source: 'cdk-runbook-alarms', kind: 'redraw-parent', alarmKey, incidentId } satisfies ParentRedrawRequest),
    prepare: () => void this.sdk().catch(() => undefined),
  };

  private async invoke(event: TimerKeepRequest | ParentRedrawRequest): Promise<void> {
    // Errors are the SDK's (a name and a message, never credentials): the caller logs them.
    const sdk = await this.sdk();
    await sdk.client.send(new sdk.InvokeCommand({ FunctionName: this.functionArn, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  }
}
