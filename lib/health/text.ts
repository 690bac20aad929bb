// The on-call numbers as text a lead reads in a terminal or pastes into a review: the load per
// shift and person, the times per severity against the targets, the noisiest alarms with their
// runbooks, escalations, postmortems and what is still open. Pure.
import { wallClock } from '../core/zoned-time';
import { formatDuration } from '../notification/incident-message';
import { Distribution, HealthReport, IncidentRef } from './health';

/** `2026-03-28 20:00` in the report's time zone. */
export function localTimeText(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/** `4 min`, or `–` when there is nothing to show. */
export function durationText(seconds: number | undefined): string {
  return seconds === undefined ? '–' : formatDuration(seconds * 1000);
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

const pair = (d: Distribution) => [durationText(d.p50), durationText(d.p90)];

function refLine(i: IncidentRef, tz: string): string {
  return `  ${i.alarmName} (${i.severity}) fired ${localTimeText(i.firedAt, tz)}` +
    `${i.acknowledgedBy ? `, acknowledged by ${i.acknowledgedBy}` : ', not acknowledged'}` +
    `${i.escalatedLevel ? `, escalated to level ${i.escalatedLevel}` : ''}${i.runbook ? ` — runbook: ${i.runbook}` : ''}`;
}

/** The report as text. `worst`: how many alarms to name. */
export function healthText(r: HealthReport, worst = 5): string {
  const tz = r.timeZone;
  const t = r.totals;
  const out: string[] = [];
  out.push(`On-call health, ${localTimeText(r.from, tz)} to ${localTimeText(r.to, tz)} (${tz})`, '');
  const busiest = r.shifts.reduce<typeof r.shifts[number] | undefined>((b, s) => (!b || s.pages > b.pages ? s : b), undefined);
  out.push(`Load: ${plural(t.pages, 'page')} (${plural(t.incidents, 'incident')}) in ${plural(t.shifts, '12-hour shift')}; ` +
    `${plural(t.shiftsOverLimit, 'shift')} over the limit of ${r.limitPerShift}` +
    `${busiest && busiest.pages > 0 ? ` (most: ${busiest.pages}, ${localTimeText(busiest.from, tz)}${busiest.who ? ` ${busiest.who}` : ''})` : ''}`);
  out.push(`      ${plural(t.sleepPages, 'page')} in sleep hours, ${t.offHoursPages} off hours; ` +
    `${t.alertsPerIncident.toFixed(2)} alerts per incident (target 1.00: ${plural(t.alerts, 'alert')}, ${plural(t.incidentGroups, 'incident')} counting those within minutes of each other once)`);
  if (r.people.length > 0) {
    out.push('');
    out.push(...table([['On call', 'shifts', 'pages', 'over limit', 'most in a shift', 'sleep hours', 'off hours'],
      ...r.people.map((p) => [p.who, String(p.shifts), String(p.pages), String(p.shiftsOverLimit), String(p.mostPagesInAShift), String(p.sleepPages), String(p.offHoursPages)])]));
  }
  if (r.severities.length > 0) {
    out.push('');
    out.push(...table([['Severity', 'incidents', 'MTTA p50', 'p90', 'target', 'met', 'missed', 'MTTR p50', 'p90', 'MTTD p50', 'p90'],
      ...r.severities.map((s) => [s.severity, String(s.incidents), ...pair(s.mtta), s.target ?? '–', String(s.metTarget), String(s.missedTarget), ...pair(s.mttr), ...pair(s.mttd)])]));
    const selfResolved = r.severities.reduce((n, s) => n + s.resolvedUnacknowledged, 0);
    if (selfResolved > 0) out.push(`(${plural(selfResolved, 'incident')} resolved before anyone acknowledged, within the target: neither met nor missed)`);
  }
  const noisy = r.alarms.filter((a) => a.score > 1 || a.flaps || a.realerts || a.unacknowledged || a.firesDaily).slice(0, worst);
  out.push('', `Noise: ${plural(r.noise.flaps, 'flap')} (OK within 2 min), ${plural(r.noise.realerts, 're-alert')} (within 12 h), ` +
    `${plural(r.noise.dailyAlarms, 'alarm')} firing every day, ${plural(r.noise.unacknowledgedPages, 'page')} never acknowledged`);
  if (noisy.length > 0) {
    out.push(`Worst alarms:`);
    for (const a of noisy) {
      const why = [plural(a.incidents, 'incident'), a.flaps && plural(a.flaps, 'flap'), a.realerts && plural(a.realerts, 're-alert'),
        a.unacknowledged && `${a.unacknowledged} unacknowledged`, a.escalated && `${a.escalated} escalated`, a.firesDaily && `every day for ${a.longestDailyRun} days`]
        .filter(Boolean).join(', ');
      out.push(`  ${a.alarmName} (${a.severity}): ${why}${a.runbook ? ` — runbook: ${a.runbook}` : ' — no runbook'}`);
    }
  }
  const e = r.escalations;
  out.push('', `Escalations: ${e.escalated} of ${plural(e.pages, 'page')} escalated` +
    `${e.byLevel.length ? ` (${e.byLevel.map((l) => `level ${l.level}: ${l.incidents}`).join(', ')})` : ''}`);
  const pm = r.postmortems;
  out.push(`Postmortems: ${pm.required} required, ${pm.final} final, ${pm.overdue.length} overdue, ${pm.due.length} due` +
    `${pm.tracked ? '' : ' (no postmortem status recorded: "overdue" means past due and not known to be written)'}`);
  for (const i of pm.overdue) out.push(`  overdue: ${i.alarmName} (${i.severity}) fired ${localTimeText(i.firedAt, tz)}, due ${localTimeText(i.dueAt!, tz)}${i.status ? `, ${i.status}` : ''}`);
  out.push(`Unresolved: ${r.unresolved.length}`);
  for (const i of r.unresolved) out.push(refLine(i, tz));
  return out.join('\n') + '\n';
}
