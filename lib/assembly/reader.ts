// Reads a synthesized cloud assembly (cdk.out) as plain files: every stack template, the nested
// stack templates they deploy, the assemblies of Stages, recursively, and every alarm in them with
// what its actions reach and what its description can be, both from the one evaluator of
// CloudFormation values (evaluator.ts). What is judged is what deploys: the synth gate reads the
// assembly the app has just written, `runbook-alarms lint --assembly` the one on disk. No CDK
// import: the files are the contract, so any app's output works. Fails closed: what cannot be read
// is a problem to report, never a template skipped in silence.
import * as fs from 'fs';
import * as path from 'path';
import { PAGE_TOPIC_ARN_METADATA, ROUTE_TAG, SLO_METADATA } from '../core/names';
import { DescriptionValue, alarmType } from '../alarm-rules/alarm-view';
import { ACKNOWLEDGED_RULES, Acknowledgement, acknowledgement } from '../core/acknowledgement';
import { Route } from '../core/severity';
import { ArnPattern, snsTopicArn } from './arn';
import { EvaluatedTemplate, Evaluator, PageRoutes, RouteTag } from './evaluator';
import { alarmsPagedByRules } from './page-routes';
import { parseTemplate } from './template-file';
import { Value, asText, literal, literalOf, showText } from './values';

type Json = Record<string, unknown>;

/** One CloudFormation template of the assembly. */
export interface AssemblyTemplate extends EvaluatedTemplate {
  /** Absolute path of the template file. */
  readonly file: string;
  /** The stack as people name it: `Payments`, `Prod/Payments`, `Payments/Nested`. */
  readonly stack: string;
  /** The stack's construct path without the leading `/`, when known. */
  readonly constructPath?: string;
  readonly resources: Record<string, Json>;
  /** For a nested stack: the parent template and the logical id of its AWS::CloudFormation::Stack. */
  readonly parent?: { readonly template: AssemblyTemplate; readonly logicalId: string };
  /** The raw text, to find line numbers. */
  readonly text: string;
  /** logical id -> construct path, from the artifact's metadata (what the CDK recorded, whatever the template claims). */
  readonly metadataPaths: Map<string, string>;
  /** True for a stack of a Stage's assembly (not of the top-level one): `cdk synth` does not select it by default. */
  readonly inStage: boolean;
}

/** A cloud assembly that cannot be read at all: missing, or its manifest unreadable. */
export class AssemblyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyReadError';
  }
}

/** Something of the assembly the gate could not read or judge: a finding, never a silent pass. */
export interface AssemblyProblem {
  /** The file (absolute) the problem is in. */
  readonly file: string;
  /** The stack, when known. */
  readonly stack?: string;
  /** The resource, when the problem is one resource's. */
  readonly logicalId?: string;
  /** The construct path of that resource, when known (acknowledgements are looked up along it). */
  readonly constructPath?: string;
  /** What could not be read or judged, and why. */
  readonly message: string;
  /**
   * True for what went wrong (a file that is neither JSON nor YAML, an error inside the gate):
   * nothing can acknowledge it. False for a template outside the assembly (a nested stack from a
   * URL), which a team may acknowledge with its reason.
   */
  readonly fatal: boolean;
}

