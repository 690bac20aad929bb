// The one drawing rule of an incident's parent message, for every function that changes an
// incident (the notifier, the interactivity and the escalation functions): after storing a change,
// draw the parent from the stored incident, then read the incident again, and draw again while what
// is stored now would be drawn differently from what was sent. A chat.update that is slow, or fails
// after Slack applied it, can land after a newer one; but every function that stores a change draws
// after it and checks the store after its own call ended, so the last call to land is followed by a
// check that finds it current, or by a draw of what is newer (docs/design/decisions/0018).
import { renderIncidentParent } from '../../notification/incident-message';
import type { AppRuntime } from './app-runtime';
import { DeliveryError } from './delivery';
import { incidentView } from './escalation-plan';
import { IncidentRecord, notificationOf } from './incident';
import { IncidentRecords } from './incident-store';
import { ChatMessage, SlackApiError, withPlainTextFallback } from './slack-api';
import { slackFailure } from './slack-failure';

/** What drawing a parent needs: the store, Slack's chat.update, and how a record is drawn. */
export interface ParentDrawing {
  readonly store: IncidentRecords;
  readonly chat: { update(channel: string, ts: string, message: ChatMessage, deadline: number): Promise<unknown> };
  /** The parent message of a record (the function's view: its Acknowledge button, escalation, mentions). */
  readonly render: (r: IncidentRecord) => ChatMessage;
  /** Slack refused the message's content and its plain text was sent instead. */
  readonly onPlainText?: (err: SlackApiError) => void;
}

/** How drawing ended. */
export type ParentDrawn =
  /** The parent shows `record`, the stored incident as last read. */
  | { readonly kind: 'current'; readonly record: IncidentRecord; readonly updates: number }
  /**
   * The last draw failed and the parent may be behind `record`. `retry`: trying again later can help
   * (a timeout, a rate limit, an outage); otherwise Slack refused for good (the message was deleted).
   */
  | { readonly kind: 'behind'; readonly record: IncidentRecord; readonly retry: boolean; readonly error: unknown }
  /** Nothing to draw: the alarm's incident is another one now, or its parent is not posted yet. */
  | { readonly kind: 'gone' };

/** Draws at most this many times: more means others keep storing changes, and each of them draws after its own. */
const MAX_DRAWS = 4;

/** True when a failure may pass: a timeout, a rate limit, an outage; not a deleted message or a refused token. */
export function isRetryableFailure(err: unknown): boolean {
  return !((err instanceof SlackApiError || err instanceof DeliveryError) && err.permanent);
}

const drawable = (r: IncidentRecord | undefined, incidentId: string): r is IncidentRecord => !!r && r.incidentId === incidentId && r.ts !== undefined;

const same = (a: ChatMessage, b: ChatMessage) => a.text === b.text && JSON.stringify(a.blocks) === JSON.stringify(b.blocks);

/**
 * Brings the parent of incident `incidentId` of `alarmKey` to the stored state (`first`: the record
 * just written, saving a read). Never throws for Slack or the store: the outcome says what happened,
 * and the caller decides what a parent left behind means for it (fail for Lambda's retry, or hand
 * the redraw to a function that can retry).
 */
export async function drawParent(d: ParentDrawing, alarmKey: string, incidentId: string, deadline: number, first?: IncidentRecord): Promise<ParentDrawn> {
  let record = first;
  let updates = 0;
  for (let draw = 0; ; draw++) {
    if (!record) {
      try {
        record = await d.store.get(alarmKey);
      } catch {
        return { kind: 'gone' };
      }
    }
    if (!drawable(record, incidentId)) return { kind: 'gone' };
    const shown: IncidentRecord = record;
    const message = d.render(shown);
    let failure: { error: unknown } | undefined;
    try {
      await withPlainTextFallback((m) => d.chat.update(shown.channel, shown.ts!, m, deadline), message, d.onPlainText);
      updates++;
    } catch (error) {
      failure = { error };
    }
    // Whatever the call did (a failed one may still have landed), a newer state stored meanwhile is drawn next.
    let latest: IncidentRecord | undefined;
    try {
      latest = await d.store.get(alarmKey);
    } catch {
      latest = shown; // cannot tell: what was drawn is the latest known
    }
    const settled = !drawable(latest, incidentId) || same(d.render(latest), message) || draw + 1 >= MAX_DRAWS;
    if (settled) {
      const now = drawable(latest, incidentId) ? latest : shown;
      if (failure) return { kind: 'behind', record: now, retry: isRetryableFailure(failure.error), error: failure.error };
      return { kind: 'current', record: now, updates };
    }
    record = latest;
  }
}

/** How the interactivity and escalation functions draw parents: the app runtime's store, Slack client, plan and message options. */
export function appParentDrawing(rt: AppRuntime<IncidentRecords>): ParentDrawing {
  if (!rt.store) throw new Error('no incident table: parents cannot be drawn');
  return {
    store: rt.store,
    chat: rt.chat,
    render: (r) => renderIncidentParent(notificationOf(r), incidentView(r, rt.plan), rt.messages),
    onPlainText: (err) => rt.log({ level: 'error', msg: 'slack refused the parent, sending it as plain text', ...slackFailure(err) }),
  };
}
