// Who is on call when: an on-call rotation (members taking shifts of `everyDays` days, handed off
// at a wall-clock time in a named time zone, with overrides for swaps and holidays) resolved at an
// instant. Pure and shared: the functions resolve it when a page opens or escalates, the CLI prints
// it (`runbook-alarms oncall`), the policy parser checks it. Handoffs follow the zone's own clock,
// daylight-saving changes included (docs/escalation-policy.md#rotations).

/** One person of a rotation: how Slack mentions them and/or the SNS topic that reaches their pager. */
export interface RotationMember {
  /** A Slack user `<@U0123ABCD>` (or user group). @default - not mentioned */
  readonly slackMention?: string;
  /** A standard SNS topic's ARN. @default - no topic */
  readonly snsTopicArn?: string;
}

/** A swap or a holiday cover: someone else on call from one local time to another. */
export interface RotationOverride extends RotationMember {
  /** Local time in the rotation's time zone, `YYYY-MM-DDTHH:MM` (inclusive). */
  readonly from: string;
  /** Local time in the rotation's time zone, `YYYY-MM-DDTHH:MM` (exclusive). */
  readonly to: string;
}

/** An on-call rotation, as the policy file's `rotation:` says it. */
export interface Rotation {
  /** Who takes the shifts, in order; the first takes the first shift. */
  readonly members: RotationMember[];
  /** The length of a shift in days (`daily` 1, `weekly` 7, `14d` 14). */
  readonly everyDays: number;
  /** When shifts change hands: `Mon 10:00`, or `10:00` (the first on or after `start`). */
  readonly handoff: string;
  /** The IANA time zone the handoff time and the overrides are read in (`Europe/Berlin`). */
  readonly timeZone: string;
  /** `YYYY-MM-DD`: the first member's first shift starts at the first handoff on or after this day. */
  readonly start: string;
  /** Swaps and holiday covers, none overlapping. @default - none */
  readonly overrides?: RotationOverride[];
}

/** A stretch of time one person is on call. */
export interface Shift {
  readonly member: RotationMember;
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  /** True when an override puts this person on call instead of the rotation's member. */
  readonly override: boolean;
}

const DAY = 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `Mon 10:00`, `monday 9:30`, `10:00` → ISO weekday (1 = Monday; undefined: any day) and minutes after midnight. */
export function parseHandoff(text: string): { weekday?: number; minutes: number } | undefined {
  const m = /^\s*(?:([a-z]{3})[a-z]*\.?,?\s+)?([01]?\d|2[0-3]):([0-5]\d)\s*$/i.exec(text);
  if (!m) return undefined;
  const weekday = m[1] === undefined ? undefined : WEEKDAYS.indexOf(m[1].toLowerCase()) + 1;
  if (weekday === 0) return undefined;
  return { weekday, minutes: Number(m[2]) * 60 + Number(m[3]) };
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (a space for the T) as wall-clock ms (the fields read as UTC); undefined when not a real date and time. */
export function parseLocalTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  // 2026-02-30 rolls over to March: not a real date.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 ? wall : undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

/** True for a time zone the runtime knows (IANA names such as `Asia/Tokyo`, and `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at `at` in `timeZone`, as ms whose UTC fields are the local ones. */
export function wallClock(at: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(at))) p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) + (at % 1000 + 1000) % 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time the clocks skip (spring forward) is
 * read with the offset before the change, so it lands just after the gap (02:30 → 03:30); a time
 * that happens twice (fall back) is the first of the two.
 */
export function instantOf(wall: number, timeZone: string): number {
  const candidates = [...new Set([wall - (wallClock(wall - DAY, timeZone) - (wall - DAY)), wall - (wallClock(wall + DAY, timeZone) - (wall + DAY))])];
  const real = candidates.filter((t) => wallClock(t, timeZone) === wall).sort((a, b) => a - b);
  return real.length > 0 ? real[0] : candidates[0];
}

