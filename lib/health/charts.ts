// The pictures of the on-call numbers, as SVG written by hand (no dependency): pages per 12-hour
// shift against the limit, and MTTA / MTTR per severity over time (p50 solid, p90 dashed, on a log
// scale, with the response targets). Each is a standalone file a browser, a PR or a wiki shows. Pure.
import { wallClock, zonedInstant } from '../core/zoned-time';
import { REPORT_SEVERITIES } from './facts';
import { HealthReport, SeriesPoint } from './health';

const W = 960;
const H = 360;
const M = { left: 64, right: 150, top: 48, bottom: 56 };
const COLORS: Record<string, string> = { SEV1: '#c62828', SEV2: '#ef6c00', SEV3: '#1565c0', SEV4: '#6a1b9a', none: '#616161' };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** Text for XML content and attribute values. */
export function xmlText(s: string): string {
  // Only characters XML 1.0 allows; the rest (control characters from alarm names) become U+FFFD.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();
const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

function when(ms: number, tz: string, withTime = true): string {
  const w = wallClock(ms, tz);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}${withTime ? ` ${p(w.hour)}:${p(w.minute)}` : ''}`;
}

function frame(title: string, subtitle: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t">`,
    `<title id="t">${xmlText(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" ${FONT} font-size="16" font-weight="bold" fill="#212121">${xmlText(title)}</text>`,
    `<text x="${M.left}" y="40" ${FONT} font-size="12" fill="#616161">${xmlText(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Bars of pages per 12-hour shift; the shifts over the limit in red, the limit a dashed line. */
export function pagesPerShiftSvg(r: HealthReport): string {
  const tz = r.timeZone;
  const shifts = r.shifts;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const top = Math.max(r.limitPerShift + 1, ...shifts.map((s) => s.pages));
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const span = Math.max(1, r.to - r.from);
  const x = (t: number) => M.left + ((t - r.from) / span) * plotW;
  const body: string[] = [];
  const step = Math.max(1, Math.ceil(top / 6));
  for (let v = 0; v <= top; v += step) {
    body.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#eeeeee"/>`);
    body.push(`<text x="${M.left - 8}" y="${n(y(v) + 4)}" ${FONT} font-size="11" text-anchor="end" fill="#616161">${v}</text>`);
  }
  for (const s of shifts) {
    if (s.pages === 0) continue;
    const x0 = x(s.from) + 0.5;
    const w = Math.max(1, x(s.to) - x(s.from) - 1);
    const label = `${when(s.from, tz)}–${when(s.to, tz).slice(11)}${s.who ? ` ${s.who}` : ''}: ${s.pages} page${s.pages === 1 ? '' : 's'}` +
      `${s.sleepPages ? `, ${s.sleepPages} in sleep hours` : ''}`;
    body.push(`<rect x="${n(x0)}" y="${n(y(s.pages))}" width="${n(w)}" height="${n(y(0) - y(s.pages))}" fill="${s.overLimit ? '#c62828' : '#1565c0'}"><title>${xmlText(label)}</title></rect>`);
  }
  body.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${n(y(r.limitPerShift))}" y2="${n(y(r.limitPerShift))}" stroke="#c62828" stroke-dasharray="6 4"/>`);
  body.push(`<text x="${M.left + plotW + 6}" y="${n(y(r.limitPerShift) + 4)}" ${FONT} font-size="11" fill="#c62828">limit ${r.limitPerShift}</text>`);
  body.push(...timeAxis(r, x, M.top + plotH));
  body.push(`<text x="${M.left + plotW + 6}" y="${M.top + 12}" ${FONT} font-size="11" fill="#212121">${r.totals.shiftsOverLimit} of ${r.totals.shifts} over</text>`);
  const t = r.totals;
  const subtitle = `${when(r.from, tz, false)} to ${when(r.to, tz, false)} (${tz}): ${plural(t.pages, 'page')}, ` +
    `${plural(t.shiftsOverLimit, 'shift')} over the limit, ${plural(t.sleepPages, 'page')} in sleep hours`;
  return frame(`Pages per 12-hour shift (limit ${r.limitPerShift})`, subtitle, body);
}

/** The time axis: a tick per day (or per week on long periods), labelled with the local date. */
function timeAxis(r: HealthReport, x: (t: number) => number, baseline: number): string[] {
  const out = [`<line x1="${M.left}" x2="${W - M.right}" y1="${baseline}" y2="${baseline}" stroke="#9e9e9e"/>`];
  const days = (r.to - r.from) / 86_400_000;
  const every = days <= 14 ? 1 : days <= 62 ? 7 : 14;
  const start = wallClock(r.from, r.timeZone);
  for (let d = 0; ; d++) {
    const t = zonedInstant(r.timeZone, start.year, start.month, start.day + d);
    if (t > r.to) break;
    if (t < r.from || d % every !== 0) continue;
    const at = x(t);
    out.push(`<line x1="${n(at)}" x2="${n(at)}" y1="${baseline}" y2="${baseline + 4}" stroke="#9e9e9e"/>`);
    out.push(`<text x="${n(at)}" y="${baseline + 18}" ${FONT} font-size="11" text-anchor="middle" fill="#616161">${when(t, r.timeZone, false).slice(5)}</text>`);
  }
  return out;
}

