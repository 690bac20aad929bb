// Reads a synthesized cloud assembly (cdk.out) as plain JSON: every stack template, the nested
// stack templates they deploy, the assemblies of Stages, recursively, and every alarm in them with
// what its actions reach. What is judged is what deploys: the synth gate reads the assembly the app
// has just written, `runbook-alarms lint --assembly` the one on disk. No CDK import: the files are
// the contract, so any app's output works.
import * as fs from 'fs';
import * as path from 'path';
import { PAGE_TOPIC_ARN_METADATA, ROUTE_TAG, SLO_METADATA } from '../core/names';
import { alarmType } from '../alarm-rules/alarm-view';
import { ACKNOWLEDGED_RULES, Acknowledgement, acknowledgement } from '../core/acknowledgement';
import { Route } from '../core/severity';

type Json = Record<string, unknown>;

/** One CloudFormation template of the assembly. */
export interface AssemblyTemplate {
  /** Absolute path of the template file. */
  readonly file: string;
  /** The stack as people name it: `Payments`, `Prod/Payments`, `Payments/Nested`. */
  readonly stack: string;
  /** The stack's construct path without the leading `/`, when known. */
  readonly constructPath?: string;
  readonly resources: Record<string, Json>;
  readonly parameters: Record<string, unknown>;
  /** The template's Mappings (Fn::FindInMap looks values up in them). */
  readonly mappings: Record<string, unknown>;
  /** The template's Outputs by name (a parent reads a nested stack's with `Fn::GetAtt [Stack, Outputs.Name]`). */
  readonly outputs: Record<string, unknown>;
  /** For a nested stack: the parent template and the logical id of its AWS::CloudFormation::Stack. */
  readonly parent?: { readonly template: AssemblyTemplate; readonly logicalId: string };
  /** The raw text, to find line numbers. */
  readonly text: string;
  /** logical id -> construct path, from the artifact's metadata (when templates lack aws:cdk:path). */
  readonly metadataPaths: Map<string, string>;
  /** True for a stack of a Stage's assembly (not of the top-level one): `cdk synth` does not select it by default. */
  readonly inStage: boolean;
}

/** A cloud assembly that cannot be read: missing, not JSON, not an assembly. */
export class AssemblyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyReadError';
  }
}

/** An alarm (metric or composite) found in a template. */
export interface AssemblyAlarm {
  readonly template: AssemblyTemplate;
  readonly logicalId: string;
  /** `AWS::CloudWatch::Alarm` or `AWS::CloudWatch::CompositeAlarm`. */
  readonly type: string;
  readonly properties: Json;
  /** `aws:cdk:path` of the alarm resource, without the leading `/`, when recorded. */
  readonly constructPath?: string;
  /** The line of the alarm's logical id in the template file (found when first asked for). */
  readonly line: number;
  /** True when an alarm action resolves to an SNS topic tagged `RunbookAlarms:Route=page`. */
  readonly reachesPageTopic: boolean;
  /**
   * Whether one action of this alarm resolves to a page topic: through Ref/GetAtt, nested stack
   * parameters and cross-stack exports.
   */
  readonly isPageTopic: (action: unknown) => boolean;
  /** Acknowledgements recorded on the alarm or an ancestor in its stack, closest first. */
  readonly acknowledgements: Acknowledgement[];
}

/** A ServiceLevelObjective recorded in the assembly's metadata (its record is lib/slo/objective.ts SloRecord, unchecked here). */
export interface AssemblySlo {
  /** The stack as people name it. */
  readonly stack: string;
  /** The construct path of the ServiceLevelObjective, without the leading `/`. */
  readonly constructPath: string;
  /** The stack's region, when the app pins it (`env`). */
  readonly region?: string;
  readonly record: unknown;
}

