// How the synth gate reads an alarm contract: the one codec (lib/core/contract.ts), with lines read
// as a person sees them even when written to deceive. Letters that look like the Latin letters of
// the keys and severities (Cyrillic `Ѕ`, Greek `Ε`, Cherokee, small capitals, ...) read as those
// letters, and every invisible or bidirectional-control character is dropped, so a hidden
// `Ѕeverity: SEV1` beside `Severity: SEV3` is a conflict judged as SEV1. A severity line hidden
// behind a backslash (the codec's own escape, or one typed anywhere in the line) that reads more
// severe than the contract's severity counts too. Gate only: the Lambda functions keep the codec's
// lighter reading, so this table never enters their bundles.
import { AlarmContract, parseAlarmContractWith } from '../core/contract';
import { SEVERITIES } from '../core/severity';

// Each Latin letter (or the colon, the hyphen), then the characters that imitate it after NFKC.
// Compatibility forms (full-width, mathematical letters, Roman numerals) NFKC folds already.
const LOOKALIKES = [
  'a\u0430\u0251\u03b1\u237a', 'A\u0410\u0391\u13aa\ua4ee\u15c5',
  'b\u0184\u13cf\u1472\u042c', 'B\u0412\u0392\u13f4\ua4d0\u0299\u0432',
  'c\u0441\u03f2\u1d04', 'C\u0421\u03f9\u13df\ua4da',
  'd\u0501\u13e7\u146f', 'D\u13a0\ua4d3',
  'e\u0435\u04bd\u212e\u1971\u0454', 'E\u0415\u0395\u13ac\ua4f0\u2d39\u1d07',
  'f\ua799\uab35', 'F\u03dc\ua4dd\u15b4',
  'h\u04bb\u0570\u13c2', 'H\u041d\u0397\u13bb\ua4e7\u029c\u043d',
  'i\u0456\u03b9\u04cf\u0131\u0269\uab75\u1fbe', 'I\u0406\u0399\u04c0\ua4f2',
  'k\u043a\u03ba\u0138\u1d0b', 'K\u041a\u039a\u13e6\ua4d7',
  'm\u043c\u1d0d', 'M\u041c\u039c\u13b7\ua4df',
  'n\u043f\u0578\u057c\u0274', 'N\u039d\ua4e0',
  'o\u043e\u03bf\u0585\u1d0f\u03c3\u0d20', 'O\u041e\u039f\u0555\u13be\ua4f3\u2d54',
  'p\u0440\u03c1\u2374', 'P\u0420\u03a1\u13e2\ua4d1',
  'r\u0433\uab47\u2c85\u0280', 'R\u13a1\ua4e3\u01a6',
  's\u0455\ua731\u01bd', 'S\u0405\u13da\ua4e2\u054f',
  't\u0442\u1d1b', 'T\u0422\u03a4\u13a2\ua4d4',
  'u\u03c5\u057d\u1d1c\u028b', 'U\u054d\ua4f4\u144c',
  'v\u03bd\u0475\u1d20', 'V\u0474\u13d9\ua4e6',
  'w\u051d\u026f\u1d21\u03c9\u0461', 'W\u051c\u13b3\ua4ea',
  'x\u0445\u03c7', 'X\u0425\u03a7\ua4eb',
  'y\u0443\u04af\u03b3\u028f', 'Y\u03a5\u04ae\u13a9\ua4ec',
  ':\u2236\ua789\u02d0\u02f8\u05c3\u0589\u16ec\u205a\u0903\u1361',
  '-\u2010\u2011\u2012\u2013\u2014\u2212\u2043\ufe63',
];
let table: Map<string, string> | undefined;
const lookalike = (): Map<string, string> => {
  if (table) return table;
  table = new Map();
  for (const group of LOOKALIKES) for (const c of group.slice(1)) table.set(c, group[0]);
  return table;
};

// Every character that is not seen, or that reorders what is seen: format characters (Cf: soft
// hyphen, zero-width, bidirectional controls, tags), variation selectors, fillers, the combining grapheme joiner.
// eslint-disable-next-line no-misleading-character-class -- single code points, the joiner among them, each dropped alone
const UNSEEN = /[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/u;
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/;

/** A line as the gate reads it: NFKC, then what is not seen dropped and look-alike letters read as the letters they imitate. */
export function readLine(line: string): string {
  if (!NOT_ASCII.test(line)) return line;
  const map = lookalike();
  let out = '';
  for (const c of line.normalize('NFKC')) {
    if (UNSEEN.test(c)) continue;
    out += map.get(c) ?? c;
  }
  return out;
}

// The line breaks of the codec (lib/core/contract.ts).
const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/;

/** The severity a line gives on its own, with every backslash taken out (`first`: it may be a `SEV1: …` first line). */
function hiddenSeverity(line: string, first: boolean) {
  const bare = line.replace(/\\/g, '');
  return parseAlarmContractWith(first ? bare : `.\n${bare}`, readLine);
}

/**
 * The contract of a description as the gate reads it (see the top of this file). Linear in the
 * description's length: each line is read once, and once more when it holds a backslash.
 */
export function readContract(description?: string): AlarmContract {
  const contract = parseAlarmContractWith(description, readLine);
  if (typeof description !== 'string' || !description.includes('\\')) return contract;
  const lines = description.split(LINE_BREAK);
  const firstText = lines.findIndex((l) => l.trim() !== '');
  let severity = contract.severity;
  let severityText = contract.severityText;
  const conflicts = [...(contract.conflicts ?? [])];
  // The line the contract's severity was read from, for a conflict that names both.
  const shown = () => {
    const i = lines.findIndex((l, n) => !l.includes('\\') && parseAlarmContractWith(n === firstText ? l : `.\n${l}`, readLine).severityText !== undefined);
    return i < 0 ? undefined : { line: i + 1, text: lines[i].trim() };
  };
  lines.forEach((raw, i) => {
    if (!raw.includes('\\')) return;
    const alone = hiddenSeverity(raw, i === firstText);
    if (alone.severity === undefined || (severity !== undefined && SEVERITIES.indexOf(alone.severity) >= SEVERITIES.indexOf(severity))) return;
    const first = severity !== undefined ? shown() : undefined;
    if (first) conflicts.push({ key: 'Severity', first, second: { line: i + 1, text: raw.trim() } });
    else severityText ??= alone.severityText;
    severity = alone.severity;
  });
  if (severity === contract.severity) return contract;
  return { ...contract, severity, severityText, ...(conflicts.length > 0 ? { conflicts } : {}) };
}
