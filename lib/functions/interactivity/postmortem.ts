// The interactivity function's part in postmortems (docs/postmortems.md#in-slack): the buttons of
// the thread's ask and reminders open a modal — the command that starts the postmortem pre-filled,
// the link of the written one, or why none is needed — and the modal's submission records it on
// the postmortem (first the item, then the incident's mirror and the parent) and says so in the
// thread. Reached only after the request's Slack signature was verified (./index.ts).
import { isButtonUrl, isSlackUserId } from '../../notification/incident-message';
import { POSTMORTEM_ACTIONS, parsePostmortemButtonValue, renderPostmortemNote } from '../../notification/postmortem-message';
import { AppRuntime } from '../shared/app-runtime';
import type { IncidentRecords } from '../shared/incident-store';
import { expiry } from '../shared/incident';
import { PostmortemRecord } from '../shared/postmortem';
import { showPostmortem } from '../shared/postmortem-sync';
import { slackFailure } from '../shared/slack-failure';

/** What the function answers Slack for a postmortem interaction. */
export type PostmortemAnswer =
  | { readonly kind: 'ok' }
  /** The modal stays open, each field with what is wrong with it (`response_action: errors`). */
  | { readonly kind: 'errors'; readonly errors: Record<string, string> }
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'failed'; readonly why: string };

/** The modals' callback ids. */
const LINK_VIEW = 'postmortem-link';
const NOT_NEEDED_VIEW = 'postmortem-not-needed';

interface PostmortemInteraction {
  readonly type?: unknown;
  readonly trigger_id?: unknown;
  readonly user?: { readonly id?: unknown };
  readonly channel?: { readonly id?: unknown };
  readonly container?: { readonly channel_id?: unknown };
  readonly actions?: ReadonlyArray<{ readonly action_id?: unknown; readonly value?: unknown }>;
  readonly view?: {
    readonly callback_id?: unknown;
    readonly private_metadata?: unknown;
    readonly state?: { readonly values?: Record<string, Record<string, { readonly value?: unknown }>> };
  };
}

/** True for an interaction this module answers: a postmortem button, or one of its modals submitted. */
export function isPostmortemInteraction(interaction: PostmortemInteraction): boolean {
  if (interaction.type === 'view_submission') return interaction.view?.callback_id === LINK_VIEW || interaction.view?.callback_id === NOT_NEEDED_VIEW;
  const id = Array.isArray(interaction.actions) ? interaction.actions[0]?.action_id : undefined;
  return interaction.type === 'block_actions' && Object.values(POSTMORTEM_ACTIONS).includes(id as never);
}

const text = (t: string) => ({ type: 'plain_text', text: t, emoji: true });
const mrkdwn = (t: string) => ({ type: 'section', text: { type: 'mrkdwn', text: t } });

/** The modal a button opens: the command that starts the postmortem, or a field for its link or for why none is needed. */
function modal(action: string, incidentId: string, channel: string, table: string | undefined): Record<string, unknown> {
  if (action === POSTMORTEM_ACTIONS.start) {
    return {
      type: 'modal', title: text('Start the postmortem'), close: text('Done'),
      blocks: [mrkdwn(`Run where your runbooks live (AWS credentials that read the incident table):\n\`\`\`npx runbook-alarms postmortem new --incident ${incidentId}${table ? ` --table ${table}` : ''}\`\`\`\n` +
        'It writes `postmortems/<date>-<alarm>.md` pre-filled from this incident (timeline, MTTA, MTTR). Then *Link postmortem* here.')],
    };
  }
  const link = action === POSTMORTEM_ACTIONS.link;
  return {
    type: 'modal', callback_id: link ? LINK_VIEW : NOT_NEEDED_VIEW, private_metadata: JSON.stringify({ p: incidentId, c: channel }),
    title: text(link ? 'Link the postmortem' : 'No postmortem needed'), submit: text('Save'),
    blocks: [{
      type: 'input', block_id: link ? 'url' : 'reason', label: text(link ? 'Its pull request or file (https)' : 'Why none is needed'),
      element: link ? { type: 'url_text_input', action_id: 'value' } : { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: 10, max_length: 500 },
    }],
  };
}

/** What a modal's private_metadata names: the incident and the channel of the button. */
function metadataOf(raw: unknown): { incidentId: string; channel: string } | undefined {
  if (typeof raw !== 'string' || raw.length > 3000) return undefined;
  try {
    const m = JSON.parse(raw) as { p?: unknown; c?: unknown };
    return typeof m?.p === 'string' && m.p !== '' && typeof m.c === 'string' && m.c !== '' ? { incidentId: m.p, channel: m.c } : undefined;
  } catch {
    return undefined;
  }
}

