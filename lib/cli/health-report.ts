// `runbook-alarms report`: the on-call numbers of a period (lib/health) from the SlackNotifier's
// incident table, read with the user's AWS credentials (the AWS SDK loaded only here), or from an
// export of it; as text, JSON, and pictures (SVG, and PNG where @resvg/resvg-js is installed).
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { isTimeZone } from '../core/zoned-time';
import type { IncidentRecord } from '../functions/shared/incident';
import type { Item } from '../functions/shared/dynamodb-incident-store';
import type { IncidentFacts, Shift } from '../health/facts';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { reportSpec } from './specs';

const OPTIONS = {
  table: { type: 'string' },
  region: { type: 'string' },
  input: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  shifts: { type: 'string' },
  contact: { type: 'string' },
  'time-zone': { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
  svg: { type: 'string' },
  png: { type: 'boolean' },
  output: { type: 'string' },
  now: { type: 'string' },
} satisfies Record<string, OptionConfig>;

const DAY = 86_400_000;
/** How far before the period incidents are read: a re-alert looks back this far. */
const LOOK_BACK = DAY / 2;

/** `30d`, `12h`, or a date / ISO time: the start of the period. */
export function periodStart(raw: string, now: number): number {
  const rel = /^(\d+)\s*([dhw])$/.exec(raw.trim());
  if (rel) return now - Number(rel[1]) * { d: DAY, h: DAY / 24, w: 7 * DAY }[rel[2] as 'd' | 'h' | 'w'];
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) ? `${raw.trim()}T00:00:00Z` : raw);
  if (Number.isNaN(t)) throw new UsageError(`--since "${raw}" is not a duration (30d, 12h, 2w) or a date (YYYY-MM-DD, ISO 8601)`);
  return t;
}

function timeOf(v: unknown, where: string): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new InputError(`${where}: "${String(v)}" is not a time (ISO 8601 or epoch milliseconds)`);
  return t;
}

/**
 * Shifts from a file: `runbook-alarms oncall --format json` (objects with contact, from, to, slack),
 * or `[{from, to, who}]`; `contact` keeps one contact's shifts.
 */
export function readShifts(file: string, contact: string | undefined): Shift[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`--shifts ${file}: ${(e as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : Array.isArray((raw as { shifts?: unknown })?.shifts) ? (raw as { shifts: unknown[] }).shifts : undefined;
  if (!list) throw new InputError(`--shifts ${file}: expected a JSON array of shifts ({from, to, who}, or the output of \`runbook-alarms oncall --format json\`)`);
  const problems: string[] = [];
  const shifts: Shift[] = [];
  list.forEach((s: Record<string, unknown>, i) => {
    if (contact !== undefined && s?.contact !== contact) return;
    // `oncall --format json` lists a contact that is not a rotation once, with no from or to: not a shift.
    if (s?.contact !== undefined && s.from === null && s.to === null) return;
    const who = [s?.who, s?.slack, s?.contact].find((v) => typeof v === 'string' && v !== '') as string | undefined;
    try {
      const from = timeOf(s?.from, `--shifts ${file}: shift ${i + 1} "from"`);
      const to = timeOf(s?.to, `--shifts ${file}: shift ${i + 1} "to"`);
      if (!who) throw new InputError(`--shifts ${file}: shift ${i + 1} names nobody (who, slack or contact)`);
      if (to <= from) throw new InputError(`--shifts ${file}: shift ${i + 1} ends before it starts`);
      shifts.push({ from, to, who });
    } catch (e) {
      problems.push((e as Error).message);
    }
  });
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  if (contact !== undefined && shifts.length === 0) throw new InputError(`--shifts ${file}: no shift of contact "${contact}"`);
  return shifts;
}

/** A DynamoDB-JSON item ({"pk": {"S": …}, …}) as a record, or a plain record as it is. */
async function recordOf(v: unknown): Promise<IncidentFacts | undefined> {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const isItem = Object.values(o).some((a) => typeof a === 'object' && a !== null && ('S' in a || 'N' in a));
  if (!isItem) return o as unknown as IncidentFacts;
  const { fromItem } = await import('../functions/shared/dynamodb-incident-store');
  return fromItem(o as Item);
}

/**
 * Incidents from an export: a DynamoDB export to S3 (DynamoDB JSON, one `{"Item": …}` per line,
 * gzipped or not), the output of `aws dynamodb scan` (`{"Items": […]}`), or a JSON array of records.
 */
export async function readExport(file: string): Promise<IncidentFacts[]> {
  let text: string;
  try {
    const bytes = fs.readFileSync(file);
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new InputError(`--input ${file}: ${(e as Error).message}`);
  }
  const values: unknown[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(`--input ${file}: not JSON: ${(e as Error).message}`);
    }
    const items = Array.isArray(parsed) ? parsed : (parsed as { Items?: unknown[] }).Items ?? [(parsed as { Item?: unknown }).Item];
    values.push(...(Array.isArray(items) ? items : []));
  } else if (trimmed.startsWith('{')) {
    // One item per line (a DynamoDB export), or one JSON document spread over lines (`aws dynamodb scan`).
    try {
      const parsed = JSON.parse(trimmed) as { Items?: unknown[] };
      values.push(...(parsed.Items ?? []));
    } catch {
      trimmed.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          const parsed = JSON.parse(line) as { Item?: unknown };
          values.push(parsed.Item ?? parsed);
        } catch (e) {
          throw new InputError(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
        }
      });
    }
  } else if (trimmed !== '') {
    throw new InputError(`--input ${file}: expected a DynamoDB export (JSON lines), \`aws dynamodb scan\` output or a JSON array of incidents`);
  }
  const out: IncidentFacts[] = [];
  for (const v of values) {
    const r = await recordOf(v);
    if (r) out.push(r);
  }
  return out;
}

