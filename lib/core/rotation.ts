// Who is on call when: an on-call rotation (members taking shifts of `everyDays` days, handed off
// at a wall-clock time in a named time zone, with overrides for swaps and holidays) resolved at an
// instant. A rotation as written (`Rotation`) is compiled once into numbers (`RotationSchedule`),
// which is what the functions carry and resolve when a page opens or escalates; the CLI
// (`runbook-alarms oncall`) and the policy parser compile and resolve with the same code. Handoffs
// follow the zone's own clock, daylight-saving changes included (docs/escalation-policy.md#rotations),
// read through ./zoned-time. Pure module.
import { instantOfLocal, isTimeZone, localMs, zoneOffsetMinutes } from './zoned-time';

export { isTimeZone };

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

/** A person as the schedule keeps them: `[Slack mention, SNS topic ARN]`, `''` for none. */
export type ScheduledMember = readonly [string, string];

/** A rotation compiled to numbers, ready to resolve (and small: the functions carry it in their environment). */
export interface RotationSchedule {
  readonly members: readonly ScheduledMember[];
  /** The local day (days since 1970-01-01) of the first handoff. */
  readonly firstDay: number;
  /** The handoff's minutes after local midnight. */
  readonly minutes: number;
  /** The length of a shift in days. */
  readonly days: number;
  readonly zone: string;
  /** The overrides as `[from, to, mention, topic]` (epoch ms, the end exclusive), in time order. */
  readonly overrides: ReadonlyArray<readonly [number, number, string, string]>;
}

/** A stretch of time one person is on call. */
export interface Shift {
  readonly member: ScheduledMember;
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

/** The zone's name as the runtime spells it (`asia/tokyo` → `Asia/Tokyo`), or the name as given. */
export function canonicalZone(timeZone: string): string {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
}

/** An instant as the zone's wall clock and offset: ISO `2026-03-29T10:00:00+02:00`, or `2026-03-29 10:00 +02:00` for people. */
export function formatZoned(at: number, timeZone: string, iso = false): string {
  const offset = zoneOffsetMinutes(at, timeZone);
  const wall = at + offset * 60_000;
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const text = new Date(wall - (wall % 1000)).toISOString();
  return iso ? `${text.slice(0, 19)}${zone}` : `${text.slice(0, 10)} ${text.slice(11, 16)} ${zone}`;
}

const member = (m: RotationMember): ScheduledMember => [m.slackMention ?? '', m.snsTopicArn ?? ''];

/** Compiles a rotation as written (checked by the policy parser) into its schedule. Throws for one that is not a rotation. */
export function compileRotation(r: Rotation): RotationSchedule {
  const handoff = parseHandoff(r.handoff);
  const start = parseLocalTime(r.start);
  if (!handoff || start === undefined || !(r.everyDays >= 1) || r.members.length === 0 || !isTimeZone(r.timeZone)) throw new Error(`not a rotation: ${JSON.stringify(r)}`);
  const startDay = Math.floor(start / DAY);
  // 1970-01-01 was a Thursday (ISO weekday 4).
  const weekday = ((startDay + 3) % 7 + 7) % 7 + 1;
  const overrides = (r.overrides ?? []).flatMap((o) => {
    const from = parseLocalTime(o.from);
    const to = parseLocalTime(o.to);
    return from === undefined || to === undefined ? [] : [[instantOfLocal(from, r.timeZone), instantOfLocal(to, r.timeZone), ...member(o)] as const];
  }).filter((o) => o[1] > o[0]).sort((a, b) => a[0] - b[0]);
  return {
    members: r.members.map(member),
    firstDay: handoff.weekday === undefined ? startDay : startDay + ((handoff.weekday - weekday + 7) % 7),
    minutes: handoff.minutes,
    days: r.everyDays,
    zone: r.timeZone,
    overrides,
  };
}

/** The instant of regular handoff `k` (0: the first member's first shift starts). */
const handoffAt = (s: RotationSchedule, k: number): number => instantOfLocal((s.firstDay + k * s.days) * DAY + s.minutes * 60_000, s.zone);

/** The regular shift around `at`: its number (negative before the start: the rotation runs backward) and bounds. */
function regularShift(s: RotationSchedule, at: number): { k: number; from: number; to: number } {
  let k = Math.floor((localMs(at, s.zone) - s.firstDay * DAY - s.minutes * 60_000) / (s.days * DAY));
  while (handoffAt(s, k + 1) <= at) k++;
  while (handoffAt(s, k) > at) k--;
  return { k, from: handoffAt(s, k), to: handoffAt(s, k + 1) };
}

/** Who is on call at `at`, and from when to when (an override, or the regular shift cut by the overrides around it). */
export function onCallAt(s: RotationSchedule, at: number): Shift {
  const covering = s.overrides.find((o) => o[0] <= at && at < o[1]);
  if (covering) return { member: [covering[2], covering[3]], from: covering[0], to: covering[1], override: true };
  const shift = regularShift(s, at);
  const n = s.members.length;
  let { from, to } = shift;
  for (const [start, end] of s.overrides) {
    if (end <= at && end > from) from = end;
    if (start > at && start < to) to = start;
  }
  return { member: s.members[((shift.k % n) + n) % n], from, to, override: false };
}

/** The shift on at `at` and the `count - 1` after it. */
export function shiftsFrom(s: RotationSchedule, at: number, count: number): Shift[] {
  const out: Shift[] = [];
  for (let t = at; out.length < count; t = out[out.length - 1].to) out.push(onCallAt(s, t));
  return out;
}

/** The latest regular handoff at or before `at` (a shift changing hands; an override's edges are not handoffs). */
export function lastHandoff(s: RotationSchedule, at: number): number {
  return regularShift(s, at).from;
}
