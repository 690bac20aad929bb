// The on-call numbers (docs/on-call-health.md): from the incidents of a period and who was on call,
// the load per 12-hour shift against the limit of 2, pages in sleep and off hours, MTTA / MTTR /
// MTTD per severity (medians and p90, not means), acknowledgements against the response targets,
// noise per alarm, escalations and postmortems. One pure function: the CLI's report, the handoff
// message and the tests compute with it.
import { DEFAULT_POSTMORTEM_SETTINGS, PostmortemSettings, postmortemDeadlines, postmortemRequired } from '../core/postmortem';
import { localDate, wallClock, zonedInstant } from '../core/zoned-time';
import { ContractCache, Incident, IncidentFacts, REPORT_SEVERITIES, contractFacts, RESPONSE_TARGETS, ResponseTarget, Shift, incidentOf } from './facts';

/** Hours of the day, local: `from` inclusive to `to` exclusive (wrapping past midnight when `to` ≤ `from`). */
export interface HourRange {
  readonly from: number;
  readonly to: number;
}

/** What the numbers are computed over and against. */
export interface HealthOptions {
  /** The period (epoch ms): incidents that fired in [from, to). */
  readonly from: number;
  readonly to: number;
  /** What "now" is, for open incidents and overdue postmortems. @default to */
  readonly now?: number;
  /** Who was on call when: a rotation's shifts. Hours no shift covers are cut at 08:00 and 20:00. @default - none */
  readonly shifts?: readonly Shift[];
  /** The rotation's time zone (IANA): shifts, sleep and business hours are its wall clock. @default 'UTC' */
  readonly timeZone?: string;
  /** Incidents one person can take in a 12-hour shift (each takes about 6 hours of follow-up). @default 2 */
  readonly limitPerShift?: number;
  /** @default 22:00–08:00 */
  readonly sleepHours?: HourRange;
  /** Business hours on business days; off hours are the rest. @default 09:00–17:00 */
  readonly businessHours?: HourRange;
  /** Business days, 0 (Sunday) – 6. @default Monday to Friday */
  readonly businessDays?: readonly number[];
  /** A resolution this soon after firing is a flap. @default 120 */
  readonly flapSeconds?: number;
  /** The same alarm firing again this soon after its last incident is a re-alert. @default 12 */
  readonly realertHours?: number;
  /** An alarm that fired on this many days in a row fires every day. @default 7 */
  readonly dailyDays?: number;
  /** Incidents fired this close together count as one for the alert-to-incident ratio. @default 15 */
  readonly groupMinutes?: number;
  /** Which incidents need a postmortem and by when, when the incident does not say (the policy's `postmortem:`). @default DEFAULT_POSTMORTEM_SETTINGS */
  readonly postmortem?: PostmortemSettings;
}

/** The middle and the tail of some durations, in seconds (nearest rank: each is a real incident's). */
export interface Distribution {
  readonly count: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly max?: number;
}

/** One 12-hour shift (or the part of it in the period). */
export interface ShiftLoad {
  readonly from: number;
  readonly to: number;
  /** Who was on call; unset where no rotation says. */
  readonly who?: string;
  readonly pages: number;
  readonly sleepPages: number;
  readonly offHoursPages: number;
  readonly overLimit: boolean;
}

/** One person's load over the period. */
export interface PersonLoad {
  readonly who: string;
  readonly shifts: number;
  readonly pages: number;
  readonly shiftsOverLimit: number;
  readonly mostPagesInAShift: number;
  readonly sleepPages: number;
  readonly offHoursPages: number;
}

/** The numbers of one severity. */
export interface SeverityHealth {
  readonly severity: string;
  readonly incidents: number;
  readonly mtta: Distribution;
  readonly mttr: Distribution;
  readonly mttd: Distribution;
  /** The response target, and how acknowledgements measured up to it. */
  readonly target?: string;
  readonly metTarget: number;
  readonly missedTarget: number;
  /** Resolved by itself before anyone acknowledged it, within the target. */
  readonly resolvedUnacknowledged: number;
}