/** What a cloud assembly holds, as far as alarms are concerned. */
export interface CloudAssemblyContents {
  readonly directory: string;
  readonly templates: AssemblyTemplate[];
  readonly alarms: AssemblyAlarm[];
  /** The ServiceLevelObjectives of the app, in the order of their stacks. */
  readonly slos: AssemblySlo[];
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssemblyReadError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new AssemblyReadError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function asRecord(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

const stripSlash = (p: string) => p.replace(/^\/+/, '');


/** A stack artifact's metadata: the inline `metadata` plus the `additionalMetadataFile` newer CDKs write. */
function artifactMetadata(dir: string, artifact: Json): Record<string, Array<{ type?: string; data?: unknown }>> {
  const out: Record<string, Array<{ type?: string; data?: unknown }>> = {};
  const add = (m: Json) => {
    for (const [p, entries] of Object.entries(m)) if (Array.isArray(entries)) (out[p] ??= []).push(...entries);
  };
  add(asRecord(artifact.metadata));
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(dir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) add(readJson(file));
  }
  return out;
}

class AssemblyReader {
  public readonly templates: AssemblyTemplate[] = [];
  /** Acknowledgements by construct path (no leading slash). */
  public readonly acknowledgements = new Map<string, Acknowledgement[]>();
  private readonly exports = new Map<string, { template: AssemblyTemplate; value: unknown }>();
  private readonly loaded = new Set<string>();
  /** Imported page topics' ARNs, as the constructs recorded them in the stacks' metadata. */
  public readonly pageTopicArns = new Set<string>();
  /** The ServiceLevelObjectives recorded in the stacks' metadata. */
  public readonly slos: AssemblySlo[] = [];
  /** Nested templates by `<parent file>\0<logical id of its AWS::CloudFormation::Stack>`. */
  private readonly nested = new Map<string, AssemblyTemplate>();
  /** How deep the assembly being read is: 0 for the top level, 1 for a Stage's, ... */
  private depth = 0;

