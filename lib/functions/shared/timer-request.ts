// How the notifier has an incident's escalation timer kept: it asks the escalation function (an
// asynchronous Lambda invoke, through the SDK the runtime ships), which sets or cancels the timer
// from the stored incident. The notifier thus never touches Scheduler (no permission to), and its
// bundle stays small. The request is idempotent: the escalation function decides from what is stored.
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

/** Asks for an incident's timer to be kept. */
export interface TimerRequests {
  request(alarmKey: string): Promise<void>;
}

interface LambdaSdk {
  client: { send(command: unknown): Promise<{ StatusCode?: number }> };
  InvokeCommand: new (input: unknown) => unknown;
}

/** An asynchronous invoke of the escalation function (Lambda queues it, retries it, and parks what fails in the failure queue). */
export class LambdaTimerRequests implements TimerRequests {
  private readonly sdk = lazySdk('@aws-sdk/client-lambda', (m: typeof import('@aws-sdk/client-lambda')): LambdaSdk => ({
    client: new m.LambdaClient(SHORT_CALLS) as unknown as LambdaSdk['client'],
    InvokeCommand: m.InvokeCommand as unknown as LambdaSdk['InvokeCommand'],
  }));

  constructor(private readonly functionArn: string) {}

  async request(alarmKey: string): Promise<void> {
    // Errors are the SDK's (a name and a message, never credentials): the caller logs them.
    const sdk = await this.sdk();
    const event: TimerKeepRequest = { source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey };
    await sdk.client.send(new sdk.InvokeCommand({ FunctionName: this.functionArn, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  }
}
