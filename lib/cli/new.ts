// `runbook-alarms new <name>`: writes a runbook in the docs/design/runbook-format.md template. Every section holds a
// `<...>` placeholder, so the file fails lint until a person has written the procedure.
// `new --from <shipped>` writes a runbook this package ships instead (the SlackNotifier's).
import * as fs from 'fs';
import * as path from 'path';
import { SeverityPolicy } from '../core/severity';
import { closest } from '../core/text';
import { SHIPPED_RUNBOOKS, shippedRunbookFile } from '../runbook/shipped';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { newSpec } from './specs';

const OPTIONS = {
  from: { type: 'string' },
  severity: { type: 'string' },
  owner: { type: 'string' },
  title: { type: 'string' },
  dir: { type: 'string' },
  now: { type: 'string' },
} satisfies Record<string, OptionConfig>;

/** What goes into a new runbook. */
export interface RunbookTemplateProps {
  readonly title: string;
  readonly owner: string;
  readonly severity: string;
  /** YYYY-MM-DD */
  readonly lastUpdated: string;
}

/** The runbook template of docs/design/runbook-format.md, with a placeholder wherever a person must write. */
export function renderRunbookTemplate(p: RunbookTemplateProps): string {
  return `---
title: ${/^[A-Za-z0-9][\w .,()/-]*$/.test(p.title) ? p.title : JSON.stringify(p.title)}
owner: ${p.owner}
last_updated: ${p.lastUpdated}
severity: ${p.severity}
---
# Runbook: ${p.title}

## Symptom
<What the on-call engineer and the users see when this fails.>

## Detect
<The alarm that fires, its threshold, and the dashboard to open.>

## Triage
<Commands that tell how big it is and what causes it, each with what a bad result looks like.>

## Mitigate
- [ ] <The first move: one exact command or console action that stops the bleeding.>

## Verify
- [ ] <The metric or check that shows it worked, and for how long it must hold.>

## Comms
<Where to post, who to tell, and the first status message.>

## Postmortem
<When a postmortem is due and what to capture for it.>
`;
}

/** "payment-webhook-backlog" -> "Payment webhook backlog". */
export function titleFromName(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export async function newCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, newSpec.help);
  if (!parsed) return ExitCode.OK;
  const { values, positionals } = parsed;
  if (values.from !== undefined) return newFromShipped(values, positionals);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'new needs a runbook name, e.g. `runbook-alarms new db-failover`' : `new takes one name, got ${positionals.length}`);
  const name = positionals[0].replace(/\.md$/i, '');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
    throw new UsageError(`"${positionals[0]}" is not a runbook name: use letters, digits and dashes, e.g. payment-webhook-backlog`);
  }
  const severity = SeverityPolicy.parse(values.severity as string | undefined);
  if (!severity) throw new UsageError(values.severity === undefined ? '--severity is required (SEV1..SEV4)' : `--severity "${values.severity}" is not SEV1..SEV4`);
  const owner = checkOwner((values.owner as string | undefined) ?? '');
  const title = ((values.title as string | undefined) ?? titleFromName(name)).trim();
  const text = renderRunbookTemplate({ title, owner, severity, lastUpdated: today(values) });
  const shown = writeRunbook(values, name, text);
  if (shown === undefined) return ExitCode.FINDINGS;
  process.stdout.write(`created ${shown}\n` +
    `next: replace every <...> placeholder, then \`runbook-alarms lint ${shown}\`;\n` +
    `link it from its alarm with runbook: Runbook.fromFile('${shown.split(path.sep).join('/')}')\n`);
  return ExitCode.OK;
}

type Values = Record<string, string | boolean | string[] | undefined>;

const today = (values: Values): string => (readNow(values.now as string | undefined) ?? new Date()).toISOString().slice(0, 10);

/** `new --from <shipped>`: the shipped runbook, dated today, with the owner and severity given. */
function newFromShipped(values: Values, positionals: string[]): number {
  const from = String(values.from);
  if (!SHIPPED_RUNBOOKS.includes(from)) {
    const hint = closest(from, SHIPPED_RUNBOOKS);
    throw new UsageError(`--from "${from}" is not a runbook this package ships${hint ? `; did you mean "${hint}"?` : ''} (shipped: ${SHIPPED_RUNBOOKS.join(', ')})`);
  }
  if (positionals.length > 1) throw new UsageError(`new takes one name, got ${positionals.length}`);
  const name = (positionals[0] ?? from).replace(/\.md$/i, '');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new UsageError(`"${positionals[0]}" is not a runbook name: use letters, digits and dashes`);
  let text = fs.readFileSync(shippedRunbookFile(from), 'utf8');
  const frontMatter = (key: string, value: string) => {
    text = text.replace(new RegExp(`^(---\\n[\\s\\S]*?^${key}:)[^\\n]*$`, 'm'), `$1 ${value}`);
  };
  frontMatter('last_updated', today(values));
  if (values.owner !== undefined) frontMatter('owner', checkOwner(values.owner as string));
  if (values.severity !== undefined) {
    const severity = SeverityPolicy.parse(values.severity as string);
    if (!severity) throw new UsageError(`--severity "${values.severity}" is not SEV1..SEV4`);
    frontMatter('severity', severity);
  }
  const shown = writeRunbook(values, name, text);
  if (shown === undefined) return ExitCode.FINDINGS;
  process.stdout.write(`created ${shown} from the runbook cdk-runbook-alarms ships (${from})\n` +
    `next: check its commands, channels and owner against your setup, \`runbook-alarms lint ${shown}\`, and commit it\n`);
  return ExitCode.OK;
}

function checkOwner(raw: string): string {
  const owner = raw.trim();
  if (owner === '') throw new UsageError('--owner is required: the team that keeps this procedure true');
  if (/[:#\n]/.test(owner)) throw new UsageError(`--owner "${owner}" must be a plain team name`);
  return owner;
}

/** Writes `<dir>/<name>.md` unless it exists; returns the path as shown, or undefined when it existed. */
function writeRunbook(values: Values, name: string, text: string): string | undefined {
  const dir = path.resolve((values.dir as string | undefined) ?? 'runbooks');
  const file = path.join(dir, `${name}.md`);
  const shown = path.relative(process.cwd(), file) || file;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' }); // wx: fail rather than overwrite, even in a race
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`runbook-alarms new: ${shown} already exists; not overwritten (pick another name or edit it)\n`);
      return undefined;
    }
    throw new InputError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return shown;
}