  public readAssembly(dir: string, depth = 0): void {
    const manifestFile = path.join(dir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) {
      throw new AssemblyReadError(`${dir} is not a cloud assembly (no manifest.json); run \`cdk synth\` first or pass --assembly <cdk.out>`);
    }
    if (depth > 20) throw new AssemblyReadError(`${dir}: nested assemblies go deeper than 20 levels`);
    this.depth = depth;
    const artifacts = asRecord(readJson(manifestFile).artifacts);
    // Asset hashes name nested stack templates in TemplateURL when no aws:asset:path metadata is
    // written; the asset manifests are read only if a nested stack needs them.
    let assets: Map<string, string> | undefined;
    const assetPaths = (): Map<string, string> => {
      if (assets) return assets;
      assets = new Map<string, string>();
      for (const artifact of Object.values(artifacts).map(asRecord)) {
        const props = asRecord(artifact.properties);
        if (artifact.type !== 'cdk:asset-manifest' || typeof props.file !== 'string') continue;
        const file = path.join(dir, props.file);
        if (!fs.existsSync(file)) continue;
        for (const [hash, asset] of Object.entries(asRecord(readJson(file).files))) {
          const source = asRecord(asRecord(asset).source);
          if (typeof source.path === 'string') assets.set(hash, source.path);
        }
      }
      return assets;
    };
    for (const [id, value] of Object.entries(artifacts)) {
      const artifact = asRecord(value);
      const props = asRecord(artifact.properties);
      if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
        this.readAssembly(path.join(dir, props.directoryName), depth + 1);
        this.depth = depth;
      } else if (artifact.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
        this.readStack(dir, id, artifact, props.templateFile, assetPaths);
      }
    }
    // Nested templates no stack points at (hand-edited or foreign assemblies) are still checked.
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.endsWith('.nested.template.json') && !this.loaded.has(path.join(dir, name))) {
        this.loadTemplate(path.join(dir, name), name.replace(/\.nested\.template\.json$/, ''), undefined, undefined, new Map());
      }
    }
  }

  private readStack(dir: string, id: string, artifact: Json, templateFile: string, assetPaths: () => Map<string, string>): void {
    const metadata = artifactMetadata(dir, artifact);
    const stack = typeof artifact.displayName === 'string' ? artifact.displayName : id;
    const environment = typeof artifact.environment === 'string' ? /^aws:\/\/[^/]*\/(.+)$/.exec(artifact.environment)?.[1] : undefined;
    const region = environment === 'unknown-region' ? undefined : environment;
    const metadataPaths = new Map<string, string>();
    const templatePaths = new Map<string, string>();
    for (const [p, entries] of Object.entries(metadata)) {
      for (const e of entries) {
        if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') metadataPaths.set(`${p}\u0000${e.data}`, p);
        if (e.type === 'aws:cdk:templateFile' && typeof e.data === 'string') templatePaths.set(e.data, p);
        if (e.type === PAGE_TOPIC_ARN_METADATA && typeof e.data === 'string') this.pageTopicArns.add(e.data);
        if (e.type === SLO_METADATA) this.slos.push({ stack, constructPath: stripSlash(p), region, record: e.data });
        if (e.type === ACKNOWLEDGED_RULES) {
          for (const [id, reason] of Object.entries(asRecord(e.data))) {
            const at = stripSlash(p);
            const list = this.acknowledgements.get(at) ?? [];
            list.push(acknowledgement(id, reason, at));
            this.acknowledgements.set(at, list);
          }
        }
      }
    }
    const root = this.loadTemplate(path.join(dir, templateFile), stack, templatePaths.get(templateFile), undefined, metadataPaths);
    this.readNested(dir, root, templatePaths, assetPaths, metadataPaths);
  }

  private readNested(
    dir: string,
    parent: AssemblyTemplate,
    templatePaths: Map<string, string>,
    assetPaths: () => Map<string, string>,
    metadataPaths: Map<string, string>,
  ): void {
    for (const [logicalId, resource] of Object.entries(parent.resources)) {
      if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const meta = asRecord(resource.Metadata);
      const resourcePath = typeof meta['aws:cdk:path'] === 'string' ? meta['aws:cdk:path'] : parent.metadataPaths.get(logicalId);
      const stackPath = resourcePath?.replace(/\.NestedStack\/[^/]*\.NestedStackResource$/, '');
      // Which template: the asset path metadata, else the stack's metadata, else the asset hash
      // in TemplateURL (identical nested stacks share a hash, so that comes last).
      let file = typeof meta['aws:asset:path'] === 'string' ? meta['aws:asset:path'] : undefined;
      if (!file && stackPath) {
        file = [...templatePaths].find(([, p]) => stripSlash(p) === stripSlash(stackPath))?.[0];
      }
      if (!file) {
        const url = JSON.stringify(asRecord(resource.Properties).TemplateURL ?? '');
        const hash = /[0-9a-f]{64}/.exec(url)?.[0];
        file = hash ? assetPaths().get(hash) : undefined;
      }
      if (!file || !fs.existsSync(path.join(dir, file)) || this.loaded.has(path.join(dir, file))) continue;
      const constructPath = templatePaths.get(file) ?? stackPath;
      const stack = constructPath ? stripSlash(constructPath) : `${parent.stack}/${logicalId}`;
      const nested = this.loadTemplate(path.join(dir, file), stack, constructPath, { template: parent, logicalId }, metadataPaths);
      this.readNested(dir, nested, templatePaths, assetPaths, metadataPaths);
    }
  }

  private loadTemplate(
    file: string,
    stack: string,
    constructPath: string | undefined,
    parent: AssemblyTemplate['parent'],
    allPaths: Map<string, string>,
  ): AssemblyTemplate {
    this.loaded.add(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new AssemblyReadError(`cannot read template ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let json: Json;
    try {
      json = asRecord(JSON.parse(text));
    } catch (e) {
      throw new AssemblyReadError(`template ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const template: AssemblyTemplate = {
      file,
      stack,
      constructPath: constructPath ? stripSlash(constructPath) : undefined,
      resources: Object.fromEntries(Object.entries(asRecord(json.Resources)).map(([k, v]) => [k, asRecord(v)])),
      parameters: asRecord(json.Parameters),
      mappings: asRecord(json.Mappings),
      outputs: asRecord(json.Outputs),
      parent,
      text,
      metadataPaths: ownPaths(allPaths, constructPath),
      inStage: this.depth > 0,
    };
    this.templates.push(template);
    if (parent) this.nested.set(`${parent.template.file}\u0000${parent.logicalId}`, template);
    for (const output of Object.values(asRecord(json.Outputs)).map(asRecord)) {
      const name = asRecord(output.Export).Name;
      if (typeof name === 'string') this.exports.set(name, { template, value: output.Value });
    }
    return template;
  }

  /**
   * Whether an action expression may reach a page topic, as CloudFormation will resolve it: `Ref`,
   * `Fn::GetAtt`, nested stack parameters, a top-level parameter's default, cross-stack exports,
   * `Fn::Sub` and `Fn::Join` (by the references in them, or the ARN they spell with a page topic's
   * name), and either branch of an `Fn::If` or any other function (fail closed: if a page topic can
   * be chosen, the alarm is judged as a page).
   */
  public reachesPage(expr: unknown, template: AssemblyTemplate, pages: PageTopicIds, depth = 0): boolean {
    if (depth > 20 || expr === null || expr === undefined) return false;
    if (typeof expr === 'string') return pages.literal(expr);
    if (Array.isArray(expr)) return expr.some((e) => this.reachesPage(e, template, pages, depth + 1));
    if (typeof expr !== 'object') return false;
    const e = expr as Json;
    if (typeof e.Ref === 'string') return this.refPages(e.Ref, template, pages, depth);
    const getAtt = e['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [name, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? [getAtt.slice(0, getAtt.indexOf('.')), getAtt.slice(getAtt.indexOf('.') + 1)] : [];
      const resource = typeof name === 'string' ? template.resources[name] : undefined;
      if (resource === undefined) return false;
      // A nested stack's output (a page topic in a sibling nested stack, or below the alarm's stack).
      const child = typeof attribute === 'string' && attribute.startsWith('Outputs.') ? this.nested.get(`${template.file}\u0000${name}`) : undefined;
      if (child) return this.reachesPage(asRecord(child.outputs[attribute.slice('Outputs.'.length)]).Value, child, pages, depth + 1);
      return isPageTopic(resource);
    }
    const imported = e['Fn::ImportValue'];
    if (imported !== undefined) {
      const exp = typeof imported === 'string' ? this.exports.get(imported) : undefined;
      return exp !== undefined && this.reachesPage(exp.value, exp.template, pages, depth + 1);
    }
    const sub = e['Fn::Sub'];
    if (sub !== undefined) {
      const [text, vars] = Array.isArray(sub) ? [sub[0], asRecord(sub[1])] : [sub, {} as Json];
      if (typeof text !== 'string') return this.reachesPage(sub, template, pages, depth + 1);
      let spelled = '';
      let last = 0;
      for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
        spelled += text.slice(last, m.index);
        last = m.index! + m[0].length;
        const name = m[1];
        if (name.startsWith('!')) {
          spelled += `\${${name.slice(1)}}`;
          continue;
        }
        const value = name in vars ? vars[name] : undefined;
        if (value !== undefined ? this.reachesPage(value, template, pages, depth + 1)
          : name.includes('.') ? this.reachesPage({ 'Fn::GetAtt': name.split('.') }, template, pages, depth + 1)
          : this.refPages(name, template, pages, depth)) return true;
        spelled += typeof value === 'string' ? value : '*';
      }
      return pages.literal(spelled + text.slice(last));
    }
    const join = e['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      if (join[1].some((part) => typeof part !== 'string' && this.reachesPage(part, template, pages, depth + 1))) return true;
      return pages.literal(join[1].map((part) => (typeof part === 'string' ? part : '*')).join(join[0]));
    }
    const findInMap = e['Fn::FindInMap'];
    if (Array.isArray(findInMap) && typeof findInMap[0] === 'string') {
      // Whichever keys are chosen: a page when any value of the map reaches a page topic.
      const map = asRecord(template.mappings[findInMap[0]]);
      return Object.values(map).some((entry) => Object.values(asRecord(entry)).some((v) => this.reachesPage(v, template, pages, depth + 1)));
    }
    // Fn::If, Fn::Select...: any value in it that reaches a page topic may be chosen.
    return Object.values(e).some((v) => this.reachesPage(v, template, pages, depth + 1));
  }

  /** `{ Ref: name }`: a resource, a nested stack parameter (what the parent passes), a parameter's default. */
  private refPages(name: string, template: AssemblyTemplate, pages: PageTopicIds, depth: number): boolean {
    const resource = template.resources[name];
    if (resource) return isPageTopic(resource);
    if (!(name in template.parameters)) return false; // AWS::Region and the other pseudo parameters
    if (template.parent) {
      const stackResource = template.parent.template.resources[template.parent.logicalId];
      const passed = asRecord(asRecord(stackResource?.Properties).Parameters)[name];
      if (passed !== undefined) return this.reachesPage(passed, template.parent.template, pages, depth + 1);
    }
    // A parameter of a top-level stack deploys as its default unless someone passes another of its allowed values.
    const parameter = asRecord(template.parameters[name]);
    return this.reachesPage(parameter.Default, template, pages, depth + 1) || this.reachesPage(parameter.AllowedValues, template, pages, depth + 1);
  }
}

