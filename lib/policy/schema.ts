// A small schema-driven reader of YAML: a schema says what each place of a document may hold (the
// keys of a mapping, the kind of each value); reading a document against it gives the value and
// every problem at once, each at its line and column with the fix in words: the closest key for a
// misspelt one, the place a known key belongs when it is written somewhere else, what a value must
// look like. The policy file (./policy.ts) is one schema of it. Pure module, build time only.
import { LineCounter, Node, Scalar, isMap, isScalar, isSeq } from 'yaml';
import { closest } from '../core/text';

/** A place in a file, 1-based. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/** One problem, at a place, with what to write instead. */
export interface Problem extends Location {
  readonly detail: string;
}

/** What a schema reads a node into, and the problems found on the way. */
export class ReadContext {
  readonly problems: Problem[] = [];
  /** Where each value read was written, by its path (`severity_routing.SEV1.then[0]`). */
  readonly locations: Record<string, Location> = {};

  constructor(private readonly counter: LineCounter, private readonly keyPlaces: ReadonlyMap<string, readonly string[]>, private readonly source: string) {}

  /** The text of a line (1-based). */
  lineText(line: number): string {
    return this.source.split(/\r?\n/)[line - 1] ?? '';
  }

  /** The place of a node (its first character), or of the document's start. */
  at(node: unknown): Location {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return { line: 1, column: 1 };
    const pos = this.counter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  }

  report(where: unknown, detail: string): void {
    const loc = isLocation(where) ? where : this.at(where);
    this.problems.push({ line: loc.line, column: loc.column, detail });
  }

  mark(path: string, node: unknown): void {
    this.locations[path] = this.at(node);
  }

  /** Other places a key is known at, for "it belongs under …". */
  placesOf(key: string): readonly string[] {
    return this.keyPlaces.get(key) ?? [];
  }
}

const isLocation = (x: unknown): x is Location => typeof x === 'object' && x !== null && !('range' in x) && typeof (x as Location).line === 'number';

/** A value a schema reads (undefined: absent or wrong, and reported). */
export interface Shape<T> {
  /** What the value must be, in words, for messages: `a duration such as 5m`. */
  readonly expects: string;
  read(node: Node | null, cx: ReadContext, path: string): T | undefined;
  /** The keys of a mapping, for the index of where each key belongs. */
  readonly fields?: Readonly<Record<string, Field>>;
  /** The shape of each value of a dictionary or each item of a list. */
  readonly items?: Shape<unknown>;
  /** How a dictionary's keys are shown in a path (`contacts.<name>`). */
  readonly keyName?: string;
}

/** A key of a mapping: its shape, and, when it must be given, what to write. */
export interface Field {
  readonly shape: Shape<unknown>;
  /** The fix when the key is missing (it is then required). */
  readonly required?: string;
}

/** How a path reads in messages: `SEV1.then` rather than `severity_routing.SEV1.then`. */
export function shown(path: string): string {
  return path.replace(/^severity_routing\./, '') || 'the file';
}

type Pair = { key: Node; value: Node | null };
const pairsOf = (node: Node): Pair[] => (node as unknown as { items: Pair[] }).items;

/** A pair's value; an empty one as an empty scalar at the key's place, so problems point at the line. */
function valueOf(pair: Pair): Node {
  if (pair.value) return pair.value;
  const empty = new Scalar(null);
  empty.range = (pair.key as { range?: [number, number, number] }).range ?? [0, 0, 0];
  return empty;
}
/** The text of a mapping key (`SEV1`, `42`). */
export const keyText = (node: Node): string => (isScalar(node) ? String(node.value) : '');

