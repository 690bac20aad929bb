// What a log line says of a failed Slack call, in every function: its code and the fix, never the token.
import { DeliveryError } from './delivery';
import { SlackApiError, slackErrorFix } from './slack-api';

/** Log fields of a Slack failure: its code and the fix, never the token. */
export function slackFailure(err: unknown): Record<string, unknown> {
  // A SlackApiError (a DeliveryError with its method and fix) or a webhook's DeliveryError (the fix for its code, no method).
  if (err instanceof DeliveryError) {
    const api = err as Partial<SlackApiError>;
    return { error: err.message, status: err.status, slackError: err.slackError, fix: api.fix ?? slackErrorFix(err.slackError), method: api.method, attempts: err.attempts };
  }
  return { error: `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`.slice(0, 400) };
}