/** One alarm's incidents and noise. */
export interface AlarmHealth {
  readonly alarm: string;
  readonly alarmName: string;
  readonly severity: string;
  readonly runbook?: string;
  readonly owner?: string;
  readonly incidents: number;
  readonly pages: number;
  /** Resolved within the flap time of firing. */
  readonly flaps: number;
  /** Fired again within the re-alert time of its last incident (reopened incidents included). */
  readonly realerts: number;
  /** Pages nobody acknowledged (past their target, or resolved unacknowledged). */
  readonly unacknowledged: number;
  readonly escalated: number;
  readonly daysFired: number;
  /** The most days in a row it fired on. */
  readonly longestDailyRun: number;
  readonly firesDaily: boolean;
  /** Incidents plus each reason to fix it: the worst alarms come first. */
  readonly score: number;
  readonly mttr: Distribution;
}

/** An incident named in a list (unresolved, postmortem). */
export interface IncidentRef {
  readonly incidentId: string;
  readonly alarmName: string;
  readonly severity: string;
  readonly firedAt: number;
  readonly runbook?: string;
  readonly acknowledgedBy?: string;
  readonly escalatedLevel: number;
  /** Postmortems: when due, and the status recorded. */
  readonly dueAt?: number;
  readonly status?: string;
}

/** MTTA and MTTR of one severity over one stretch of the period (for the pictures). */
export interface SeriesPoint {
  readonly from: number;
  readonly to: number;
  readonly severity: string;
  readonly incidents: number;
  readonly mtta: Distribution;
  readonly mttr: Distribution;
}

/** Everything the report, the handoff message and the pictures show. */
export interface HealthReport {
  readonly from: number;
  readonly to: number;
  readonly now: number;
  readonly timeZone: string;
  readonly limitPerShift: number;
  readonly totals: {
    readonly incidents: number;
    readonly pages: number;
    /** Notifications that went to ALARM: each incident's first, and every reopening. */
    readonly alerts: number;
    /** Incidents fired close together counted once. */
    readonly incidentGroups: number;
    /** Alerts per incident group (the guide's target: 1). */
    readonly alertsPerIncident: number;
    readonly unresolved: number;
    readonly acknowledged: number;
    readonly escalated: number;
    readonly sleepPages: number;
    readonly offHoursPages: number;
    readonly shifts: number;
    readonly shiftsOverLimit: number;
  };
  readonly shifts: readonly ShiftLoad[];
  readonly people: readonly PersonLoad[];
  readonly severities: readonly SeverityHealth[];
  /** Worst first. */
  readonly alarms: readonly AlarmHealth[];
  readonly noise: {
    readonly flaps: number;
    readonly realerts: number;
    readonly dailyAlarms: number;
    readonly unacknowledgedPages: number;
  };
  readonly escalations: {
    readonly pages: number;
    readonly escalated: number;
    /** How many escalations stopped at each level (1 = the first escalation). */
    readonly byLevel: readonly { readonly level: number; readonly incidents: number }[];
  };
  readonly postmortems: {
    readonly required: number;
    readonly final: number;
    readonly due: readonly IncidentRef[];
    readonly overdue: readonly IncidentRef[];
    /** Whether any incident carried a postmortem status (else "overdue" means "not known to be written"). */
    readonly tracked: boolean;
  };
  readonly unresolved: readonly IncidentRef[];
  readonly series: readonly SeriesPoint[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The p-th percentile by nearest rank of sorted values: the smallest value at least p% of them do not exceed. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50, p90 and max of some durations. */
export function distribution(values: readonly (number | undefined)[]): Distribution {
  const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0 };
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted[sorted.length - 1] };
}

const inRange = (hour: number, r: HourRange): boolean => (r.from < r.to ? hour >= r.from && hour < r.to : hour >= r.from || hour < r.to);

/** The wall clock `hours` later: same minute, 12 local hours on (11 or 13 real ones across a daylight-saving change). */
function laterWall(ms: number, hours: number, tz: string): number {
  const w = wallClock(ms, tz);
  return zonedInstant(tz, w.year, w.month, w.day, w.hour + hours, w.minute);
}

