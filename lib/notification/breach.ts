// When the trouble began, as CloudWatch tells it in an ALARM notification: the first breaching
// datapoint's time, read from NewStateReason (`… 3 datapoints [5.0 (12/02/19 15:44:00), …] were
// greater than …`), or, for missing data treated as breaching, the periods it names times the
// Trigger's period. State change − this = how long the monitoring took to notice (MTTD). Pure.
import { AlarmNotification } from './sns-message';

// CloudWatch writes datapoint times as dd/MM/yy HH:mm:ss, in UTC, at the start of their period.
const DATAPOINT_TIME = /\((\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\)/g;
const MISSING = /no datapoints were received for (\d+) periods?/i;

/**
 * The start of the first breaching period (epoch ms), or undefined when the notification does not
 * say (composite alarms, a reason without times).
 */
export function breachStart(n: AlarmNotification, stateChangeAt: number): number | undefined {
  const reason = n.reason;
  if (typeof reason !== 'string' || reason.length > 20_000) return undefined;
  let first: number | undefined;
  for (const m of reason.matchAll(DATAPOINT_TIME)) {
    const [, dd, mm, yy, h, mi, s] = m.map(Number);
    const at = Date.UTC(2000 + yy, mm - 1, dd, h, mi, s);
    // A time after the state change cannot have caused it: not a datapoint's (or a misread one).
    if (Number.isNaN(at) || at > stateChangeAt || mm < 1 || mm > 12 || dd < 1 || dd > 31) continue;
    if (first === undefined || at < first) first = at;
  }
  if (first !== undefined) return first;
  const missing = MISSING.exec(reason);
  const period = n.metric?.period;
  if (missing && period !== undefined && period > 0) return stateChangeAt - Number(missing[1]) * period * 1000;
  return undefined;
}