/** What identifies a page topic in a literal: the ARNs of imported page topics, the names of page topics. */
export class PageTopicIds {
  private readonly names = new Set<string>();
  constructor(private readonly arns: ReadonlySet<string>, templates: readonly AssemblyTemplate[]) {
    for (const arn of arns) {
      const name = SNS_ARN.exec(arn)?.[1];
      if (name) this.names.add(name);
    }
    for (const template of templates) {
      for (const resource of Object.values(template.resources)) {
        const name = asRecord(resource.Properties).TopicName;
        if (typeof name === 'string' && name !== '' && isPageTopic(resource)) this.names.add(name);
      }
    }
  }

  /**
   * True for an imported page topic's ARN, an Incident Manager response plan's, or an SNS ARN (partition, region and account may be
   * unknown, `*`) whose topic name is a page topic's: `arn:aws:sns:eu-west-1:111111111111:pager`
   * written by hand for a topic the app defines with `topicName: 'pager'`.
   */
  public literal(text: string): boolean {
    if (this.arns.has(text) || RESPONSE_PLAN_ARN.test(text)) return true;
    const name = SNS_ARN.exec(text)?.[1];
    return name !== undefined && this.names.has(name);
  }
}

// An Incident Manager response plan (SsmIncidentAlarmAction): the alarm engages on-call contacts.
const RESPONSE_PLAN_ARN = /^arn:[^:]*:ssm-incidents:[^:]*:[^:]*:response-plan\//;
// An SNS topic ARN; the topic name is the last field (FIFO topics end in `.fifo`, which is part of it).
const SNS_ARN = /^arn:[^:]*:sns:[^:]*:[^:]*:([^:*]+)$/;