/** An instant as the zone's wall clock and offset: ISO `2026-03-29T10:00:00+02:00`, or `2026-03-29 10:00 +02:00` for people. */
export function formatZoned(at: number, timeZone: string, iso = false): string {
  const wall = wallClock(at, timeZone);
  const offset = Math.round((wall - at) / 60_000);
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const text = new Date(wall - (wall % 1000)).toISOString();
  return iso ? `${text.slice(0, 19)}${zone}` : `${text.slice(0, 10)} ${text.slice(11, 16)} ${zone}`;
}

/** The rotation's regular handoffs: the first one (local day number and minutes) and the shift length. */
function schedule(r: Rotation): { firstDay: number; minutes: number; days: number } {
  const handoff = parseHandoff(r.handoff);
  const start = parseLocalTime(r.start);
  if (!handoff || start === undefined || !(r.everyDays >= 1) || r.members.length === 0) throw new Error(`not a rotation: ${JSON.stringify(r)}`);
  const startDay = Math.floor(start / DAY);
  // 1970-01-01 was a Thursday (ISO weekday 4).
  const weekday = ((startDay + 3) % 7 + 7) % 7 + 1;
  const firstDay = handoff.weekday === undefined ? startDay : startDay + ((handoff.weekday - weekday + 7) % 7);
  return { firstDay, minutes: handoff.minutes, days: r.everyDays };
}

/** The instant of regular handoff `k` (0: the first member's first shift starts). */
function handoffAt(r: Rotation, s: { firstDay: number; minutes: number; days: number }, k: number): number {
  return instantOf((s.firstDay + k * s.days) * DAY + s.minutes * 60_000, r.timeZone);
}

/** The regular shift around `at`: its number (negative before `start`: the rotation runs backward) and bounds. */
function regularShift(r: Rotation, at: number): { k: number; from: number; to: number } {
  const s = schedule(r);
  const first = (s.firstDay * DAY) + s.minutes * 60_000;
  let k = Math.floor((wallClock(at, r.timeZone) - first) / (s.days * DAY));
  while (handoffAt(r, s, k + 1) <= at) k++;
  while (handoffAt(r, s, k) > at) k--;
  return { k, from: handoffAt(r, s, k), to: handoffAt(r, s, k + 1) };
}

/** The overrides as instants, in time order. */
function overridesOf(r: Rotation): Array<{ member: RotationMember; from: number; to: number }> {
  return (r.overrides ?? []).flatMap((o) => {
    const from = parseLocalTime(o.from);
    const to = parseLocalTime(o.to);
    if (from === undefined || to === undefined) return [];
    return [{ member: { slackMention: o.slackMention, snsTopicArn: o.snsTopicArn }, from: instantOf(from, r.timeZone), to: instantOf(to, r.timeZone) }];
  }).filter((o) => o.to > o.from).sort((a, b) => a.from - b.from);
}

/** Who is on call at `at`, and from when to when (an override, or the regular shift cut by the overrides around it). */
export function onCallAt(r: Rotation, at: number): Shift {
  const overrides = overridesOf(r);
  const covering = overrides.find((o) => o.from <= at && at < o.to);
  if (covering) return { ...covering, override: true };
  const shift = regularShift(r, at);
  const n = r.members.length;
  let from = shift.from;
  let to = shift.to;
  for (const o of overrides) {
    if (o.to <= at && o.to > from) from = o.to;
    if (o.from > at && o.from < to) to = o.from;
  }
  return { member: r.members[((shift.k % n) + n) % n], from, to, override: false };
}

/** The shift on at `at` and the `count - 1` after it. */
export function shiftsFrom(r: Rotation, at: number, count: number): Shift[] {
  const out: Shift[] = [];
  for (let t = at; out.length < count; t = out[out.length - 1].to) out.push(onCallAt(r, t));
  return out;
}

/** The latest regular handoff at or before `at` (a shift changing hands; an override's edges are not handoffs). */
export function lastHandoff(r: Rotation, at: number): number {
  return regularShift(r, at).from;
}
