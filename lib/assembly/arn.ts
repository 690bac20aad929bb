// ARNs among evaluated values: whether a text could be (or contain) the ARN of a paging route,
// when parts of both are unknown (`arn:aws:sns:${AWS::Region}:${AWS::AccountId}:pager`). A part
// the evaluator cannot know stands for any one ARN field, or part of one; a topic's name never
// comes from one (that would make every topic a page). Pure module.
import { Hole, Text, concat, literal } from './values';

type Part = string | Hole;
/** An ARN cut at its colons: partition, service, region, account, resource (which may hold more colons). */
type Fields = Part[][];

// What separates several ARNs written in one text ("arn:…:a,arn:…:b", one per line).
const SEPARATOR = /[\s,;]/;

/** The texts of `text` between separators (holes stay inside theirs). */
function tokens(text: Text): Text[] {
  const out: Text[] = [];
  let current: Part[] = [];
  for (const p of text.parts) {
    if (typeof p !== 'string') {
      current.push(p);
      continue;
    }
    let start = 0;
    for (let i = 0; i < p.length; i++) {
      if (!SEPARATOR.test(p[i])) continue;
      if (i > start) current.push(p.slice(start, i));
      if (current.length > 0) out.push(concat([{ kind: 'text', parts: current }]));
      current = [];
      start = i + 1;
    }
    if (start < p.length) current.push(p.slice(start));
  }
  if (current.length > 0) out.push(concat([{ kind: 'text', parts: current }]));
  return out;
}

/** The fields of an ARN-shaped text (`arn:` literal at its start), else undefined. */
function fields(text: Text): Fields | undefined {
  const first = text.parts[0];
  if (typeof first !== 'string' || !first.startsWith('arn:')) return undefined;
  const out: Fields = [[]];
  for (const p of text.parts) {
    if (typeof p !== 'string') {
      out[out.length - 1].push(p);
      continue;
    }
    const pieces = p.split(':');
    pieces.forEach((piece, i) => {
      // The resource (the sixth field) keeps its colons.
      if (i > 0 && out.length < 6) out.push([]);
      else if (i > 0) out[out.length - 1].push(':');
      if (piece !== '') out[out.length - 1].push(piece);
    });
  }
  if (out.length < 6) return undefined;
  return out.slice(1).map((f) => concat([{ kind: 'text', parts: f }]).parts.slice());
}

const STAR = null;
/** A field as symbols: characters, and STAR for a hole. */
function symbols(field: Part[]): Array<string | null> {
  const out: Array<string | null> = [];
  for (const p of field) {
    if (typeof p === 'string') out.push(...p);
    else if (out[out.length - 1] !== STAR) out.push(STAR);
  }
  return out;
}

/** Whether two fields (holes: any text) could be the same text: glob intersection, linear in the product of their lengths. */
export function mayBeEqual(a: Part[], b: Part[]): boolean {
  const x = symbols(a);
  const y = symbols(b);
  if (!x.includes(STAR) && !y.includes(STAR)) return x.join('') === y.join('');
  const seen = new Set<number>();
  const width = y.length + 1;
  const stack = [0];
  while (stack.length > 0) {
    const state = stack.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === x.length && j === y.length) return true;
    const xi = i < x.length ? x[i] : undefined;
    const yj = j < y.length ? y[j] : undefined;
    if (xi === STAR) {
      stack.push(state + width); // the hole is empty
      if (yj !== undefined) stack.push(state + 1); // the hole takes y's next symbol
    }
    if (yj === STAR) {
      stack.push(state + 1);
      if (xi !== undefined) stack.push(state + width);
    }
    if (xi !== undefined && xi !== STAR && yj !== undefined && yj !== STAR && xi === yj) stack.push(state + width + 1);
  }
  return false;
}

const isLiteral = (field: Part[]) => field.every((p) => typeof p === 'string');

/** A paging route known by its ARN (holes for what is unknown, e.g. the region), cut into fields once. */
export class ArnPattern {
  public readonly fields: Fields;
  constructor(public readonly text: Text) {
    this.fields = fields(text) ?? [];
  }
  /** An ARN with a literal resource (a topic's name): one that can be matched. */
  public get valid(): boolean {
    return this.fields.length === 5 && isLiteral(this.fields[4]);
  }
}

/** The pattern of an SNS topic ARN whose name is known: `arn:*:sns:*:*:<name>`. */
export function snsTopicArn(name: string, region?: string, account?: string): Text {
  const wild = (id: string): Text => ({ kind: 'text', parts: [{ hole: true, page: false, wild: true, id }] });
  return concat([literal('arn:'), wild('AWS::Partition'), literal(':sns:'), region ? literal(region) : wild('AWS::Region'), literal(':'),
    account ? literal(account) : wild('AWS::AccountId'), literal(`:${name}`)]);
}

/** True when one ARN written in `text` could be the ARN of `pattern` (its resource, the topic's name, written out). */
export function mayNameArn(text: Text, patterns: readonly ArnPattern[]): boolean {
  for (const token of tokens(text)) {
    const f = fields(token);
    if (!f) continue;
    // An Incident Manager response plan engages the on-call contacts: a paging route of its own.
    if (isLiteral(f[1]) && f[1].join('') === 'ssm-incidents' && typeof f[4][0] === 'string' && f[4][0].startsWith('response-plan/')) return true;
    if (!isLiteral(f[4])) continue;
    for (const p of patterns) {
      if (p.valid && f.every((field, i) => mayBeEqual(field, p.fields[i]))) return true;
    }
  }
  return false;
}
