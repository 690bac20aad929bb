// Reads a CloudFormation template as CloudFormation does: JSON, or YAML with the short-form
// intrinsic functions (`!Ref`, `!Sub`, `!GetAtt A.B`, ...), with or without a byte-order mark.
// YAML is loaded only for a template that is not JSON.

type Json = Record<string, unknown>;

/** A template file that CloudFormation could not read either. */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

// The short forms of CloudFormation's YAML, and the function each stands for.
const SHORT_FORMS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString', 'GetStackOutput'];

type YamlModule = typeof import('yaml');
let tags: unknown[] | undefined;

function cloudFormationTags(): unknown[] {
  if (tags) return tags;
  const out: unknown[] = [];
  const add = (short: string, key: string, scalar: (s: string) => unknown) => {
    out.push({ tag: `!${short}`, resolve: (s: string) => ({ [key]: scalar(s) }) });
    out.push({ tag: `!${short}`, collection: 'seq', resolve: (seq: InstanceType<YamlModule['YAMLSeq']>) => ({ [key]: seq.toJSON() }) });
    out.push({ tag: `!${short}`, collection: 'map', resolve: (map: InstanceType<YamlModule['YAMLMap']>) => ({ [key]: map.toJSON() }) });
  };
  add('Ref', 'Ref', (s) => s);
  add('Condition', 'Condition', (s) => s);
  for (const f of SHORT_FORMS) {
    // `!GetAtt Resource.Attribute` names the attribute after the first dot (`Stack.Outputs.Name`).
    add(f, `Fn::${f}`, f === 'GetAtt' ? (s) => (s.includes('.') ? [s.slice(0, s.indexOf('.')), s.slice(s.indexOf('.') + 1)] : s) : (s) => s);
  }
  return (tags = out);
}

/** The template in `text` (JSON or YAML, a byte-order mark allowed) as JSON. */
export function parseTemplate(text: string): Json {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (jsonError) {
    const yaml = require('yaml') as YamlModule;
    const doc = yaml.parseDocument(body, { customTags: cloudFormationTags() as never, uniqueKeys: false, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      const line = body.slice(0, error.pos[0]).split('\n').length;
      // A file that starts as JSON is read as broken JSON; anything else as broken YAML.
      const why = /^\s*\{/.test(body) ? `JSON: ${(jsonError as Error).message.split('\n')[0]}` : `YAML (line ${line}): ${error.message.split('\n')[0]}`;
      throw new TemplateSyntaxError(`neither JSON nor YAML; as ${why}`);
    }
    json = doc.toJS({ maxAliasCount: 1000 });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TemplateSyntaxError('not a template: the document is not a mapping of sections');
  return json as Json;
}