const TICKS = [60, 300, 1800, 7200, 43_200, 172_800, 604_800];
const tickLabel = (s: number) => (s < 3600 ? `${s / 60} min` : s < 86_400 ? `${s / 3600} h` : `${s / 86_400} d`);

/** MTTA or MTTR per severity over the period: p50 solid, p90 dashed, log scale; for MTTA the targets of SEV1 and SEV2. */
export function timesSvg(r: HealthReport, which: 'mtta' | 'mttr'): string {
  const tz = r.timeZone;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const points = r.series.filter((p) => p[which].count > 0);
  const values = points.flatMap((p) => [p[which].p50!, p[which].p90!]).map((v) => Math.max(v, 10));
  const lo = Math.min(60, ...values);
  const hi = Math.max(3600, ...values);
  const ly = (v: number) => M.top + plotH - ((Math.log(Math.max(v, 10)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * plotH;
  const span = Math.max(1, r.to - r.from);
  const x = (t: number) => M.left + ((t - r.from) / span) * plotW;
  const body: string[] = [];
  for (const t of TICKS.filter((v) => v >= lo && v <= hi)) {
    body.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${n(ly(t))}" y2="${n(ly(t))}" stroke="#eeeeee"/>`);
    body.push(`<text x="${M.left - 8}" y="${n(ly(t) + 4)}" ${FONT} font-size="11" text-anchor="end" fill="#616161">${tickLabel(t)}</text>`);
  }
  if (which === 'mtta') {
    for (const [severity, seconds, label] of [['SEV1', 300, 'SEV1 target 5 min'], ['SEV2', 1800, 'SEV2 target 30 min']] as const) {
      if (seconds < lo || seconds > hi) continue;
      body.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${n(ly(seconds))}" y2="${n(ly(seconds))}" stroke="${COLORS[severity]}" stroke-opacity="0.5" stroke-dasharray="2 3"/>`);
      body.push(`<text x="${M.left + plotW + 6}" y="${n(ly(seconds) + 4)}" ${FONT} font-size="10" fill="${COLORS[severity]}">${label}</text>`);
    }
  }
  const bySeverity = new Map<string, SeriesPoint[]>();
  for (const severity of REPORT_SEVERITIES) {
    const list = points.filter((p) => p.severity === severity);
    if (list.length > 0) bySeverity.set(severity, list);
  }
  let legend = 0;
  for (const [severity, list] of bySeverity) {
    const color = COLORS[severity] ?? COLORS.none;
    const mid = (p: SeriesPoint) => x((p.from + p.to) / 2);
    // p90 first: where they are equal, the p50's filled dot stays visible.
    for (const [q, dash] of [['p90', ' stroke-dasharray="5 4"'], ['p50', '']] as const) {
      const path = list.map((p) => `${n(mid(p))},${n(ly(p[which][q]!))}`).join(' ');
      if (list.length > 1) body.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      for (const p of list) {
        const label = `${severity} ${which.toUpperCase()} ${q} ${when(p.from, tz, false)}: ${tickLabel(Math.round(p[which][q]! / 60) * 60 || 60)} (${p[which].count} incident${p[which].count === 1 ? '' : 's'})`;
        body.push(`<circle cx="${n(mid(p))}" cy="${n(ly(p[which][q]!))}" r="${q === 'p50' ? 3.5 : 2.5}" fill="${q === 'p50' ? color : '#ffffff'}" stroke="${color}"><title>${xmlText(label)}</title></circle>`);
      }
    }
    const ly0 = M.top + 24 + legend++ * 18;
    body.push(`<line x1="${M.left + plotW + 10}" x2="${M.left + plotW + 30}" y1="${ly0}" y2="${ly0}" stroke="${color}" stroke-width="2"/>`);
    body.push(`<text x="${M.left + plotW + 36}" y="${ly0 + 4}" ${FONT} font-size="11" fill="#212121">${xmlText(severity)}</text>`);
  }
  body.push(`<text x="${M.left + plotW + 10}" y="${M.top + 8}" ${FONT} font-size="10" fill="#616161">solid p50, dashed p90</text>`);
  if (points.length === 0) body.push(`<text x="${M.left + plotW / 2}" y="${M.top + plotH / 2}" ${FONT} font-size="14" text-anchor="middle" fill="#9e9e9e">no ${which === 'mtta' ? 'acknowledged' : 'resolved'} incidents in this period</text>`);
  body.push(...timeAxis(r, x, M.top + plotH));
  const name = which === 'mtta' ? 'Time to acknowledge (MTTA)' : 'Time to resolve (MTTR)';
  const per = (r.to - r.from) / 86_400_000 <= 31 ? 'per day' : 'per week';
  return frame(`${name} per severity`, `${when(r.from, tz, false)} to ${when(r.to, tz, false)} (${tz}), ${per}, log scale`, body);
}