/** An alarm (metric or composite) found in a template. */
export interface AssemblyAlarm {
  readonly template: AssemblyTemplate;
  readonly logicalId: string;
  /** `AWS::CloudWatch::Alarm` or `AWS::CloudWatch::CompositeAlarm`. */
  readonly type: string;
  readonly properties: Json;
  /**
   * Its construct path, without the leading `/`: as the CDK recorded it, else its `aws:cdk:path`
   * when that lies in the stack holding it, else `<stack path>/<logical id>`.
   */
  readonly constructPath: string;
  /** An `aws:cdk:path` the resource claims that lies outside the stack holding it. @default - none */
  readonly claimedPath?: string;
  /** The line of the alarm's logical id in the template file (found when first asked for). */
  readonly line: number;
  /** True when the alarm pages through its actions (alarm or insufficient-data) or an EventBridge rule. */
  readonly reachesPageTopic: boolean;
  /** Whether one action of this alarm could be or contain a paging route. */
  readonly isPageTopic: (action: unknown) => boolean;
  /** The EventBridge rule (`<stack>/<logical id>`) that sends its state changes to a paging route. @default - none */
  readonly pageRule?: string;
  /** Every value its AlarmDescription can take. */
  readonly descriptions: readonly DescriptionValue[];
  /** Acknowledgements recorded on the alarm or an ancestor in its stack, closest first. */
  readonly acknowledgements: Acknowledgement[];
  /** Why the alarm could not be judged (an error inside the gate). @default - it could */
  readonly error?: string;
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
  /** What could not be read or judged. */
  readonly problems: AssemblyProblem[];
  /** The acknowledgements the assembly records on `path` and its ancestors, closest first. */
  readonly acknowledgementsAlong: (path: string | undefined) => Acknowledgement[];
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssemblyReadError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
  } catch (e) {
    throw new AssemblyReadError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function asRecord(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

const stripSlash = (p: string) => (p.charCodeAt(0) === 47 ? p.replace(/^\/+/, '') : p);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A page topic registered by ARN (an imported topic, an escalation contact's), with the template of the construct that recorded it. */
interface RegisteredArn {
  readonly data: unknown;
  readonly path: string;
  readonly templates: AssemblyTemplate[];
}

/** Where a template stands in the assembly. */
interface TemplatePlace {
  readonly stack: string;
  readonly stackName?: string;
  readonly constructPath?: string;
  readonly parent?: AssemblyTemplate['parent'];
  readonly account?: string;
  readonly region?: string;
  /** The artifact's logical id -> construct path entries (`<path>\0<logicalId>`). */
  readonly allPaths: Map<string, string>;
}

class AssemblyReader {
  public readonly templates: AssemblyTemplate[] = [];
  public readonly problems: AssemblyProblem[] = [];
  /** Acknowledgements by construct path (no leading slash). */
  public readonly acknowledgements = new Map<string, Acknowledgement[]>();
  public readonly registered: RegisteredArn[] = [];
  private readonly loaded = new Set<string>();
  /** The ServiceLevelObjectives recorded in the stacks' metadata. */
  public readonly slos: AssemblySlo[] = [];
  /** Nested templates by `<parent file>\0<logical id of its AWS::CloudFormation::Stack>`. */
  public readonly nested = new Map<string, AssemblyTemplate>();
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
        try {
          for (const [hash, asset] of Object.entries(asRecord(readJson(file).files))) {
            const source = asRecord(asRecord(asset).source);
            if (typeof source.path === 'string') assets.set(hash, source.path);
          }
        } catch (e) {
          this.problems.push({ file, message: `the asset manifest cannot be read, so nested stack templates may be missed: ${errorText(e)}`, fatal: true });
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
      if (/\.nested\.template\.(json|ya?ml)$/.test(name) && !this.loaded.has(path.join(dir, name))) {
        this.loadTemplate(path.join(dir, name), { stack: name.replace(/\.nested\.template\.(json|ya?ml)$/, ''), allPaths: new Map() });
      }
    }
  }

  /** A stack artifact's metadata: the inline `metadata` plus the `additionalMetadataFile` newer CDKs write. */
  private artifactMetadata(dir: string, artifact: Json): Record<string, Array<{ type?: string; data?: unknown }>> {
    const out: Record<string, Array<{ type?: string; data?: unknown }>> = {};
    const add = (m: Json) => {
      for (const [p, entries] of Object.entries(m)) if (Array.isArray(entries)) (out[p] ??= []).push(...entries);
    };
    add(asRecord(artifact.metadata));
    if (typeof artifact.additionalMetadataFile === 'string') {
      const file = path.join(dir, artifact.additionalMetadataFile);
      try {
        if (fs.existsSync(file)) add(readJson(file));
      } catch (e) {
        this.problems.push({ file, message: `the stack's metadata cannot be read (acknowledgements, page topics registered by ARN): ${errorText(e)}`, fatal: true });
      }
    }
    return out;
  }

  private readStack(dir: string, id: string, artifact: Json, templateFile: string, assetPaths: () => Map<string, string>): void {
    const metadata = this.artifactMetadata(dir, artifact);
    const stack = typeof artifact.displayName === 'string' ? artifact.displayName : id;
    const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(typeof artifact.environment === 'string' ? artifact.environment : '');
    const region = env && env[2] !== 'unknown-region' ? env[2] : undefined;
    const metadataPaths = new Map<string, string>();
    const templatePaths = new Map<string, string>();
    const registered: Array<{ path: string; data: unknown }> = [];
    for (const [p, entries] of Object.entries(metadata)) {
      for (const e of entries) {
        if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') metadataPaths.set(`${p}\u0000${e.data}`, p);
        if (e.type === 'aws:cdk:templateFile' && typeof e.data === 'string') templatePaths.set(e.data, p);
        if (e.type === PAGE_TOPIC_ARN_METADATA && e.data !== undefined) registered.push({ path: stripSlash(p), data: e.data });
        if (e.type === SLO_METADATA) this.slos.push({ stack, constructPath: stripSlash(p), region, record: e.data });
        if (e.type === ACKNOWLEDGED_RULES) {
          for (const [ruleId, reason] of Object.entries(asRecord(e.data))) {
            const at = stripSlash(p);
            const list = this.acknowledgements.get(at) ?? [];
            list.push(acknowledgement(ruleId, reason, at));
            this.acknowledgements.set(at, list);
          }
        }
      }
    }
    const props = asRecord(artifact.properties);
    const before = this.templates.length;
    const root = this.loadTemplate(path.join(dir, templateFile), {
      stack,
      stackName: typeof props.stackName === 'string' ? props.stackName : id,
      account: env && env[1] !== 'unknown-account' ? env[1] : undefined,
      region,
      constructPath: templatePaths.get(templateFile) ?? stack,
      allPaths: metadataPaths,
    });
    if (root) this.readNested(dir, root, templatePaths, assetPaths, metadataPaths);
    const templates = this.templates.slice(before);
    for (const r of registered) this.registered.push({ ...r, templates });
  }

  private readNested(
    dir: string,
    parent: AssemblyTemplate,
    templatePaths: Map<string, string>,
    assetPaths: () => Map<string, string>,
    metadataPaths: Map<string, string>,
  ): void {
    for (const [logicalId, resource] of Object.entries(parent.resources)) {
      if (typeof resource.Type !== 'string' || resource.Type.toLowerCase() !== 'aws::cloudformation::stack') continue;
      const meta = asRecord(resource.Metadata);
      const resourcePath = parent.metadataPaths.get(logicalId) ?? (typeof meta['aws:cdk:path'] === 'string' ? stripSlash(meta['aws:cdk:path']) : undefined);
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
      if (!file || !fs.existsSync(path.join(dir, file))) {
        this.problems.push({
          file: parent.file,
          stack: parent.stack,
          logicalId,
          constructPath: resourcePath,
          message: `the template of nested stack ${logicalId} is not in the cloud assembly (TemplateURL ${JSON.stringify(asRecord(resource.Properties).TemplateURL ?? null)}), so its alarms cannot be judged`,
          fatal: false,
        });
        continue;
      }
      if (this.loaded.has(path.join(dir, file))) continue;
      const constructPath = templatePaths.get(file) ?? stackPath;
      const nested = this.loadTemplate(path.join(dir, file), {
        stack: constructPath ? stripSlash(constructPath) : `${parent.stack}/${logicalId}`,
        constructPath,
        parent: { template: parent, logicalId },
        account: parent.account,
        region: parent.region,
        allPaths: metadataPaths,
      });
      if (nested) this.readNested(dir, nested, templatePaths, assetPaths, metadataPaths);
    }
  }

  private loadTemplate(file: string, where: TemplatePlace): AssemblyTemplate | undefined {
    this.loaded.add(file);
    let text: string;
    let json: Json;
    try {
      text = fs.readFileSync(file, 'utf8');
      json = parseTemplate(text);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? errorText(e);
      this.problems.push({ file, stack: where.stack, message: `the template cannot be read, so no alarm in it was judged: ${reason}`, fatal: true });
      return undefined;
    }
    return this.addTemplate(file, text, json, where);
  }

  /** A template read from `text` (its JSON `json`), added to the assembly. */
  public addTemplate(file: string, text: string, json: Json, where: TemplatePlace): AssemblyTemplate {
    const template: AssemblyTemplate = {
      file,
      stack: where.stack,
      stackName: where.stackName,
      account: where.account,
      region: where.region,
      constructPath: where.constructPath ? stripSlash(where.constructPath) : undefined,
      resources: Object.fromEntries(Object.entries(asRecord(json.Resources)).map(([k, v]) => [k, asRecord(v)])),
      parameters: asRecord(json.Parameters),
      mappings: asRecord(json.Mappings),
      outputs: asRecord(json.Outputs),
      parent: where.parent,
      text,
      metadataPaths: ownPaths(where.allPaths, where.constructPath),
      inStage: this.depth > 0,
    };
    // Resources a loop of the AWS::LanguageExtensions transform generates are not in the template as written.
    for (const key of Object.keys(template.resources)) {
      if (key.startsWith('Fn::ForEach::') && /aws::cloudwatch::/i.test(JSON.stringify(asRecord(json.Resources)[key]))) {
        this.problems.push({ file, stack: where.stack, logicalId: key, message: `the alarms ${key} generates (AWS::LanguageExtensions) cannot be judged before the transform runs`, fatal: true });
      }
    }
    this.templates.push(template);
    if (where.parent) this.nested.set(`${where.parent.template.file}\u0000${where.parent.logicalId}`, template);
    return template;
  }
}

/**
 * The logical id -> construct path entries that belong to the template at `constructPath`
 * (not to a nested stack below it). Keys of `all` are `<path>\0<logicalId>`.
 */
function ownPaths(all: Map<string, string>, constructPath: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!constructPath) return out;
  const prefix = `/${stripSlash(constructPath)}`.replace(/\/?$/, '/');
  const nestedRoots: string[] = [];
  for (const p of all.values()) {
    if (p.startsWith(prefix) && p.endsWith('.NestedStackResource')) nestedRoots.push(p.replace(/\.NestedStack\/[^/]*\.NestedStackResource$/, '/'));
  }
  for (const [key, p] of all) {
    if (!p.startsWith(prefix) || nestedRoots.some((n) => p.startsWith(n))) continue;
    out.set(key.slice(key.indexOf('\u0000') + 1), stripSlash(p));
  }
  return out;
}

const LINE_INDEX = new WeakMap<AssemblyTemplate, Map<string, number>>();

/**
 * The 1-based line of a resource's logical id in its template: the first line where it is a key
 * opening an object (JSON), or a key ending its line (YAML). The template is scanned once, when the
 * first line of it is asked for (only findings need lines; thousands of compliant alarms never do).
 */
export function resourceLine(template: AssemblyTemplate, logicalId: string): number {
  let index = LINE_INDEX.get(template);
  if (!index) {
    index = new Map();
    const text = template.text;
    const key = /^[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([A-Za-z0-9]+))[ \t]*:[ \t]*(?:\{|\r?$)/gm;
    let line = 1;
    let last = 0;
    for (let m = key.exec(text); m; m = key.exec(text)) {
      for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      last = m.index;
      const name = m[1] ?? m[2] ?? m[3];
      if (!index.has(name)) index.set(name, line);
    }
    LINE_INDEX.set(template, index);
  }
  return index.get(logicalId) ?? 1;
}

/** A cheap key for an action expression: most are `{ Ref }` or `{ Fn::GetAtt: [X, TopicArn] }`. */
function actionKey(action: unknown): string {
  const a = asRecord(action);
  if (typeof a.Ref === 'string' && Object.keys(a).length === 1) return `Ref:${a.Ref}`;
  return JSON.stringify(action) ?? 'undefined';
}

/** A description value as the alarm rules read it: its text with `{ref}` for what is not known. */
function descriptionValue(v: Value): DescriptionValue {
  if (v.kind === 'absent') return { partial: false };
  const text = asText(v);
  const s = literalOf(text);
  return s !== undefined ? { text: s, partial: false } : { text: showText(text), partial: true };
}

/** Options of {@link readCloudAssembly}. */
export interface ReadAssemblyOptions {
  /** Literal topic ARNs known to page (imported page topics); actions naming them are pages. @default - none */
  readonly pageTopicArns?: readonly string[];
}

const ROUTE: RouteTag = { key: ROUTE_TAG, page: Route.PAGE };

/**
 * What the assembly says pages someone: topics registered by ARN (evaluated where they were
 * registered: an import, an SSM parameter, tokens of region and account) and page topics with a name.
 */
function pageRoutes(reader: AssemblyReader, extraArns: readonly string[]): PageRoutes {
  const nested = (parent: EvaluatedTemplate, logicalId: string) => reader.nested.get(`${parent.file}\u0000${logicalId}`);
  const first = new Evaluator(reader.templates, nested, { ids: new Set(), arns: [] }, ROUTE);
  const ids = new Set<string>();
  const arns: ArnPattern[] = [];
  const add = (v: Value) => {
    const text = asText(v);
    const pattern = new ArnPattern(text);
    if (pattern.valid) arns.push(pattern);
    // What the ARN is made of that can be known only by name: an import, an SSM parameter, another resource.
    else for (const p of text.parts) if (typeof p !== 'string' && p.id && !p.wild) ids.add(p.id);
  };
  for (const arn of extraArns) add(literal(arn));
  for (const r of reader.registered) {
    // Evaluated in the template that holds the construct that recorded it.
    const template = r.templates.filter((t) => t.constructPath && (r.path === t.constructPath || r.path.startsWith(`${t.constructPath}/`)))
      .sort((a, b) => (b.constructPath?.length ?? 0) - (a.constructPath?.length ?? 0))[0] ?? r.templates[0];
    if (!template) {
      if (typeof r.data === 'string') add(literal(r.data));
      continue;
    }
    for (const v of first.property(r.data, template)) add(v);
  }
  for (const template of reader.templates) {
    for (const resource of Object.values(template.resources)) {
      if (!first.isPageResource(resource, template)) continue;
      const names = first.property(asRecord(resource.Properties).TopicName, template);
      // A page topic with a name: an ARN written by hand with that name is the page topic (any account, any region).
      for (const n of names) if (literalOf(n)) arns.push(new ArnPattern(snsTopicArn(literalOf(n)!)));
    }
  }
  return { ids, arns };
}

/** Reads every template and alarm of the cloud assembly in `dir` (and the assemblies nested in it). */
export function readCloudAssembly(dir: string, options: ReadAssemblyOptions = {}): CloudAssemblyContents {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AssemblyReadError(`cloud assembly directory ${dir} does not exist; run \`cdk synth\` first`);
  }
  const reader = new AssemblyReader();
  reader.readAssembly(path.resolve(dir));
  return judgeTemplates(reader, path.resolve(dir), options);
}

/** Reads templates given as JSON (tests of the evaluator; templates built in memory), as if they were a cloud assembly. */
export function readTemplates(templates: ReadonlyArray<{ readonly stack: string; readonly template: Json; readonly account?: string; readonly region?: string }>, options: ReadAssemblyOptions = {}): CloudAssemblyContents {
  const reader = new AssemblyReader();
  for (const t of templates) {
    const template = reader.addTemplate(`${t.stack}.template.json`, JSON.stringify(t.template, undefined, 1), t.template,
      { stack: t.stack, stackName: t.stack, account: t.account, region: t.region, constructPath: t.stack, allPaths: new Map() });
    for (const arn of (asRecord(t.template.Metadata)[PAGE_TOPIC_ARN_METADATA] as unknown[] | undefined) ?? []) {
      reader.registered.push({ data: arn, path: t.stack, templates: [template] });
    }
  }
  return judgeTemplates(reader, '.', options);
}

function judgeTemplates(reader: AssemblyReader, directory: string, options: ReadAssemblyOptions): CloudAssemblyContents {
  const nested = (parent: EvaluatedTemplate, logicalId: string) => reader.nested.get(`${parent.file}\u0000${logicalId}`);
  const evaluator = new Evaluator(reader.templates, nested, pageRoutes(reader, options.pageTopicArns ?? []), ROUTE);
  const found: Array<{ template: AssemblyTemplate; logicalId: string; resource: Json; type: string }> = [];
  for (const template of reader.templates) {
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      const type = alarmType(resource.Type);
      if (type !== undefined) found.push({ template, logicalId, resource, type });
    }
  }
  let paged = new Map<string, string>();
  try {
    const byFile = new Map(reader.templates.map((t) => [t.file, t]));
    const label = (t: EvaluatedTemplate, logicalId: string) => {
      const template = byFile.get(t.file);
      return template?.metadataPaths.get(logicalId) ?? `${template?.constructPath ?? template?.stack ?? t.file}/${logicalId}`;
    };
    paged = alarmsPagedByRules(evaluator, reader.templates, () => found.map((a) => ({ template: a.template, logicalId: a.logicalId, properties: asRecord(a.resource.Properties) })), label);
  } catch (e) {
    reader.problems.push({ file: directory, message: `the EventBridge rules of the app could not be read: ${errorText(e)}`, fatal: true });
  }
  const acknowledgementsAlong = (from: string | undefined): Acknowledgement[] => {
    const out: Acknowledgement[] = [];
    for (let p = from ? stripSlash(from) : undefined; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : undefined) {
      out.push(...(reader.acknowledgements.get(p) ?? []));
    }
    return out;
  };
  const alarms: AssemblyAlarm[] = [];
  // Thousands of alarms share a handful of topics: decide each action once per template.
  const deciders = new Map<AssemblyTemplate, (action: unknown) => boolean>();
  const decider = (template: AssemblyTemplate) => {
    let decide = deciders.get(template);
    if (!decide) {
      const memo = new Map<string, boolean>();
      decide = (action: unknown): boolean => {
        const key = typeof action === 'string' ? action : actionKey(action);
        let page = memo.get(key);
        if (page === undefined) memo.set(key, (page = evaluator.isPage(evaluator.property(action, template))));
        return page;
      };
      deciders.set(template, decide);
    }
    return decide;
  };
  for (const { template, logicalId, resource, type } of found) {
    const properties = asRecord(resource.Properties);
    const claimed = asRecord(resource.Metadata)['aws:cdk:path'];
    const stackPath = template.constructPath ?? template.stack;
    const inStack = (p: string) => p === stackPath || p.startsWith(`${stackPath}/`);
    // The stack whose template holds it owns it, whatever path it claims.
    const claimedPath = typeof claimed === 'string' ? stripSlash(claimed) : undefined;
    const constructPath = template.metadataPaths.get(logicalId) ?? (claimedPath !== undefined && inStack(claimedPath) ? claimedPath : `${stackPath}/${logicalId}`);
    const acknowledgements = reader.acknowledgements.size === 0 ? [] : acknowledgementsAlong(constructPath);
    const isPageAction = decider(template);
    let error: string | undefined;
    let reaches = false;
    let descriptions: DescriptionValue[] = [];
    try {
      const actions = [properties.AlarmActions, properties.InsufficientDataActions].flatMap((list) => (Array.isArray(list) ? list : list === undefined ? [] : [list]));
      reaches = actions.some(isPageAction);
      const d = properties.AlarmDescription;
      // Most descriptions are literal (RunbookAlarm writes them so): no need to evaluate them.
      descriptions = typeof d === 'string' && !d.includes('{{resolve:') ? [{ text: d, partial: false }] : evaluator.property(d, template).map(descriptionValue);
    } catch (e) {
      error = errorText(e);
    }
    const pageRule = paged.size === 0 ? undefined : paged.get(`${template.file}#${logicalId}`);
    alarms.push({
      template,
      logicalId,
      type,
      properties,
      constructPath,
      claimedPath: claimedPath !== undefined && claimedPath !== constructPath && !inStack(claimedPath) ? claimedPath : undefined,
      get line() {
        return resourceLine(template, logicalId);
      },
      reachesPageTopic: reaches || pageRule !== undefined,
      isPageTopic: isPageAction,
      pageRule,
      descriptions,
      acknowledgements,
      error,
    });
  }
  return { directory, templates: reader.templates, alarms, slos: reader.slos, problems: reader.problems, acknowledgementsAlong };
}
