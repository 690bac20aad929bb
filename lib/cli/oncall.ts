// `runbook-alarms oncall --policy <file>`: who is on call for each contact of an escalation policy,
// now (or at --at) and for the next shifts, swaps in their place, resolved by the same code the
// functions page with (lib/core/rotation.ts): a team checks the file before merging it.
import { EscalationContact, EscalationPolicy, EscalationPolicyError, readEscalationPolicy } from '../policy/policy';
import { compileRotation, formatZoned, parseLocalTime, shiftsFrom } from '../core/rotation';
import { instantOfLocal } from '../core/zoned-time';
import { NOW_ENV, parseNow } from '../core/now';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs } from './args';
import { oncallSpec } from './specs';

const OPTIONS = {
  policy: { type: 'string' },
  at: { type: 'string' },
  shifts: { type: 'string' },
  format: { type: 'string' },
} satisfies Record<string, OptionConfig>;

/** One contact and shift, as `--format json` prints it (SPEC: contact, from, to, slack, sns). */
export interface OnCallEntry {
  readonly contact: string;
  /** ISO with the rotation's offset; null for a contact that is not a rotation (always on call). */
  readonly from: string | null;
  readonly to: string | null;
  readonly slack: string | null;
  readonly sns: string | null;
  /** True when a swap (override) puts this person on call. */
  readonly override: boolean;
}

/** `--at`: an instant with an offset (or Z), or a local time read in each rotation's own time zone. */
type At = { readonly instant: number } | { readonly wall: number };

function readAt(raw: string | undefined): At {
  if (raw === undefined) {
    const pinned = process.env[NOW_ENV];
    const d = pinned ? parseNow(pinned) : new Date();
    if (!d) throw new UsageError(`${NOW_ENV}="${pinned}" is not a date`);
    return { instant: d.getTime() };
  }
  const text = raw.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new UsageError(`--at "${raw}" is not a time; write 2026-03-30T09:00+02:00, 2026-03-30T07:00Z or 2026-03-30T09:00 (in each rotation's time zone)`);
    return { instant: t };
  }
  const wall = parseLocalTime(text);
  if (wall === undefined) throw new UsageError(`--at "${raw}" is not a time; write 2026-03-30T09:00+02:00, 2026-03-30T07:00Z or 2026-03-30T09:00 (in each rotation's time zone)`);
  return { wall };
}

/** Every contact's shifts from `at`: a rotation's `count`, a fixed contact's one entry. */
export function onCallEntries(policy: EscalationPolicy, at: At, count: number): OnCallEntry[] {
  return (policy.contacts ?? []).flatMap((c: EscalationContact): OnCallEntry[] => {
    if (!c.rotation) return [{ contact: c.name, from: null, to: null, slack: c.slackMention ?? null, sns: c.snsTopicArn ?? null, override: false }];
    const schedule = compileRotation(c.rotation);
    const t = 'instant' in at ? at.instant : instantOfLocal(at.wall, c.rotation.timeZone);
    return shiftsFrom(schedule, t, count).map((s) => ({
      contact: c.name,
      from: formatZoned(s.from, schedule.zone, true),
      to: formatZoned(s.to, schedule.zone, true),
      slack: s.member[0] || null,
      sns: s.member[1] || null,
      override: s.override,
    }));
  });
}

/** Where each contact is used, for the text view: `page SEV1, SEV2; then SEV1`. */
function usesOf(policy: EscalationPolicy, name: string): string {
  const by = (pick: (r: EscalationPolicy['routing'][number]) => boolean) => policy.routing.filter(pick).map((r) => r.severity);
  const parts = [
    ['pages', by((r) => r.page === name)],
    ['escalated to', by((r) => (r.escalateTo ?? []).includes(name))],
    ['told', by((r) => (r.notify ?? []).includes(name))],
  ].filter(([, sevs]) => sevs.length > 0).map(([what, sevs]) => `${what} on ${(sevs as string[]).join(', ')}`);
  return parts.length ? parts.join('; ') : 'not used by severity_routing';
}

function textView(policy: EscalationPolicy, entries: OnCallEntry[], at: At): string[] {
  const out: string[] = [];
  const when = 'instant' in at ? new Date(at.instant).toISOString().replace('.000Z', 'Z') : `${new Date(at.wall).toISOString().slice(0, 16)} in each rotation's time zone`;
  out.push(`${policy.file}${policy.service ? ` (${policy.service})` : ''}: on call at ${when}`, '');
  for (const c of policy.contacts ?? []) {
    const mine = entries.filter((e) => e.contact === c.name);
    const who = (e: OnCallEntry) => [e.slack ?? '(no Slack mention)', ...(e.sns ? [`sns ${e.sns}`] : [])].join('  ');
    if (!c.rotation) {
      out.push(`${c.name}: ${who(mine[0])}  (always; ${usesOf(policy, c.name)})`, '');
      continue;
    }
    const r = c.rotation;
    out.push(`${c.name}: rotation of ${r.members.length}, every ${r.everyDays} day${r.everyDays > 1 ? 's' : ''}, handed off ${r.handoff} ${r.timeZone} (${usesOf(policy, c.name)})`);
    mine.forEach((e, i) => {
      const label = i === 0 ? 'now ' : 'next';
      const span = `${e.from!.replace('T', ' ').replace(/:00([+-])/, ' $1')} → ${e.to!.replace('T', ' ').replace(/:00([+-])/, ' $1')}`;
      out.push(`  ${label}  ${span}  ${who(e)}${e.override ? '  (swap)' : ''}`);
    });
    out.push('');
  }
  if ((policy.contacts ?? []).length === 0) out.push('The policy has no contacts: nobody is on call by it (add contacts: with slack:, sns: or a rotation:).', '');
  const notes = policy.oncall;
  if (notes && (notes.rotation || notes.handoff || notes.compensation)) {
    out.push('oncall notes:', ...(['rotation', 'handoff', 'compensation'] as const).flatMap((k) => (notes[k] ? [`  ${k}: ${notes[k]}`] : [])));
  }
  return out;
}

/** Runs `runbook-alarms oncall`; resolves to the exit code. */
export async function oncallCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, oncallSpec.help);
  if (!parsed) return ExitCode.OK;
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected ${parsed.positionals.join(' ')}; give the policy with --policy <file>`);
  const file = (parsed.values.policy as string | undefined) ?? 'escalation-policy.yaml';
  const format = (parsed.values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format "${format}": use text or json`);
  const rawShifts = parsed.values.shifts as string | undefined;
  const shifts = rawShifts === undefined ? 4 : Number(rawShifts);
  if (!Number.isInteger(shifts) || shifts < 1 || shifts > 1000) throw new UsageError(`--shifts "${rawShifts}" is not a whole number from 1 to 1000`);
  const at = readAt(parsed.values.at as string | undefined);
  let policy: EscalationPolicy;
  try {
    policy = readEscalationPolicy(file);
  } catch (e) {
    if (e instanceof EscalationPolicyError) throw new InputError(`--policy ${file} cannot be used:\n${e.message}`);
    throw new InputError(`cannot read --policy ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const entries = onCallEntries(policy, at, shifts);
  process.stdout.write(format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : `${textView(policy, entries, at).join('\n')}\n`);
  return ExitCode.OK;
}
