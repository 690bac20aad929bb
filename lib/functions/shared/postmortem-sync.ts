// Shows a postmortem where the team looks: on the alarm's incident record (the fields the parent
// draws), then on the parent itself, redrawn from the latest stored state so racing writers end
// on the newest. When the alarm has moved on to a new incident, the old parent is drawn from the
// incident the postmortem kept. Used by the escalation function (the ask, reminders) and the
// interactivity function (linked, not needed).
import { renderIncidentParent } from '../../notification/incident-message';
import { AppRuntime } from './app-runtime';
import { incidentView } from './escalation-plan';
import { IncidentRecord, notificationOf } from './incident';
import type { IncidentRecords } from './incident-store';
import { PostmortemRecord, incidentOf, mirrored, showsPostmortem } from './postmortem';

/** Draws one incident's parent. */
async function draw(rt: AppRuntime<IncidentRecords>, r: IncidentRecord, deadline: number): Promise<void> {
  if (r.ts === undefined) return;
  await rt.chat.update(r.channel, r.ts, renderIncidentParent(notificationOf(r), incidentView(r, rt.plan), rt.messages), deadline);
}

/**
 * Mirrors `p` on its incident (when the alarm's record is still that incident) and redraws the
 * parent until it shows the latest stored record. Throws when Slack or the table failed (the caller
 * decides whether to retry).
 */
export async function showPostmortem(rt: AppRuntime<IncidentRecords>, given: PostmortemRecord, deadline: number): Promise<void> {
  const store = rt.store!;
  for (let round = 0; round < 4; round++) {
    // The postmortem as stored now: another click may have changed it since `given` was written.
    const p = (await store.getPostmortem(given.incidentId)) ?? given;
    const r = await store.get(p.alarmKey);
    if (!r || r.incidentId !== p.incidentId) {
      // The alarm's next incident took the record: this parent shows how its incident ended.
      await draw(rt, { ...mirrored(incidentOf(p), p, rt.now()), channel: p.channel, ...(p.ts ? { ts: p.ts } : {}) }, deadline);
      return;
    }
    let shown = r;
    if (!showsPostmortem(r, p)) {
      const next = mirrored(r, p, rt.now());
      if (!(await store.put(next, r.version))) continue; // changed meanwhile: read again
      shown = next;
    }
    await draw(rt, shown, deadline);
    const latest = await store.get(p.alarmKey);
    if (!latest || latest.incidentId !== shown.incidentId || latest.version === shown.version) return;
  }
}
