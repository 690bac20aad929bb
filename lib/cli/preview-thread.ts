// `runbook-alarms preview` for a sequence of notifications: what the Slack app mode makes of them,
// the parent of each incident as it ends and the replies in its thread. The notifications go, in
// the order given, through the same flow the Lambda function runs (IncidentNotifier), with Slack
// recorded and the incidents kept in memory.
import { IncidentNotifier, SlackChat } from '../functions/notifier/incident-notifier';
import { DEFAULT_INCIDENT_POLICY, transitionOf } from '../functions/shared/incident';
import { MemoryIncidentStore } from '../functions/shared/incident-store';
import { ChatMessage } from '../functions/shared/slack-api';
import { EscalationPlan } from '../functions/shared/escalation-plan';
import { IncidentMessageOptions } from '../notification/incident-message';
import { utcText } from '../notification/slack-message';
import { AlarmNotification, cloudWatchTime } from '../notification/sns-message';

/** One message as the preview recorded it, with every version it had. */
export interface PreviewMessage {
  readonly ts: string;
  readonly threadTs?: string;
  readonly versions: ChatMessage[];
  /** Which notification (1-based) posted it. */
  readonly from: number;
}

/** A thread: its parent as it ends, and its replies in order. */
export interface PreviewThread {
  readonly alarmName: string;
  readonly parent: PreviewMessage;
  readonly replies: PreviewMessage[];
}

/** What the sequence did: the threads, the messages outside any, and one line per notification. */
export interface ThreadPreview {
  readonly threads: PreviewThread[];
  readonly standalone: PreviewMessage[];
  readonly steps: string[];
}

const CHANNEL = 'C0PREVIEW';

/**
 * Runs the notifications, in order, through the Slack app mode's flow; with an escalation plan,
 * as a notifier with acknowledgement and escalation on (pages get the Acknowledge button; no timer is set).
 */
export async function previewThreads(notifications: AlarmNotification[], messages: IncidentMessageOptions, plan?: EscalationPlan): Promise<ThreadPreview> {
  const posted: PreviewMessage[] = [];
  let clock = 0;
  let current = 0;
  const calls: string[] = [];
  const chat: SlackChat = {
    async postMessage(channel, message, _deadline, threadTs) {
      const ts = `1700000000.${String(++clock).padStart(6, '0')}`;
      posted.push({ ts, threadTs, versions: [message], from: current });
      calls.push(threadTs ? 'replied in the thread' : 'posted a new message');
      return { channel, ts, attempts: 1 };
    },
    async update(_channel, ts, message) {
      posted.find((m) => m.ts === ts)?.versions.push(message);
      calls.push('updated the parent');
      return { attempts: 1 };
    },
  };
  const notifier = new IncidentNotifier({
    chat, store: new MemoryIncidentStore(), messages, log: () => undefined,
    channels: { defaultChannel: CHANNEL, severityChannels: {}, topicChannels: {} },
    policy: DEFAULT_INCIDENT_POLICY,
    ...(plan ? { escalation: { plan, timers: { request: async () => undefined } } } : {}),
  });
  const steps: string[] = [];
  for (const [i, n] of notifications.entries()) {
    current = i + 1;
    calls.length = 0;
    const at = cloudWatchTime(n.stateChangeTime);
    const outcome = await notifier.notify(n, Date.now() + 60_000);
    const what = outcome.kind === 'duplicate' ? 'a duplicate: nothing posted'
      : outcome.kind === 'opened' ? 'opened an incident: posted its parent message'
        : outcome.kind === 'posted' ? 'posted as a message outside any incident'
          : `${calls.join(', ')}${outcome.late ? ' (delivered late: older than the state shown)' : ''}`;
    steps.push(`${current}. ${n.newState}${at !== undefined ? ` at ${utcText(at)}` : ''} (${n.alarmName}): ${what}`);
  }
  const parents = posted.filter((m) => !m.threadTs);
  const threads: PreviewThread[] = [];
  const standalone: PreviewMessage[] = [];
  for (const p of parents) {
    const n = notifications[p.from - 1];
    // Notifications that are no state change (unreadable, untimed) are posted outside any incident.
    if (transitionOf(n)) threads.push({ alarmName: n.alarmName, parent: p, replies: posted.filter((m) => m.threadTs === p.ts) });
    else standalone.push(p);
  }
  return { threads, standalone, steps };
}