/** The next local 08:00 or 20:00 strictly after `ms`. */
function nextHalfDay(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  for (const [dayOffset, hour] of [[0, 8], [0, 20], [1, 8], [1, 20], [2, 8]]) {
    const t = zonedInstant(tz, w.year, w.month, w.day + dayOffset, hour);
    if (t > ms) return t;
  }
  return ms + 12 * HOUR;
}

/** The 12-hour shifts of the period: each rotation shift cut every 12 local hours from its start; uncovered time at 08:00 and 20:00. */
export function twelveHourShifts(from: number, to: number, shifts: readonly Shift[], tz: string): { from: number; to: number; who?: string }[] {
  const covered = shifts.filter((s) => s.to > from && s.from < to && s.to > s.from).sort((a, b) => a.from - b.from);
  const out: { from: number; to: number; who?: string }[] = [];
  const cut = (start: number, end: number, who: string | undefined, step: (t: number) => number) => {
    for (let t = start; t < end;) {
      const next = Math.min(end, Math.max(step(t), t + 60_000));
      if (next > from && t < to) out.push({ from: Math.max(t, from), to: Math.min(next, to), ...(who !== undefined ? { who } : {}) });
      t = next;
    }
  };
  let at = from;
  for (const s of covered) {
    if (s.from > at) cut(at, s.from, undefined, (t) => nextHalfDay(t, tz));
    const start = Math.max(s.from, at);
    if (s.to > start) {
      // Every 12 local hours from the shift's own start (its handoff), however much of it is in the period.
      let first = s.from;
      while (first < start) {
        const n = laterWall(first, 12, tz);
        if (n > start) break;
        first = n;
      }
      cut(first, s.to, s.who, (t) => laterWall(t, 12, tz));
      at = s.to;
    }
  }
  if (at < to) cut(at, to, undefined, (t) => nextHalfDay(t, tz));
  return out.filter((s) => s.to > s.from);
}

/** When an acknowledgement was due for an incident of this target (epoch ms). */
function ackDeadline(target: ResponseTarget, firedAt: number, tz: string, business: HourRange, days: readonly number[]): number {
  if (target.seconds !== undefined) return firedAt + target.seconds * 1000;
  const w = wallClock(firedAt, tz);
  const isBusinessDay = (offset: number) => days.includes((w.weekday + offset) % 7);
  const closeOn = (offset: number) => zonedInstant(tz, w.year, w.month, w.day + offset, business.to);
  let offset = 0;
  // SEV3: the close of the business day it fired on; after the close (or on a day off), the next one's.
  if (target.businessHours && isBusinessDay(0) && firedAt < closeOn(0)) return closeOn(0);
  // SEV4 (and a SEV3 after hours): the close of the next business day.
  do offset++; while (!isBusinessDay(offset) && offset < 8);
  return closeOn(offset);
}

type Outcome = 'met' | 'missed' | 'resolved' | 'pending' | undefined;

