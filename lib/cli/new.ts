// `runbook-alarms new <name>`: writes a runbook in the SPEC §6 template. Every section holds a
// `<...>` placeholder, so the file fails lint until a person has written the procedure.
import * as fs from 'fs';
import * as path from 'path';
import { SeverityPolicy } from '../core/severity';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { newSpec } from './commands';

const OPTIONS = {
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

/** The runbook template of SPEC §6, with a placeholder wherever a person must write. */
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
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'new needs a runbook name, e.g. `runbook-alarms new db-failover`' : `new takes one name, got ${positionals.length}`);
  const name = positionals[0].replace(/\.md$/i, '');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
    throw new UsageError(`"${positionals[0]}" is not a runbook name: use letters, digits and dashes, e.g. payment-webhook-backlog`);
  }
  const severity = SeverityPolicy.parse(values.severity as string | undefined);
  if (!severity) throw new UsageError(values.severity === undefined ? '--severity is required (SEV1..SEV4)' : `--severity "${values.severity}" is not SEV1..SEV4`);
  const owner = ((values.owner as string | undefined) ?? '').trim();
  if (owner === '') throw new UsageError('--owner is required: the team that keeps this procedure true');
  if (/[:#\n]/.test(owner)) throw new UsageError(`--owner "${owner}" must be a plain team name`);
  const title = ((values.title as string | undefined) ?? titleFromName(name)).trim();
  const now = readNow(values.now as string | undefined) ?? new Date();
  const dir = path.resolve((values.dir as string | undefined) ?? 'runbooks');
  const file = path.join(dir, `${name}.md`);
  const shown = path.relative(process.cwd(), file) || file;
  const text = renderRunbookTemplate({ title, owner, severity, lastUpdated: now.toISOString().slice(0, 10) });
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' }); // wx: fail rather than overwrite, even in a race
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`runbook-alarms new: ${shown} already exists; not overwritten (pick another name or edit it)\n`);
      return ExitCode.FINDINGS;
    }
    throw new InputError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  process.stdout.write(`created ${shown}\n` +
    `next: replace every <...> placeholder, then \`runbook-alarms lint ${shown}\`;\n` +
    `link it from its alarm with runbook: Runbook.fromFile('${shown.split(path.sep).join('/')}')\n`);
  return ExitCode.OK;
}
