// The values the evaluator of CloudFormation (evaluator.ts) works with. An expression evaluates to
// the set of values it can take; each value is a text (literal parts and holes), a list of texts,
// or "absent" (AWS::NoValue). A hole is a part the evaluator cannot know before deployment: a
// pseudo parameter, an attribute of a resource, an import nobody in the app exports. Every hole
// carries whether it could be or contain a paging route (the taint), so taint flows through
// anything, including functions the evaluator does not model. Pure module.
import { REFERENCE } from '../alarm-rules/alarm-view';

/** A part of a text the evaluator cannot know. */
export interface Hole {
  readonly hole: true;
  /** True when this part could be or contain a paging route. */
  readonly page: boolean;
  /**
   * What CloudFormation will put here, when it is one thing wherever it is used: `res:<file>#<id>`
   * (a resource's Ref), `res:<file>#<id>.<attr>`, `import:<name>`, `ssm:<name>`, `param:<file>#<name>`.
   * @default - nothing to identify it by
   */
  readonly id?: string;
  /**
   * A pseudo parameter or generated name (AWS::Region, AWS::AccountId, ...): in an ARN it stands
   * for any one field. Other holes stand for any one field too, but never for a topic's name.
   */
  readonly wild?: boolean;
}

/** A text: literal parts and holes, in order (no two strings next to each other). */
export interface Text {
  readonly kind: 'text';
  readonly parts: readonly (string | Hole)[];
}

/** A list of texts (Fn::Split, a list parameter, a literal list). */
export interface List {
  readonly kind: 'list';
  readonly items: readonly Text[];
  /** True when the list may hold more items, or items split differently, than `items` shows (a hole was split). */
  readonly open: boolean;
}

/** The property is left out (AWS::NoValue). */
export interface Absent {
  readonly kind: 'absent';
}

/** One value an expression can take. */
export type Value = Text | List | Absent;

export const ABSENT: Absent = { kind: 'absent' };

/** A text of one literal string. */
export function literal(s: string): Text {
  return { kind: 'text', parts: s === '' ? [] : [s] };
}

/** A text that is one hole. */
export function holeText(hole: Omit<Hole, 'hole'>): Text {
  return { kind: 'text', parts: [{ hole: true, ...hole }] };
}

/** The texts joined, adjacent strings merged. */
export function concat(texts: readonly Text[]): Text {
  const parts: (string | Hole)[] = [];
  for (const t of texts) {
    for (const p of t.parts) {
      if (typeof p === 'string' && typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += p;
      else if (p !== '') parts.push(p);
    }
  }
  return { kind: 'text', parts };
}

/** The text when it is all literal, else undefined. */
export function literalOf(v: Value): string | undefined {
  if (v.kind !== 'text') return undefined;
  if (v.parts.length === 0) return '';
  return v.parts.length === 1 && typeof v.parts[0] === 'string' ? v.parts[0] : undefined;
}

/** True when the value holds a hole tainted as a paging route. */
export function hasPageHole(v: Value): boolean {
  if (v.kind === 'text') return v.parts.some((p) => typeof p !== 'string' && p.page);
  if (v.kind === 'list') return v.items.some(hasPageHole);
  return false;
}

/** A text of a value: a list's items joined with `,` (as a list parameter's value reads). */
export function asText(v: Value): Text {
  if (v.kind === 'text') return v;
  if (v.kind === 'absent') return literal('');
  const texts: Text[] = [];
  v.items.forEach((item, i) => {
    if (i > 0) texts.push(literal(','));
    texts.push(item);
  });
  return concat(texts);
}

/** A list of a value: a text is a list of one. */
export function asList(v: Value): List {
  if (v.kind === 'list') return v;
  if (v.kind === 'absent') return { kind: 'list', items: [], open: false };
  return { kind: 'list', items: [v], open: false };
}

/** `text` split at `delimiter`, as Fn::Split does; a hole may hide delimiters, so splitting one opens the list. */
export function split(text: Text, delimiter: string): List {
  const items: Text[] = [];
  let current: (string | Hole)[] = [];
  let open = false;
  for (const p of text.parts) {
    if (typeof p !== 'string') {
      current.push(p);
      open = true;
      continue;
    }
    const pieces = delimiter === '' ? [p] : p.split(delimiter);
    pieces.forEach((piece, i) => {
      if (i > 0) {
        items.push(concat([{ kind: 'text', parts: current }]));
        current = [];
      }
      if (piece !== '') current.push(piece);
    });
  }
  items.push(concat([{ kind: 'text', parts: current }]));
  return { kind: 'list', items, open };
}

/** A key for a set of values: two values with the same key are the same value. */
export function valueKey(v: Value): string {
  if (v.kind === 'absent') return '\u0000absent';
  if (v.kind === 'list') return `\u0000list${v.open ? '+' : ''}[${v.items.map(valueKey).join('\u0001')}]`;
  if (v.parts.length === 1 && typeof v.parts[0] === 'string') return v.parts[0];
  return v.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : `\u0002${p.id ?? ''}${p.page ? '!' : ''}${p.wild ? '*' : ''}`)).join('');
}

/** The values without repeats, in order. */
export function unique(values: readonly Value[]): Value[] {
  if (values.length < 2) return [...values];
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = valueKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The text with each hole written `{ref}` (what the alarm rules read as "a reference": it cannot read as, or start, a contract line). */
export function showText(text: Text): string {
  return text.parts.map((p) => (typeof p === 'string' ? p : REFERENCE)).join('');
}