/** The on-call numbers of a period. */
export function computeHealth(facts: Iterable<IncidentFacts>, o: HealthOptions): HealthReport {
  const tz = o.timeZone ?? 'UTC';
  const now = o.now ?? o.to;
  const limit = o.limitPerShift ?? 2;
  const sleep = o.sleepHours ?? { from: 22, to: 8 };
  const business = o.businessHours ?? { from: 9, to: 17 };
  const businessDays = o.businessDays ?? [1, 2, 3, 4, 5];
  const flapMs = (o.flapSeconds ?? 120) * 1000;
  const realertMs = (o.realertHours ?? 12) * HOUR;
  const dailyDays = o.dailyDays ?? 7;
  const groupMs = (o.groupMinutes ?? 15) * 60_000;
  const postmortem = o.postmortem ?? DEFAULT_POSTMORTEM_SETTINGS;

  // Each incident once (the newest copy kept), in the order they fired.
  const byId = new Map<string, { incident: Incident; version: number }>();
  const contracts: ContractCache = new Map();
  for (const f of facts) {
    const incident = incidentOf(f, contracts);
    if (!incident) continue;
    const version = (f as { version?: unknown }).version;
    const v = typeof version === 'number' ? version : 0;
    const known = byId.get(incident.id);
    if (!known || v >= known.version) byId.set(incident.id, { incident, version: v });
  }
  const all = [...byId.values()].map((x) => x.incident).sort((a, b) => a.firedAt - b.firedAt || (a.id < b.id ? -1 : 1));
  const incidents = all.filter((i) => i.firedAt >= o.from && i.firedAt < o.to);

  const local = new Map<string, { hour: number; weekday: number }>();
  const clock = (i: Incident) => {
    let c = local.get(i.id);
    if (!c) local.set(i.id, (c = wallClock(i.firedAt, tz)));
    return c;
  };
  const isSleep = (i: Incident) => inRange(clock(i).hour, sleep);
  const isOffHours = (i: Incident) => !businessDays.includes(clock(i).weekday) || !inRange(clock(i).hour, business);

  // Acknowledgement against the severity's target.
  const targets = new Map(RESPONSE_TARGETS.map((t) => [t.severity, t]));
  const outcome = (i: Incident): Outcome => {
    const target = targets.get(i.severity);
    if (!target) return undefined;
    const due = ackDeadline(target, i.firedAt, tz, business, businessDays);
    if (i.acknowledgedAt !== undefined) return i.acknowledgedAt <= due ? 'met' : 'missed';
    if (i.firstResolvedAt !== undefined && i.firstResolvedAt <= due) return 'resolved';
    return now < due ? 'pending' : 'missed';
  };
  const outcomes = new Map(incidents.map((i) => [i.id, outcome(i)]));
  const unacknowledgedPage = (i: Incident) => i.page && i.acknowledgedAt === undefined && outcomes.get(i.id) !== 'pending';

  // Shifts.
  const windows = twelveHourShifts(o.from, o.to, o.shifts ?? [], tz);
  const pages = incidents.filter((i) => i.page);
  const shiftLoads: ShiftLoad[] = [];
  let p = 0;
  for (const w of windows) {
    while (p < pages.length && pages[p].firedAt < w.from) p++;
    let count = 0;
    let sleepPages = 0;
    let offHours = 0;
    for (let q = p; q < pages.length && pages[q].firedAt < w.to; q++) {
      count++;
      if (isSleep(pages[q])) sleepPages++;
      if (isOffHours(pages[q])) offHours++;
    }
    shiftLoads.push({ from: w.from, to: w.to, ...(w.who !== undefined ? { who: w.who } : {}), pages: count, sleepPages, offHoursPages: offHours, overLimit: count > limit });
  }
  const people = new Map<string, { shifts: number; pages: number; over: number; most: number; sleep: number; off: number }>();
  for (const s of shiftLoads) {
    if (s.who === undefined) continue;
    const person = people.get(s.who) ?? { shifts: 0, pages: 0, over: 0, most: 0, sleep: 0, off: 0 };
    person.shifts++;
    person.pages += s.pages;
    person.over += s.overLimit ? 1 : 0;
    person.most = Math.max(person.most, s.pages);
    person.sleep += s.sleepPages;
    person.off += s.offHoursPages;
    people.set(s.who, person);
  }

  // Severities.
  const severities: SeverityHealth[] = [];
  for (const severity of REPORT_SEVERITIES) {
    const of = incidents.filter((i) => i.severity === severity);
    if (of.length === 0) continue;
    const count = (k: Outcome) => of.filter((i) => outcomes.get(i.id) === k).length;
    severities.push({
      severity,
      incidents: of.length,
      mtta: distribution(of.map((i) => i.mtta)),
      mttr: distribution(of.map((i) => i.mttr)),
      mttd: distribution(of.map((i) => i.mttd)),
      ...(targets.get(severity) ? { target: targets.get(severity)!.label } : {}),
      metTarget: count('met'),
      missedTarget: count('missed'),
      resolvedUnacknowledged: count('resolved'),
    });
  }

  // Alarms and their noise: re-alerts look back at the alarm's incidents before the period too.
  const history = new Map<string, Incident[]>();
  for (const i of all) {
    if (i.firedAt >= o.to) continue;
    const list = history.get(i.alarm) ?? [];
    list.push(i);
    history.set(i.alarm, list);
  }
  const alarms: AlarmHealth[] = [];
  for (const [alarm, list] of history) {
    const inPeriod = list.filter((i) => i.firedAt >= o.from);
    if (inPeriod.length === 0) continue;
    let realerts = 0;
    for (let k = list.length - inPeriod.length; k < list.length; k++) {
      const i = list[k];
      realerts += i.reopened;
      const before = k > 0 ? list[k - 1] : undefined;
      const ended = before ? before.resolvedAt ?? before.firstResolvedAt ?? before.firedAt : undefined;
      if (ended !== undefined && i.firedAt - ended < realertMs) realerts++;
    }
    const flaps = inPeriod.filter((i) => i.mttr !== undefined && i.mttr * 1000 < flapMs).length;
    const unacknowledged = inPeriod.filter(unacknowledgedPage).length;
    const days = [...new Set(inPeriod.map((i) => localDate(i.firedAt, tz)))].sort();
    let run = 0;
    let longest = 0;
    let previous: number | undefined;
    for (const d of days) {
      const day = Date.parse(`${d}T00:00:00Z`) / DAY;
      run = previous !== undefined && day - previous === 1 ? run + 1 : 1;
      longest = Math.max(longest, run);
      previous = day;
    }
    const latest = inPeriod[inPeriod.length - 1];
    const escalated = inPeriod.filter((i) => i.escalatedLevel > 0).length;
    alarms.push({
      alarm,
      alarmName: latest.alarmName,
      severity: latest.severity,
      ...latestContract(inPeriod, contracts),
      incidents: inPeriod.length,
      pages: inPeriod.filter((i) => i.page).length,
      flaps,
      realerts,
      unacknowledged,
      escalated,
      daysFired: days.length,
      longestDailyRun: longest,
      firesDaily: longest >= dailyDays,
      score: inPeriod.length + flaps + realerts + unacknowledged + (longest >= dailyDays ? 1 : 0),
      mttr: distribution(inPeriod.map((i) => i.mttr)),
    });
  }
  alarms.sort((a, b) => b.score - a.score || b.pages - a.pages || b.incidents - a.incidents || (a.alarmName < b.alarmName ? -1 : a.alarmName > b.alarmName ? 1 : 0));

  // Escalations: how far each escalated page went.
  const levels = new Map<number, number>();
  for (const i of pages) if (i.escalatedLevel > 0) levels.set(i.escalatedLevel, (levels.get(i.escalatedLevel) ?? 0) + 1);

  // Postmortems: required and written of the period's incidents; due and overdue of every incident known.
  const ref = (i: Incident, extra: Partial<IncidentRef> = {}): IncidentRef => ({
    incidentId: i.id, alarmName: i.alarmName, severity: i.severity, firedAt: i.firedAt, escalatedLevel: i.escalatedLevel,
    ...latestContract([i], contracts), ...(i.acknowledgedBy ? { acknowledgedBy: i.acknowledgedBy } : {}), ...extra,
  });
  // One asked for in Slack says so itself (its due time); else the criteria decide, from the first resolution.
  const needs = (i: Incident) => i.postmortemDueAt !== undefined ||
    (i.firstResolvedAt !== undefined && postmortemRequired(i.severity, i.firedAt, i.firstResolvedAt, postmortem));
  const needing = incidents.filter(needs);
  // Written and linked, or recorded as not needed in Slack; Final in the postmortem's own front matter.
  const isFinal = (s: string | undefined) => s !== undefined && /^(final|done|published|complete[d]?|linked|not-needed)$/i.test(s.trim());
  const due: IncidentRef[] = [];
  const overdue: IncidentRef[] = [];
  // What is still owed, as of now: a postmortem of an earlier period's incident that is still open is
  // follow-up this period's report (a week's, a shift's) must show, not only those of its own incidents.
  for (const i of all) {
    if (i.firedAt >= o.to || !needs(i) || isFinal(i.postmortemStatus)) continue;
    const dueAt = i.postmortemDueAt ?? postmortemDeadlines(i.firstResolvedAt!, postmortem).dueAt;
    (now > dueAt ? overdue : due).push(ref(i, { dueAt, ...(i.postmortemStatus ? { status: i.postmortemStatus } : {}) }));
  }

  // Alerts per incident: incidents that fired within a few minutes of each other are likely one.
  let groups = 0;
  let lastFired = -Infinity;
  for (const i of incidents) {
    if (i.firedAt - lastFired > groupMs) groups++;
    lastFired = i.firedAt;
  }
  const alerts = incidents.reduce((n, i) => n + 1 + i.reopened, 0);

  const personList: PersonLoad[] = [...people].map(([who, x]) => ({
    who, shifts: x.shifts, pages: x.pages, shiftsOverLimit: x.over, mostPagesInAShift: x.most, sleepPages: x.sleep, offHoursPages: x.off,
  })).sort((a, b) => b.pages - a.pages || (a.who < b.who ? -1 : 1));

  return {
    from: o.from,
    to: o.to,
    now,
    timeZone: tz,
    limitPerShift: limit,
    totals: {
      incidents: incidents.length,
      pages: pages.length,
      alerts,
      incidentGroups: groups,
      alertsPerIncident: groups === 0 ? 0 : Math.round((alerts / groups) * 100) / 100,
      unresolved: incidents.filter((i) => i.open).length,
      acknowledged: incidents.filter((i) => i.acknowledgedAt !== undefined).length,
      escalated: pages.filter((i) => i.escalatedLevel > 0).length,
      sleepPages: pages.filter(isSleep).length,
      offHoursPages: pages.filter(isOffHours).length,
      shifts: shiftLoads.length,
      shiftsOverLimit: shiftLoads.filter((s) => s.overLimit).length,
    },
    shifts: shiftLoads,
    people: personList,
    severities,
    alarms,
    noise: {
      flaps: alarms.reduce((n, a) => n + a.flaps, 0),
      realerts: alarms.reduce((n, a) => n + a.realerts, 0),
      dailyAlarms: alarms.filter((a) => a.firesDaily).length,
      unacknowledgedPages: alarms.reduce((n, a) => n + a.unacknowledged, 0),
    },
    escalations: {
      pages: pages.length,
      escalated: pages.filter((i) => i.escalatedLevel > 0).length,
      byLevel: [...levels].sort((a, b) => a[0] - b[0]).map(([level, n]) => ({ level, incidents: n })),
    },
    postmortems: {
      required: needing.length,
      final: needing.filter((i) => isFinal(i.postmortemStatus)).length,
      due,
      overdue,
      tracked: incidents.some((i) => i.postmortemStatus !== undefined),
    },
    unresolved: incidents.filter((i) => i.open).map((i) => ref(i)),
    series: seriesOf(incidents, o.from, o.to, tz),
  };
}

