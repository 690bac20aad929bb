// The one evaluator of CloudFormation values of the gate. It knows the whole cloud assembly (every
// stack and nested stack, their parameters with defaults and allowed values, mappings, outputs,
// exports, weak references, the SSM parameters the app writes and the dynamic references to them)
// and evaluates an expression to the set of values it can take: both branches of Fn::If, every
// choice of Fn::FindInMap and Fn::Select, Fn::Sub variables, Fn::Split, lists, Fn::Join.
//
// Page reach and descriptions both read what it says. Page reach is a taint: a value is a page
// when it could be or contain a paging route, and the taint flows through any function, including
// those the evaluator does not model (an unknown function of a tainted operand is tainted). Pure
// module: templates in, values out.
import { ArnPattern, mayNameArn, snsTopicArn } from './arn';
import { ABSENT, List, Text, Value, asList, asText, concat, hasPageHole, holeText, literal, literalOf, split, unique } from './values';

type Json = Record<string, unknown>;

/** A template as the evaluator needs it. */
export interface EvaluatedTemplate {
  /** The file (identifies the template). */
  readonly file: string;
  /** The CloudFormation stack name of a top-level stack (Fn::GetStackOutput names it). @default - a nested stack */
  readonly stackName?: string;
  readonly resources: Record<string, Json>;
  readonly parameters: Record<string, unknown>;
  readonly mappings: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  /** For a nested stack: the parent template and the logical id of its AWS::CloudFormation::Stack. */
  readonly parent?: { readonly template: EvaluatedTemplate; readonly logicalId: string };
  /** The stack's account and region, when the app fixed them. */
  readonly account?: string;
  readonly region?: string;
}

/** What the evaluator knows of paging routes besides the resources tagged as one. */
export interface PageRoutes {
  /** Hole ids that are paging routes: what an imported page topic's ARN evaluated to (`import:…`, `ssm:…`, `res:…`). */
  readonly ids: ReadonlySet<string>;
  /** ARNs of paging routes (topics registered by ARN, page topics with a name), holes for what is unknown. */
  readonly arns: readonly ArnPattern[];
}

/** The tag AlertRouting puts on its topics, and its page value (lib/core/names ROUTE_TAG, Route.PAGE). */
export interface RouteTag {
  readonly key: string;
  readonly page: string;
}

/** At most this many values per expression; past it, one hole carrying the taint of them all (a description is then unresolved). */
export const MAX_VALUES = 64;
const MAX_DEPTH = 60;

const WRITES_SSM = /^\s*(aws::ssm::parameter|custom::crossregionexportwriter)\s*$/i;
const MAY_PAGE = /^\s*aws::(sns::topic|ssmincidents::responseplan)\s*$/i;
const PSEUDO_WILD = new Set(['AWS::Partition', 'AWS::URLSuffix', 'AWS::StackId']);

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');