/** The incidents of the table, with the SDK from the user's project and their credentials. */
async function readTable(table: string, region: string | undefined, since: number): Promise<IncidentRecord[]> {
  let sdk: typeof import('@aws-sdk/client-dynamodb');
  try {
    sdk = require('@aws-sdk/client-dynamodb');
  } catch {
    throw new InputError('reading the incident table needs the AWS SDK for DynamoDB: `npm install --save-dev @aws-sdk/client-dynamodb` ' +
      '(or give --input with an export of the table)');
  }
  const { readIncidents } = await import('../functions/shared/incident-history');
  const client = new sdk.DynamoDBClient(region ? { region } : {});
  try {
    return await readIncidents({ client: client as never, ScanCommand: sdk.ScanCommand as never }, table, { since });
  } catch (e) {
    const err = e as { name?: string; message?: string };
    throw new InputError(`reading the incident table ${table}: ${err.name ?? 'Error'}: ${err.message ?? String(e)}` +
      (err.name === 'ResourceNotFoundException' ? ' (the SlackNotifier\'s incidentTable: its name is in the stack\'s resources; check --region)' : '') +
      (err.name === 'CredentialsProviderError' ? ' (set AWS_PROFILE or credentials that may dynamodb:Scan the table)' : ''));
  } finally {
    client.destroy();
  }
}

const TIME_KEYS = new Set(['from', 'to', 'now', 'firedAt', 'dueAt']);

/** Writes the pictures into `dir`: SVG, and PNG when asked. Returns the files written. */
async function writePictures(dir: string, svgs: Record<string, string>, png: boolean): Promise<string[]> {
  let render: ((svg: string) => Buffer) | undefined;
  if (png) {
    let resvg: { Resvg: new (svg: string, o?: unknown) => { render(): { asPng(): Buffer } } };
    try {
      resvg = require('@resvg/resvg-js');
    } catch {
      throw new InputError('--png needs @resvg/resvg-js: `npm install --save-dev @resvg/resvg-js` (the SVGs need nothing)');
    }
    render = (svg) => new resvg.Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
  }
  const written: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, svg] of Object.entries(svgs)) {
      fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
      written.push(path.join(dir, `${name}.svg`));
      if (render) {
        fs.writeFileSync(path.join(dir, `${name}.png`), render(svg));
        written.push(path.join(dir, `${name}.png`));
      }
    }
  } catch (e) {
    throw new InputError(`--svg ${dir}: ${(e as Error).message}`);
  }
  return written;
}

export async function reportCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, reportSpec.help);
  if (!parsed) return ExitCode.OK;
  const v = parsed.values as { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K] extends { type: 'boolean' } ? boolean : string };
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const inputs = v.input ?? [];
  if (!v.table && inputs.length === 0) throw new UsageError('give --table <name> (the SlackNotifier\'s incident table) or --input <export file>');
  if (v.table && inputs.length > 0) throw new UsageError('give --table or --input, not both');
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format}: use text or json`);
  if (v.png && !v.svg) throw new UsageError('--png writes beside the SVGs: give --svg <dir> too');
  const tz = v['time-zone'] ?? 'UTC';
  if (!isTimeZone(tz)) throw new UsageError(`--time-zone "${tz}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`);
  const limit = v.limit === undefined ? 2 : Number(v.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit "${v.limit}" must be a whole number of pages ≥ 1`);
  const now = (readNow(v.now) ?? new Date()).getTime();
  const to = v.until === undefined ? now : periodStart(v.until, now);
  const from = periodStart(v.since ?? '30d', now);
  if (to <= from) throw new UsageError('the period is empty: --since must be before --until');
  const shifts = v.shifts ? readShifts(v.shifts, v.contact) : [];
  if (v.contact && !v.shifts) throw new UsageError('--contact picks shifts from --shifts <file>');

  const facts: IncidentFacts[] = [];
  if (v.table) facts.push(...(await readTable(v.table, v.region, from - LOOK_BACK)));
  for (const file of inputs) facts.push(...(await readExport(file)));

  const { computeHealth } = await import('../health/health');
  const report = computeHealth(facts, { from, to, now: Math.max(now, to), shifts, timeZone: tz, limitPerShift: limit });
  let text: string;
  if (format === 'json') {
    text = JSON.stringify(report, (k, val) => (TIME_KEYS.has(k) && typeof val === 'number' ? new Date(val).toISOString() : val), 2) + '\n';
  } else {
    const { healthText } = await import('../health/text');
    text = healthText(report);
  }
  if (v.svg) {
    const { pagesPerShiftSvg, timesSvg } = await import('../health/charts');
    const files = await writePictures(v.svg, { 'pages-per-shift': pagesPerShiftSvg(report), mtta: timesSvg(report, 'mtta'), mttr: timesSvg(report, 'mttr') }, v.png === true);
    if (format === 'text') text += `\nPictures: ${files.join(', ')}\n`;
  }
  if (v.output) {
    try {
      fs.writeFileSync(v.output, text);
    } catch (e) {
      throw new InputError(`--output ${v.output}: ${(e as Error).message}`);
    }
  } else process.stdout.write(text);
  return ExitCode.OK;
}