/** The runbook and owner of the latest incident whose alarm description names a runbook (else the latest's owner). */
function latestContract(list: readonly Incident[], cache: ContractCache): { runbook?: string; owner?: string } {
  let owner: string | undefined;
  for (let k = list.length - 1; k >= 0; k--) {
    const c = contractFacts(list[k].notification, cache);
    owner ??= c.owner;
    if (c.runbook) return { runbook: c.runbook, ...(c.owner ?? owner ? { owner: c.owner ?? owner } : {}) };
    if (list.length - k > 20) break;
  }
  return owner ? { owner } : {};
}

/** MTTA and MTTR per severity per day (periods up to 31 days) or per week (local midnights). */
function seriesOf(incidents: readonly Incident[], from: number, to: number, tz: string): SeriesPoint[] {
  const days = (to - from) / DAY <= 31 ? 1 : 7;
  const out: SeriesPoint[] = [];
  const w = wallClock(from, tz);
  let k = 0;
  let start = from;
  let i = 0;
  while (start < to) {
    k += days;
    const end = Math.min(to, zonedInstant(tz, w.year, w.month, w.day + k));
    const bucket: Incident[] = [];
    while (i < incidents.length && incidents[i].firedAt < end) bucket.push(incidents[i++]);
    for (const severity of REPORT_SEVERITIES) {
      const of = bucket.filter((x) => x.severity === severity);
      if (of.length === 0) continue;
      out.push({ from: start, to: end, severity, incidents: of.length, mtta: distribution(of.map((x) => x.mtta)), mttr: distribution(of.map((x) => x.mttr)) });
    }
    start = end;
  }
  return out;
}