function record(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** The evaluator of one cloud assembly. */
export class Evaluator {
  private readonly cache = new Map<EvaluatedTemplate, Map<string, Value[]>>();
  private readonly busy = new Set<string>();
  private depth = 0;
  private exportIndex?: Map<string, Array<{ template: EvaluatedTemplate; output: string }>>;
  private ssmIndex?: { byName: Map<string, Array<{ template: EvaluatedTemplate; value: unknown }>>; byId: Map<string, { template: EvaluatedTemplate; value: unknown }>; all: Array<{ template: EvaluatedTemplate; value: unknown }> };
  private readonly byStackName = new Map<string, EvaluatedTemplate[]>();
  private readonly pageResources = new Map<Json, boolean>();

  constructor(
    private readonly templates: readonly EvaluatedTemplate[],
    private readonly nested: (parent: EvaluatedTemplate, logicalId: string) => EvaluatedTemplate | undefined,
    private readonly routes: PageRoutes,
    private readonly routeTag: RouteTag,
  ) {
    for (const t of templates) {
      if (t.stackName === undefined) continue;
      const list = this.byStackName.get(t.stackName) ?? [];
      list.push(t);
      this.byStackName.set(t.stackName, list);
    }
  }

  /** The values a resource property can take: the expression evaluated, then its dynamic references (`{{resolve:ssm:…}}`) resolved. */
  public property(expr: unknown, template: EvaluatedTemplate): Value[] {
    if (typeof expr === 'string' && !expr.includes('{{resolve:')) return [literal(expr)];
    return this.capped(this.evaluate(expr, template).flatMap((v) => this.resolveDynamic(v)));
  }

  /** True when one of the values could be or contain a paging route. */
  public isPage(values: readonly Value[]): boolean {
    return values.some((v) => this.isPageValue(v));
  }

  /** True when the resource is a paging route by itself: an SNS topic tagged as the page route, an Incident Manager response plan. */
  public isPageResource(resource: Json, template: EvaluatedTemplate): boolean {
    // Only topics and response plans can be; most resources are neither (thousands of alarms).
    if (typeof resource.Type !== 'string' || !MAY_PAGE.test(resource.Type)) return false;
    let page = this.pageResources.get(resource);
    if (page === undefined) {
      this.pageResources.set(resource, false); // a tag that refers to its own topic
      const type = lower(resource.Type);
      page = type === 'aws::ssmincidents::responseplan'
        || (type === 'aws::sns::topic' && this.tagLists(record(resource.Properties).Tags).some((tags) => tags.some((tag) =>
          this.mayBe(record(tag).Key, this.routeTag.key, template) && this.mayBe(record(tag).Value, this.routeTag.page, template))));
      this.pageResources.set(resource, page);
    }
    return page;
  }

  /** The tag lists a Tags property may be: both branches of an Fn::If. */
  private tagLists(expr: unknown): unknown[][] {
    if (Array.isArray(expr)) return [expr];
    const choice = record(expr)['Fn::If'];
    return Array.isArray(choice) ? [...this.tagLists(choice[1]), ...this.tagLists(choice[2])] : [];
  }

  /** Whether `expr` may be `want` (in any case: a tag written by hand, `runbookalarms:route=PAGE`); a value not known may be anything. */
  private mayBe(expr: unknown, want: string, template: EvaluatedTemplate): boolean {
    return this.evaluate(expr, template).some((v) => v.kind === 'text' && (literalOf(v) === undefined || lower(literalOf(v)) === want.toLowerCase()));
  }

  private isPageValue(v: Value): boolean {
    if (v.kind === 'absent') return false;
    if (v.kind === 'list') return v.items.some((i) => this.isPageValue(i));
    if (hasPageHole(v)) return true;
    // A literal ARN (or one built around unknown fields) of a paging route known by its ARN.
    if (!v.parts.some((p) => typeof p === 'string' && p.includes('arn:'))) return false;
    return mayNameArn(v, this.routes.arns);
  }

  /** One hole for values too many to keep: it carries their taint. */
  private widen(values: readonly Value[]): Value[] {
    return [holeText({ page: this.isPage(values) })];
  }

  private capped(values: Value[]): Value[] {
    const u = unique(values);
    return u.length > MAX_VALUES ? this.widen(u) : u;
  }

  /**
   * An expression the evaluator does not model: a hole tainted by anything inside it that could be
   * a paging route, a dynamic reference among them (the function may keep its text, which
   * CloudFormation then resolves).
   */
  private opaque(expr: unknown, template: EvaluatedTemplate): Value[] {
    let page = false;
    const visit = (e: unknown) => {
      if (page || e === null || typeof e !== 'object') {
        if (!page && typeof e === 'string') page = this.isPage(this.property(e, template));
        return;
      }
      if (Array.isArray(e)) e.forEach(visit);
      else {
        const keys = Object.keys(e);
        if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) page = this.isPage(this.property(e, template));
        else Object.values(e).forEach(visit);
      }
    };
    visit(expr);
    return [holeText({ page })];
  }

  /** The values of an expression in a template. */
  public evaluate(expr: unknown, template: EvaluatedTemplate): Value[] {
    if (expr === undefined || expr === null) return [ABSENT];
    if (typeof expr === 'string') return [literal(expr)];
    if (typeof expr === 'number' || typeof expr === 'boolean') return [literal(String(expr))];
    if (this.depth > MAX_DEPTH) return [holeText({ page: false })];
    this.depth++;
    try {
      if (Array.isArray(expr)) return this.list(expr.map((e) => this.evaluate(e, template)));
      if (typeof expr !== 'object') return [holeText({ page: false })];
      const keys = Object.keys(expr);
      const e = expr as Json;
      if (keys.length !== 1) return this.opaque(expr, template);
      const [fn] = keys;
      const arg = e[fn];
      switch (fn) {
        case 'Ref':
          return typeof arg === 'string' ? this.ref(arg, template) : this.opaque(arg, template);
        case 'Fn::GetAtt':
          return this.getAtt(arg, template);
        case 'Fn::Sub':
          return this.sub(arg, template);
        case 'Fn::Join':
          return this.join(arg, template);
        case 'Fn::Split':
          return this.split(arg, template);
        case 'Fn::Select':
          return this.select(arg, template);
        case 'Fn::If':
          return Array.isArray(arg) && arg.length === 3 ? this.capped([...this.evaluate(arg[1], template), ...this.evaluate(arg[2], template)]) : this.opaque(arg, template);
        case 'Fn::FindInMap':
          return this.findInMap(arg, template);
        case 'Fn::ImportValue':
          return this.importValue(arg, template);
        case 'Fn::GetStackOutput':
          return this.getStackOutput(arg, template);
        default:
          // Fn::Base64, Fn::Cidr, Fn::GetAZs, Fn::Length, Fn::ToJsonString, conditions, functions yet to come:
          // unknown text, tainted by its operands.
          return this.opaque(arg, template);
      }
    } finally {
      this.depth--;
    }
  }

  /** Every combination of one value per element, each a list (AWS::NoValue drops its element; a list value is spliced in). */
  private list(elements: Value[][]): Value[] {
    let size = 1;
    for (const values of elements) size *= Math.max(1, values.length);
    if (size > MAX_VALUES) return this.widen(elements.flat());
    let out: List[] = [{ kind: 'list', items: [], open: false }];
    for (const values of elements) {
      const next: List[] = [];
      for (const acc of out) {
        for (const v of values) {
          if (v.kind === 'absent') next.push(acc);
          else if (v.kind === 'list') next.push({ kind: 'list', items: [...acc.items, ...v.items], open: acc.open || v.open });
          else next.push({ kind: 'list', items: [...acc.items, v], open: acc.open });
        }
      }
      out = next;
    }
    return unique(out);
  }

  /** The product of several texts' values, each combination joined by `build`. */
  private combine(parts: Value[][], build: (texts: Value[]) => Value[]): Value[] {
    let size = 1;
    for (const values of parts) size *= Math.max(1, values.length);
    if (size > MAX_VALUES) return this.widen(parts.flat());
    let combos: Value[][] = [[]];
    for (const values of parts) combos = combos.flatMap((c) => (values.length === 0 ? [c] : values.map((v) => [...c, v])));
    return this.capped(combos.flatMap(build));
  }

  private cached(template: EvaluatedTemplate, key: string, compute: () => Value[]): Value[] {
    let map = this.cache.get(template);
    if (!map) this.cache.set(template, (map = new Map()));
    const hit = map.get(key);
    if (hit) return hit;
    const busyKey = `${template.file}\u0000${key}`;
    // A reference that leads back to itself (invalid in CloudFormation): unknown, untainted.
    if (this.busy.has(busyKey)) return [holeText({ page: false })];
    this.busy.add(busyKey);
    try {
      const values = compute();
      map.set(key, values);
      return values;
    } finally {
      this.busy.delete(busyKey);
    }
  }

  private idHole(id: string, page = false): Value[] {
    return [holeText({ id, page: page || this.routes.ids.has(id) })];
  }

  private ref(name: string, template: EvaluatedTemplate): Value[] {
    if (name.startsWith('AWS::')) return this.pseudo(name, template);
    return this.cached(template, `ref:${name}`, () => {
      const resource = template.resources[name];
      if (resource) return this.resourceValue(template, name, resource, undefined);
      if (name in template.parameters) return this.parameter(name, template);
      return this.idHole(`res:${template.file}#${name}`);
    });
  }

  private pseudo(name: string, template: EvaluatedTemplate): Value[] {
    switch (name) {
      case 'AWS::NoValue':
        return [ABSENT];
      case 'AWS::Region':
        return template.region ? [literal(template.region)] : [holeText({ page: false, wild: true, id: name })];
      case 'AWS::AccountId':
        return template.account ? [literal(template.account)] : [holeText({ page: false, wild: true, id: name })];
      case 'AWS::StackName':
        return template.stackName ? [literal(template.stackName)] : [holeText({ page: false, wild: true, id: name })];
      case 'AWS::NotificationARNs':
        return [{ kind: 'list', items: [holeText({ page: false, id: name })], open: true }];
      default:
        return [holeText({ page: false, wild: PSEUDO_WILD.has(name), id: name })];
    }
  }

  /** A resource's Ref (`attribute` undefined) or attribute. */
  private resourceValue(template: EvaluatedTemplate, logicalId: string, resource: Json, attribute: string | undefined): Value[] {
    const id = `res:${template.file}#${logicalId}${attribute === undefined ? '' : `.${attribute}`}`;
    const type = lower(resource.Type);
    const props = record(resource.Properties);
    const page = this.isPageResource(resource, template);
    const named = (property: string): string | undefined => {
      const v = this.property(props[property], template);
      return v.length === 1 ? literalOf(v[0]) : undefined;
    };
    if (type === 'aws::sns::topic' && (attribute === undefined || attribute === 'TopicArn')) {
      if (page) return [holeText({ id: `res:${template.file}#${logicalId}`, page: true })];
      // A topic with a name is known by its ARN: a page when a paging route is registered under it.
      const name = named('TopicName');
      if (name) return [snsTopicArn(name, template.region, template.account)];
      return this.idHole(`res:${template.file}#${logicalId}`);
    }
    if (type === 'aws::sns::topic' && attribute === 'TopicName') {
      const name = named('TopicName');
      return name && !page ? [literal(name)] : this.idHole(id, page);
    }
    if (type === 'aws::ssm::parameter' && attribute === undefined) {
      const name = named('Name');
      return name ? [literal(name)] : this.idHole(id, page);
    }
    if (type === 'aws::ssm::parameter' && attribute === 'Value') return this.property(props.Value, template);
    // A strong cross-region reference: the reader's attribute is the SSM parameter the writer writes.
    if (type === 'custom::crossregionexportreader' && attribute) return this.ssmValue(literal(attribute));
    if (type === 'aws::cloudwatch::alarm' || type === 'aws::cloudwatch::compositealarm') {
      const name = named('AlarmName');
      if (name && attribute === undefined) return [literal(name)];
    }
    return this.idHole(id, page);
  }

  private parameter(name: string, template: EvaluatedTemplate): Value[] {
    const spec = record(template.parameters[name]);
    const type = typeof spec.Type === 'string' ? spec.Type : 'String';
    let values: Value[];
    const passed = template.parent ? record(record(template.parent.template.resources[template.parent.logicalId]?.Properties).Parameters)[name] : undefined;
    const ssm = /^AWS::SSM::Parameter::Value</.test(type);
    if (passed !== undefined && template.parent) {
      values = this.property(passed, template.parent.template);
    } else {
      values = [];
      if (spec.Default !== undefined) values.push(...this.property(spec.Default, template));
      if (Array.isArray(spec.AllowedValues)) values.push(...spec.AllowedValues.flatMap((v) => this.property(v, template)));
      // A top-level stack's parameter takes whatever the deployer passes, unless its values are listed.
      // (An SSM parameter type names its parameter in the default; the value is what the app writes there.)
      else if (!template.parent && !ssm) values.push(...this.idHole(`param:${template.file}#${name}`));
      if (values.length === 0) values.push(...this.idHole(`param:${template.file}#${name}`));
    }
    if (ssm) values = values.flatMap((v) => this.ssmValue(asText(v)));
    if (/List<|CommaDelimitedList/.test(type)) values = values.map((v) => (v.kind === 'text' ? split(v, ',') : v));
    return this.capped(values);
  }

  private getAtt(arg: unknown, template: EvaluatedTemplate): Value[] {
    let name: unknown;
    let attribute: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      [name, attribute] = dot < 0 ? [arg, ''] : [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg)) {
      [name, attribute] = arg;
    }
    if (typeof attribute !== 'string' && attribute !== undefined) {
      // An attribute named by an expression: any attribute of the resource.
      const names = this.evaluate(attribute, template).map(literalOf);
      if (typeof name === 'string' && names.every((n): n is string => n !== undefined)) return this.capped(names.flatMap((a) => this.getAtt([name, a], template)));
      return this.opaque(arg, template);
    }
    if (typeof name !== 'string') return this.opaque(arg, template);
    const attr = attribute ?? '';
    return this.cached(template, `att:${name}.${attr}`, () => {
      const resource = template.resources[name];
      if (!resource) return this.idHole(`res:${template.file}#${name}.${attr}`);
      if (attr.startsWith('Outputs.') && lower(resource.Type) === 'aws::cloudformation::stack') {
        const child = this.nested(template, name);
        if (child) return this.output(child, attr.slice('Outputs.'.length));
      }
      return this.resourceValue(template, name, resource, attr);
    });
  }

  private output(template: EvaluatedTemplate, name: string): Value[] {
    return this.cached(template, `out:${name}`, () => {
      const output = template.outputs[name];
      if (output === undefined) return this.idHole(`output:${template.file}#${name}`);
      return this.property(record(output).Value, template);
    });
  }

  private sub(arg: unknown, template: EvaluatedTemplate): Value[] {
    const [body, vars] = Array.isArray(arg) ? [arg[0], record(arg[1])] : [arg, {} as Json];
    if (typeof body !== 'string') return this.opaque(arg, template);
    const parts: Value[][] = [];
    let last = 0;
    for (const m of body.matchAll(/\$\{([^}]*)\}/g)) {
      const before = body.slice(last, m.index);
      last = m.index + m[0].length;
      const name = m[1].trim();
      if (name.startsWith('!')) {
        parts.push([literal(before + `\${${name.slice(1)}}`)]);
        continue;
      }
      parts.push([literal(before)]);
      const dot = name.indexOf('.');
      const values = Object.prototype.hasOwnProperty.call(vars, name) ? this.evaluate(vars[name], template)
        : dot > 0 && !name.startsWith('AWS::') ? this.getAtt([name.slice(0, dot), name.slice(dot + 1)], template)
        : this.ref(name, template);
      parts.push(values.map(asText));
    }
    parts.push([literal(body.slice(last))]);
    return this.combine(parts, (texts) => [concat(texts.map(asText))]);
  }

  private join(arg: unknown, template: EvaluatedTemplate): Value[] {
    if (!Array.isArray(arg) || typeof arg[0] !== 'string') return this.opaque(arg, template);
    const delimiter = arg[0];
    const lists = this.evaluate(arg[1], template);
    return this.capped(lists.map((l) => {
      if (l.kind === 'text') return l; // a list the evaluator cannot see into: its text, its taint
      const items = asList(l).items;
      const texts: Text[] = [];
      items.forEach((item, i) => {
        if (i > 0) texts.push(literal(delimiter));
        texts.push(item);
      });
      return concat(texts);
    }));
  }

  private split(arg: unknown, template: EvaluatedTemplate): Value[] {
    if (!Array.isArray(arg) || typeof arg[0] !== 'string') return this.opaque(arg, template);
    const delimiter = arg[0];
    return this.capped(this.evaluate(arg[1], template).map((v) => split(asText(v), delimiter)));
  }

  private select(arg: unknown, template: EvaluatedTemplate): Value[] {
    if (!Array.isArray(arg)) return this.opaque(arg, template);
    const indexes = this.evaluate(arg[0], template).map(literalOf);
    const lists = this.evaluate(arg[1], template);
    const out: Value[] = [];
    for (const l of lists) {
      if (l.kind === 'text') {
        out.push(l); // a list the evaluator cannot see into
        continue;
      }
      const items = asList(l).items;
      for (const index of indexes) {
        const i = index !== undefined && /^\d+$/.test(index.trim()) ? Number(index) : undefined;
        // Whichever item may be chosen: every item when the index or the list's shape is not known.
        if (i !== undefined && !asList(l).open && i < items.length) out.push(items[i]);
        else out.push(...items);
      }
    }
    return this.capped(out);
  }

  private findInMap(arg: unknown, template: EvaluatedTemplate): Value[] {
    if (!Array.isArray(arg)) return this.opaque(arg, template);
    const keys = (expr: unknown, from: Json): string[] => {
      const values = this.evaluate(expr, template).map(literalOf);
      // A key the evaluator cannot know: any key may be chosen.
      return values.some((v) => v === undefined) ? Object.keys(from) : (values as string[]).filter((k) => k in from);
    };
    const out: Value[] = [];
    for (const mapName of keys(arg[0], template.mappings)) {
      const map = record(template.mappings[mapName]);
      for (const top of keys(arg[1], map)) {
        const entry = record(map[top]);
        for (const second of keys(arg[2], entry)) out.push(...this.evaluate(entry[second], template));
      }
    }
    // Fn::FindInMap's DefaultValue (AWS::LanguageExtensions): taken when the keys are not in the map.
    const fallback = record(arg[3]).DefaultValue;
    if (fallback !== undefined) out.push(...this.evaluate(fallback, template));
    if (out.length === 0) return [holeText({ page: false })];
    return this.capped(out);
  }

  private exports(): Map<string, Array<{ template: EvaluatedTemplate; output: string }>> {
    if (this.exportIndex) return this.exportIndex;
    const index = new Map<string, Array<{ template: EvaluatedTemplate; output: string }>>();
    this.exportIndex = index;
    for (const template of this.templates) {
      for (const [output, value] of Object.entries(template.outputs)) {
        const name = record(record(value).Export).Name;
        if (name === undefined) continue;
        for (const n of this.evaluate(name, template)) {
          const key = literalOf(n) ?? '\u0000unknown';
          const list = index.get(key) ?? [];
          list.push({ template, output });
          index.set(key, list);
        }
      }
    }
    return index;
  }

  private importValue(arg: unknown, template: EvaluatedTemplate): Value[] {
    const out: Value[] = [];
    for (const name of this.evaluate(arg, template)) {
      const n = literalOf(name);
      if (n === undefined) {
        // An export name the evaluator cannot know: any export of the app, or one of another app.
        for (const list of this.exports().values()) for (const e of list) out.push(...this.output(e.template, e.output));
        out.push(...this.opaque(arg, template));
        continue;
      }
      const found = [...(this.exports().get(n) ?? []), ...(this.exports().get('\u0000unknown') ?? [])];
      if (found.length === 0) out.push(...this.idHole(`import:${n}`));
      for (const e of found) out.push(...this.output(e.template, e.output));
    }
    return this.capped(out);
  }

  /** `Fn::GetStackOutput` (a weak cross-stack reference): the named stack's output. */
  private getStackOutput(arg: unknown, template: EvaluatedTemplate): Value[] {
    const spec = record(arg);
    const stacks = this.evaluate(spec.StackName, template).map(literalOf);
    const outputs = this.evaluate(spec.OutputName, template).map(literalOf);
    const out: Value[] = [];
    for (const stack of stacks) {
      // A stack named by ARN (`arn:…:stack/<name>/<id>`) or by name; one the evaluator cannot name may be any stack of the app, or another.
      const name = stack !== undefined && stack.startsWith('arn:') ? /:stack\/([^/]+)/.exec(stack)?.[1] : stack;
      const targets = name !== undefined ? this.byStackName.get(name) ?? [] : this.templates.filter((t) => t.stackName !== undefined);
      if (name === undefined) out.push(holeText({ page: false }));
      for (const output of outputs) {
        const holding = targets.filter((t) => output === undefined || output in t.outputs);
        if (holding.length === 0 && name !== undefined && output !== undefined) out.push(...this.idHole(`output:${name}#${output}`));
        for (const t of holding) {
          for (const o of output === undefined ? Object.keys(t.outputs) : [output]) out.push(...this.output(t, o));
        }
      }
    }
    return this.capped(out);
  }

  private ssm() {
    if (this.ssmIndex) return this.ssmIndex;
    const index = { byName: new Map<string, Array<{ template: EvaluatedTemplate; value: unknown }>>(), byId: new Map<string, { template: EvaluatedTemplate; value: unknown }>(), all: [] as Array<{ template: EvaluatedTemplate; value: unknown }> };
    this.ssmIndex = index;
    for (const template of this.templates) {
      for (const [logicalId, resource] of Object.entries(template.resources)) {
        if (typeof resource.Type !== 'string' || !WRITES_SSM.test(resource.Type)) continue;
        if (lower(resource.Type) === 'custom::crossregionexportwriter') {
          // CDK's strong cross-region references: SSM parameters written by a custom resource.
          for (const [name, value] of Object.entries(record(record(record(resource.Properties).WriterProps).exports))) {
            const entry = { template, value };
            index.all.push(entry);
            index.byName.set(name, [...(index.byName.get(name) ?? []), entry]);
          }
          continue;
        }
        const props = record(resource.Properties);
        const entry = { template, value: props.Value };
        index.all.push(entry);
        index.byId.set(`res:${template.file}#${logicalId}`, entry);
        for (const name of this.property(props.Name, template)) {
          const n = literalOf(name);
          if (n === undefined || n === '') continue;
          const list = index.byName.get(n) ?? [];
          list.push(entry);
          index.byName.set(n, list);
        }
      }
    }
    return index;
  }

  /** The value of the SSM parameter named `name`: what the app writes there, else a hole known by the name. */
  private ssmValue(name: Text): Value[] {
    const n = literalOf(name);
    const index = this.ssm();
    if (n !== undefined) {
      const written = index.byName.get(n.trim());
      if (!written) return this.idHole(`ssm:${n.trim()}`);
      return this.capped(written.flatMap((w) => this.property(w.value, w.template)));
    }
    const only = name.parts.length === 1 && typeof name.parts[0] !== 'string' ? name.parts[0].id : undefined;
    const written = only !== undefined ? index.byId.get(only) : undefined;
    if (written) return this.property(written.value, written.template);
    // A name the evaluator cannot know: any parameter the app writes may be the one.
    return [holeText({ page: hasPageHole(name) || index.all.some((w) => this.isPage(this.property(w.value, w.template))) })];
  }

  /** A text with its dynamic references resolved: `{{resolve:ssm:name}}` is what the app writes to that parameter. */
  private resolveDynamic(v: Value): Value[] {
    if (v.kind === 'list') {
      return this.list(v.items.map((item) => this.resolveDynamic(item))).map((l) => (l.kind === 'list' ? { ...l, open: l.open || v.open } : l));
    }
    if (v.kind !== 'text' || !v.parts.some((p) => typeof p === 'string' && p.includes('{{resolve:'))) return [v];
    // Holes become private-use characters, so the references can be found across them.
    const holes = v.parts.filter((p) => typeof p !== 'string');
    const marked = v.parts.map((p) => (typeof p === 'string' ? p : String.fromCharCode(0xe000 + holes.indexOf(p)))).join('');
    const unmark = (s: string): Text => {
      const parts: Text[] = [];
      let last = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0xe000 || c >= 0xe000 + holes.length) continue;
        parts.push(literal(s.slice(last, i)), { kind: 'text', parts: [holes[c - 0xe000]] });
        last = i + 1;
      }
      parts.push(literal(s.slice(last)));
      return concat(parts);
    };
    const pieces: Value[][] = [];
    let last = 0;
    for (const m of marked.matchAll(/\{\{resolve:([^:}]*):([^}]*)\}\}/g)) {
      pieces.push([unmark(marked.slice(last, m.index))]);
      last = m.index + m[0].length;
      const service = unmark(m[1]);
      const reference = unmark(m[2]);
      const serviceName = literalOf(service);
      if (serviceName === 'ssm') {
        // `name` or `name:version`.
        const name = literalOf(reference);
        pieces.push(this.ssmValue(name === undefined ? reference : literal(name.replace(/:\d+$/, ''))).map(asText));
      } else {
        const id = literalOf(reference);
        pieces.push(id !== undefined && serviceName !== undefined ? this.idHole(`${serviceName}:${id}`) : [holeText({ page: hasPageHole(reference) })]);
      }
    }
    pieces.push([unmark(marked.slice(last))]);
    return this.combine(pieces, (texts) => [concat(texts.map(asText))]);
  }
}