/**
 * The logical id -> construct path entries that belong to the template at `constructPath`
 * (not to a nested stack below it). Keys of `all` are `<path>\0<logicalId>`.
 */
function ownPaths(all: Map<string, string>, constructPath: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!constructPath) return out;
  const prefix = constructPath.replace(/\/?$/, '/');
  const entries = [...all.values()];
  const nestedRoots = new Set(entries.filter((p) => p.startsWith(prefix) && p.endsWith('.NestedStackResource'))
    .map((p) => p.replace(/\.NestedStack\/[^/]*\.NestedStackResource$/, '/')));
  for (const [key, p] of all) {
    if (!p.startsWith(prefix) || [...nestedRoots].some((n) => p.startsWith(n))) continue;
    out.set(key.slice(key.indexOf('\u0000') + 1), stripSlash(p));
  }
  return out;
}

const LINE_INDEX = new WeakMap<AssemblyTemplate, Map<string, number>>();

/**
 * The 1-based line of a resource's logical id in its template: the first line where it is a key
 * opening an object. The template is scanned once, when the first line of it is asked for (only
 * findings need lines; thousands of compliant alarms never do).
 */
export function resourceLine(template: AssemblyTemplate, logicalId: string): number {
  let index = LINE_INDEX.get(template);
  if (!index) {
    index = new Map();
    const text = template.text;
    const key = /^[ \t]*"((?:[^"\\\n]|\\.)*)"[ \t]*:[ \t]*\{/gm;
    let line = 1;
    let last = 0;
    for (let m = key.exec(text); m; m = key.exec(text)) {
      for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      last = m.index;
      if (!index.has(m[1])) index.set(m[1], line);
    }
    LINE_INDEX.set(template, index);
  }
  return index.get(logicalId) ?? 1;
}