/** A submitted URL as Slack can link it (https, encoded), or what is wrong with it. */
function readUrl(raw: unknown): { url?: string; problem?: string } {
  const given = typeof raw === 'string' ? raw.trim() : '';
  let href = '';
  try {
    href = new URL(given).href;
  } catch {
    // not a URL
  }
  return href.startsWith('https://') && href.length <= 1000 && isButtonUrl(href) ? { url: href } : { problem: 'Give the https link of the pull request or the file (1,000 characters at most).' };
}

/** Handles a verified postmortem interaction within `deadline`. */
export async function postmortemInteraction(rt: AppRuntime<IncidentRecords>, interaction: PostmortemInteraction, deadline: number, about: Record<string, unknown>): Promise<PostmortemAnswer> {
  const user = interaction.user?.id;
  if (!isSlackUserId(user)) return { kind: 'refused', why: 'postmortem interaction without a user' };
  if (interaction.type === 'block_actions') {
    const action = interaction.actions![0];
    const incidentId = parsePostmortemButtonValue(action.value);
    const channel = interaction.channel?.id ?? interaction.container?.channel_id;
    if (!incidentId || typeof channel !== 'string' || typeof interaction.trigger_id !== 'string') return { kind: 'refused', why: 'postmortem button without incident, channel or trigger' };
    // The trigger expires three seconds after the click: the modal opens first.
    await rt.chat.call('views.open', { trigger_id: interaction.trigger_id, view: modal(String(action.action_id), incidentId, channel, rt.config.incidentTable) }, deadline);
    rt.log({ level: 'info', msg: 'postmortem modal opened', ...about, user, incidentId, action: action.action_id });
    return { kind: 'ok' };
  }
  // A modal submitted.
  const view = interaction.view!;
  const target = metadataOf(view.private_metadata);
  if (!target) return { kind: 'refused', why: 'postmortem modal without its incident' };
  const linking = view.callback_id === LINK_VIEW;
  const values = view.state?.values ?? {};
  let change: Pick<PostmortemRecord, 'state' | 'url' | 'reason'>;
  if (linking) {
    const read = readUrl(values.url?.value?.value);
    if (read.problem) return { kind: 'errors', errors: { url: read.problem } };
    change = { state: 'linked', url: read.url };
  } else {
    const reason = typeof values.reason?.value?.value === 'string' ? values.reason.value.value.trim() : '';
    if (reason.length < 10 || reason.length > 500) return { kind: 'errors', errors: { reason: 'Say why, in 10 to 500 characters.' } };
    change = { state: 'not-needed', reason };
  }
  const store = rt.store!;
  let recorded: PostmortemRecord | undefined;
  for (let round = 0; round < 4 && !recorded; round++) {
    const p = await store.getPostmortem(target.incidentId);
    if (!p) return { kind: 'errors', errors: { [linking ? 'url' : 'reason']: 'This postmortem is not tracked any more.' } };
    if (p.channel !== target.channel) return { kind: 'refused', why: 'not the incident\'s channel' };
    const { url: _u, reason: _r, ...rest } = p;
    const next: PostmortemRecord = { ...rest, ...change, by: user, at: rt.now(), version: p.version + 1, updatedAt: rt.now(), expiresAt: expiry(rt.now(), rt.policy) };
    if (await store.putPostmortem(next, p.version)) recorded = next;
  }
  if (!recorded) return { kind: 'failed', why: 'the postmortem kept changing' };
  rt.log({ level: 'info', msg: linking ? 'postmortem linked' : 'postmortem not needed', ...about, user, incidentId: recorded.incidentId });
  // Recorded: the thread and the parent follow (a failure is logged; the modal closes either way).
  const note = recorded.ts
    ? rt.chat.postMessage(recorded.channel, renderPostmortemNote(linking ? 'linked' : 'not-needed', user, (linking ? recorded.url : recorded.reason) ?? ''), deadline, recorded.ts)
    : Promise.resolve();
  const [posted, shown] = await Promise.allSettled([note, showPostmortem(rt, recorded, deadline)]);
  for (const [what, r] of [['thread note not posted', posted], ['parent not updated', shown]] as const) {
    if (r.status === 'rejected') rt.log({ level: 'error', msg: `postmortem recorded, but the ${what}`, ...about, incidentId: recorded.incidentId, ...slackFailure(r.reason) });
  }
  return { kind: 'ok' };
}