/** A scalar's value, trimmed when text; undefined for a mapping, a list or nothing. */
function scalarOf(node: Node | null): string | number | boolean | null | undefined {
  if (!node || !isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v.trim() : (v as number | boolean | null);
}

/** The kind of node written, for "… is a list" messages. */
function kindOf(node: Node | null, cx?: ReadContext): string {
  if (!node || (isScalar(node) && (node.value === null || node.value === ''))) {
    // `notify: #incidents` unquoted is a YAML comment: the value is empty.
    const line = node && cx ? cx.lineText(cx.at(node).line) : '';
    return /:\s+#/.test(line) ? 'empty: unquoted, a #name is a YAML comment; quote it, "#name"' : 'empty';
  }
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return `"${String((node as { value: unknown }).value)}"`;
}

/** A text value that `accept` turns into the value (undefined: refused, with `expects` in the message). */
export function text<T = string>(expects: string, accept: (value: string) => T | undefined = (v) => v as unknown as T, hint?: (value: string) => string | undefined): Shape<T> {
  return {
    expects,
    read(node, cx, path) {
      const v = scalarOf(node);
      const value = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
      const out = typeof value === 'string' && value !== '' ? accept(value) : undefined;
      if (out !== undefined) {
        cx.mark(path, node);
        return out;
      }
      const extra = typeof value === 'string' ? hint?.(value) : undefined;
      cx.report(node, `${shown(path)} must be ${expects} (it is ${kindOf(node, cx)})${extra ? `; ${extra}` : ''}`);
      return undefined;
    },
  };
}

/** A whole number from `min` to `max`. */
export function integer(expects: string, min: number, max: number): Shape<number> {
  return text(expects, (v) => (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : undefined));
}

/** A list of `item`s; with `single`, one item written alone reads as a list of one. Empty lists are refused with `empty`. */
export function list<T>(item: Shape<T>, options: { single?: boolean; empty: string }): Shape<T[]> {
  return {
    expects: `a list of ${item.expects}`,
    items: item as Shape<unknown>,
    read(node, cx, path) {
      if (node && isSeq(node)) {
        const items = (node as unknown as { items: Node[] }).items;
        if (items.length === 0) {
          cx.report(node, `${shown(path)} is an empty list; ${options.empty}`);
          return undefined;
        }
        cx.mark(path, node);
        const out = items.map((n, i) => item.read(n, cx, `${path}[${i}]`));
        return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
      }
      if (options.single && node && isScalar(node) && node.value !== null && node.value !== '') {
        cx.mark(path, node);
        const one = item.read(node, cx, `${path}[0]`);
        return one === undefined ? undefined : [one];
      }
      cx.report(node, `${shown(path)} must be a list of ${item.expects}${options.single ? `, or one of them` : ''} (it is ${kindOf(node, cx)})`);
      return undefined;
    },
  };
}

/** One of two shapes, chosen by the node: a scalar is read as `scalar`, a mapping as `mapping`. */
export function scalarOrMapping<T>(expects: string, scalar: Shape<T>, mapping: Shape<T>): Shape<T> {
  return {
    expects,
    fields: mapping.fields,
    read(node, cx, path) {
      if (node && isMap(node)) return mapping.read(node, cx, path);
      if (node && isScalar(node) && node.value !== null) return scalar.read(node, cx, path);
      cx.report(node, `${shown(path)} must be ${expects} (it is ${kindOf(node, cx)})`);
      return undefined;
    },
  };
}

/** The values a mapping read, by key, with the node of each (for later checks at its place). */
export interface ReadMapping {
  readonly node: Node;
  readonly values: Record<string, unknown>;
  /** Keys written, whatever their value, and their value's node. */
  readonly written: Record<string, Node>;
  /** How many keys were unknown here (each reported). */
  readonly unknown: number;
}

/** A mapping with the given keys; an unknown key is a problem with its closest known key, or the place it belongs. */
export function mapping(expects: string, fields: Record<string, Field>): Shape<ReadMapping> {
  return {
    expects,
    fields,
    read(node, cx, path) {
      if (!node || !isMap(node)) {
        cx.report(node, `${shown(path)} must be ${expects} (it is ${kindOf(node, cx)})`);
        return undefined;
      }
      cx.mark(path, node);
      const values: Record<string, unknown> = {};
      const written: Record<string, Node> = {};
      const meant = new Set<string>();
      let unknown = 0;
      for (const pair of pairsOf(node)) {
        const key = keyText(pair.key);
        const field = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
        if (!field) {
          unknown++;
          const hint = closestKey(key, Object.keys(fields));
          if (hint) meant.add(hint);
          cx.report(pair.key, unknownKey(key, path, Object.keys(fields), cx));
          continue;
        }
        written[key] = valueOf(pair);
        const v = field.shape.read(valueOf(pair), cx, path ? `${path}.${key}` : key);
        if (v !== undefined) values[key] = v;
      }
      for (const [key, field] of Object.entries(fields)) {
        // A misspelt key already says what to write; "needs" would only repeat it.
        if (field.required && !(key in written) && !meant.has(key)) cx.report(node, `${shown(path)} needs \`${key}:\`; ${field.required}`);
      }
      return { node, values, written, unknown };
    },
  };
}

/** The known key a misspelt one meant: a short key must be close (`sms` → `sns`, but `when` is not `due`). */
function closestKey(key: string, known: readonly string[]): string | undefined {
  return closest(key, known, Math.min(3, Math.max(1, Math.floor(key.length / 3))));
}

/** What to say of an unknown key: the closest key of this place, else the place where such a key belongs. */
function unknownKey(key: string, path: string, known: string[], cx: ReadContext): string {
  const where = path ? ` under ${shown(path)}` : '';
  const hint = closestKey(key, known);
  if (hint) return `unknown key "${key}"${where}; did you mean "${hint}"? (keys here: ${known.join(', ')})`;
  const elsewhere = cx.placesOf(key).filter((p) => p !== path);
  if (elsewhere.length > 0) return `unknown key "${key}"${where}; it belongs under ${elsewhere.map((p) => shown(p) === 'the file' ? 'the top level' : shown(p)).join(' or ')} (keys here: ${known.join(', ')})`;
  return `unknown key "${key}"${where} (keys here: ${known.join(', ')})`;
}

/**
 * A mapping whose keys are names the file chooses (`contacts:`), each checked by `key` (which
 * returns the key as kept, or a problem), each value read by `value`. A key written twice is a problem.
 */
export function dictionary<T>(expects: string, keyName: string, key: (k: string) => { name: string } | { problem: string }, value: Shape<T>): Shape<Array<{ name: string; value: T | undefined; node: Node }>> {
  return {
    expects,
    items: value as Shape<unknown>,
    keyName,
    read(node, cx, path) {
      if (!node || !isMap(node)) {
        cx.report(node, `${shown(path)} must be ${expects} (it is ${kindOf(node, cx)})`);
        return undefined;
      }
      cx.mark(path, node);
      // Every key written, its value undefined when it was refused (and reported): a name defined wrong is still defined.
      const out: Array<{ name: string; value: T | undefined; node: Node }> = [];
      const seen = new Set<string>();
      for (const pair of pairsOf(node)) {
        const checked = key(keyText(pair.key));
        if ('problem' in checked) {
          cx.report(pair.key, checked.problem);
          continue;
        }
        if (seen.has(checked.name)) {
          cx.report(pair.key, `${shown(path ? `${path}.${checked.name}` : checked.name)} is written twice; keep one`);
          continue;
        }
        seen.add(checked.name);
        const itemPath = path ? `${path}.${checked.name}` : checked.name;
        cx.mark(itemPath, pair.key);
        out.push({ name: checked.name, value: value.read(valueOf(pair), cx, itemPath), node: pair.key });
      }
      return out;
    },
  };
}

/** Where each key of a schema is known (`escalate_after` → `severity_routing.<SEVn>`), for "it belongs under". */
export function keyPlaces(shape: Shape<unknown>): Map<string, string[]> {
  const places = new Map<string, string[]>();
  const walk = (s: Shape<unknown>, path: string, seen: Set<Shape<unknown>>): void => {
    if (seen.has(s)) return;
    const next = new Set(seen).add(s);
    for (const [key, field] of Object.entries(s.fields ?? {})) {
      const list = places.get(key) ?? [];
      if (!list.includes(path)) list.push(path);
      places.set(key, list);
      walk(field.shape, path ? `${path}.${key}` : key, next);
    }
    if (s.items) walk(s.items, s.keyName ? `${path}.${s.keyName}` : `${path}[]`, next);
  };
  walk(shape, '', new Set());
  return places;
}