function isPageTopic(resource: Json): boolean {
  const type = typeof resource.Type === 'string' ? resource.Type.toLowerCase() : '';
  // An Incident Manager response plan engages the on-call contacts: a paging route of its own.
  if (type === 'aws::ssmincidents::responseplan') return true;
  if (type !== 'aws::sns::topic') return false;
  const tags = asRecord(resource.Properties).Tags;
  // Tagged by hand too, in any case (`runbookalarms:route=PAGE`): a topic someone meant as the page route is one.
  const same = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.toLowerCase();
  return Array.isArray(tags) && tags.some((t) => same(asRecord(t).Key, ROUTE_TAG) && same(asRecord(t).Value, Route.PAGE));
}

/** A cheap key for an action expression: most are `{ Ref }` or `{ Fn::GetAtt: [X, TopicArn] }`. */
function actionKey(action: unknown): string {
  const a = asRecord(action);
  if (typeof a.Ref === 'string' && Object.keys(a).length === 1) return `Ref:${a.Ref}`;
  return JSON.stringify(action);
}

/** Options of {@link readCloudAssembly}. */
export interface ReadAssemblyOptions {
  /** Literal topic ARNs known to page (imported page topics); actions naming them are pages. @default - none */
  readonly pageTopicArns?: readonly string[];
}

/** Reads every template and alarm of the cloud assembly in `dir` (and the assemblies nested in it). */
export function readCloudAssembly(dir: string, options: ReadAssemblyOptions = {}): CloudAssemblyContents {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AssemblyReadError(`cloud assembly directory ${dir} does not exist; run \`cdk synth\` first`);
  }
  const reader = new AssemblyReader();
  reader.readAssembly(path.resolve(dir));
  const pages = new PageTopicIds(new Set([...(options.pageTopicArns ?? []), ...reader.pageTopicArns]), reader.templates);
  const alarms: AssemblyAlarm[] = [];
  for (const template of reader.templates) {
    // Thousands of alarms share a handful of topics: decide each action once per template.
    const decided = new Map<string, boolean>();
    const isPageAction = (action: unknown): boolean => {
      if (typeof action === 'string') return pages.literal(action);
      const key = actionKey(action);
      let page = decided.get(key);
      if (page === undefined) decided.set(key, (page = reader.reachesPage(action, template, pages)));
      return page;
    };
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      const type = alarmType(resource.Type);
      if (type === undefined) continue;
      const properties = asRecord(resource.Properties);
      const actions = [properties.AlarmActions, properties.InsufficientDataActions].flatMap((list) => (Array.isArray(list) ? list : list === undefined ? [] : [list]));
      const cdkPath = asRecord(resource.Metadata)['aws:cdk:path'];
      const constructPath = typeof cdkPath === 'string' ? stripSlash(cdkPath) : template.metadataPaths.get(logicalId);
      const acknowledgements: Acknowledgement[] = [];
      for (let p = constructPath; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : undefined) {
        acknowledgements.push(...(reader.acknowledgements.get(p) ?? []));
      }
      alarms.push({
        template,
        logicalId,
        type,
        properties,
        constructPath,
        get line() {
          return resourceLine(template, logicalId);
        },
        reachesPageTopic: actions.some(isPageAction),
        isPageTopic: isPageAction,
        acknowledgements,
      });
    }
  }
  return { directory: path.resolve(dir), templates: reader.templates, alarms, slos: reader.slos };
}
