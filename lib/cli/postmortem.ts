// `runbook-alarms postmortem new|status`: writes a postmortem draft pre-filled from an incident
// (the incident table, with the user's AWS credentials, or an exported incident), and lists the
// follow-through — postmortems not yet Final, open action items by owner and due date, overdue
// first — for the weekly review and the handoff.
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { isTimeZone } from '../core/zoned-time';
import { parseAlarmContract } from '../core/contract';
import { DEFAULT_POSTMORTEM_SETTINGS, postmortemDeadlines } from '../core/postmortem';
import { closest } from '../core/text';
import { notificationOf } from '../functions/shared/incident';
import { PostmortemFacts, draftFileName, renderPostmortemDraft } from '../postmortem/draft';
import { isPostmortem, parsePostmortem } from '../postmortem/parser';
import { FollowThrough, followThrough } from '../postmortem/status';
import { runbookFileForUrl } from '../runbook/location';
import { readRunbook, readRunbookText, RunbookTextError } from '../runbook/parser';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { baseUrlFromCdkJson, loadConfig } from './config';
import { IncidentSource, incidentFromExport, incidentFromTable } from './incident-source';
import { collectRunbooks } from './lint';
import { postmortemNewSpec, postmortemSpec, postmortemStatusSpec } from './specs';

const NEW_OPTIONS = {
  incident: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  from: { type: 'string' },
  author: { type: 'string' },
  title: { type: 'string' },
  dir: { type: 'string' },
  'time-zone': { type: 'string' },
  'base-url': { type: 'string' },
  config: { type: 'string' },
  now: { type: 'string' },
} satisfies Record<string, OptionConfig>;

const STATUS_OPTIONS = {
  format: { type: 'string' },
  config: { type: 'string' },
  now: { type: 'string' },
} satisfies Record<string, OptionConfig>;

const SUBCOMMANDS = ['new', 'status'];

export async function postmortemCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub === undefined ? process.stderr : process.stdout).write(postmortemSpec.help);
    return sub === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (sub === 'new') return postmortemNew(rest);
  if (sub === 'status') return postmortemStatus(rest);
  const hint = closest(sub, SUBCOMMANDS);
  throw new UsageError(`unknown subcommand "${sub}"${hint ? `; did you mean "${hint}"?` : ''} (postmortem new, postmortem status)`);
}

/** The author: the flag, else git's user.name, else the login name, else a placeholder the lint flags. */
function authorOf(flag: string | undefined): string {
  if (flag !== undefined) {
    if (flag.trim() === '' || /[\n:#]/.test(flag)) throw new UsageError(`--author "${flag}" must be a plain name`);
    return flag.trim();
  }
  const git = spawnSync('git', ['config', 'user.name'], { encoding: 'utf8' });
  const name = git.status === 0 ? git.stdout.trim() : '';
  return name || process.env.USER || process.env.USERNAME || '<your name>';
}

/** The runbook as the front matter names it (a path under the root when the URL is under the base URL), and its title when it is here. */
function runbookOf(url: string | undefined, baseUrl: string | undefined, root: string): { runbook: string; title?: string } {
  if (!url) return { runbook: 'none' };
  const file = baseUrl ? runbookFileForUrl(url, baseUrl, root) : undefined;
  if (!file) return { runbook: url };
  const relative = path.relative(root, file).split(path.sep).join('/');
  try {
    return { runbook: relative, title: readRunbook(file).title };
  } catch {
    return { runbook: relative };
  }
}

async function postmortemNew(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, NEW_OPTIONS, postmortemNewSpec.help);
  if (!parsed) return ExitCode.OK;
  const v = parsed.values;
  if (parsed.positionals.length > 0) throw new UsageError(`postmortem new takes no arguments, got "${parsed.positionals[0]}" (use --incident <id> or --from <file>)`);
  const fromFile = v.from as string | undefined;
  const incidentId = v.incident as string | undefined;
  if ((fromFile === undefined) === (incidentId === undefined)) throw new UsageError('give --incident <id> (with --table) or --from <exported incident.json>');
  const timeZoneFlag = v['time-zone'] as string | undefined;
  if (timeZoneFlag !== undefined && !isTimeZone(timeZoneFlag)) throw new UsageError(`--time-zone "${timeZoneFlag}" is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  const now = (readNow(v.now as string | undefined) ?? new Date()).getTime();
  const cwd = process.cwd();
  const config = loadConfig(cwd, v.config as string | undefined);

  let source: IncidentSource;
  if (fromFile !== undefined) {
    let text: string;
    try {
      text = fromFile === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(cwd, fromFile), 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${fromFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    source = incidentFromExport(text, fromFile);
  } else {
    const table = v.table as string | undefined;
    if (!table) throw new UsageError('--incident needs --table <name>: the SlackNotifier\'s incident table (its stack lists it)');
    source = await incidentFromTable(table, incidentId!, v.region as string | undefined);
  }

  const { incident, postmortem } = source;
  const contract = parseAlarmContract(notificationOf(incident).alarmDescription);
  const baseUrl = (v['base-url'] as string | undefined) ?? config.runbookBaseUrl ?? baseUrlFromCdkJson(config.root);
  const { runbook, title: runbookTitle } = runbookOf(contract.runbookUrl, baseUrl, config.root);
  const timeZone = timeZoneFlag ?? postmortem?.timeZone ?? DEFAULT_POSTMORTEM_SETTINGS.timeZone;
  const dueAt = postmortem?.dueAt ?? (incident.resolvedAt !== undefined ? postmortemDeadlines(incident.resolvedAt, { ...DEFAULT_POSTMORTEM_SETTINGS, timeZone }).dueAt : undefined);
  const facts: PostmortemFacts = {
    incidentId: incident.incidentId,
    alarmName: incident.alarmName,
    severity: incident.severity ?? contract.severity,
    title: ((v.title as string | undefined) ?? runbookTitle ?? incident.alarmName).trim(),
    runbook,
    firstMove: contract.firstMove,
    firedAt: incident.firedAt,
    acknowledgedAt: incident.acknowledgedAt,
    acknowledgedBy: incident.acknowledgedBy,
    escalatedLevel: incident.escalatedLevel,
    escalatedAt: incident.escalatedAt,
    escalatedTo: postmortem?.escalatedTo?.split(/,\s*/).filter((n) => n !== ''),
    resolvedAt: incident.resolvedAt,
    mttaSeconds: incident.mttaSeconds,
    mttrSeconds: incident.mttrSeconds,
    reopened: incident.reopened,
    dueAt,
  };
  const text = renderPostmortemDraft(facts, { author: authorOf(v.author as string | undefined), timeZone }, now);
  const dir = path.resolve(cwd, (v.dir as string | undefined) ?? path.join(path.relative(cwd, config.root) || '.', 'postmortems'));
  const file = path.join(dir, draftFileName(facts, timeZone, now));
  const shown = path.relative(cwd, file) || file;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' }); // wx: never overwrite, even in a race
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`runbook-alarms postmortem new: ${shown} already exists; not overwritten (edit it, or pass --title for another name)\n`);
      return ExitCode.FINDINGS;
    }
    throw new InputError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  process.stdout.write(`created ${shown} (${facts.severity ?? 'no severity'}, incident ${facts.incidentId}, status Draft)\n` +
    `next: replace every <...> placeholder, then \`runbook-alarms lint ${shown}\`; open a pull request and link it in the incident's Slack thread\n`);
  return ExitCode.OK;
}

/** `3d overdue`, `due today`, `due in 2d`. */
function when(days: number | undefined): string {
  if (days === undefined) return 'no due date';
  if (days > 0) return `OVERDUE ${days}d`;
  return days === 0 ? 'due today' : `due in ${-days}d`;
}

function textReport(f: FollowThrough, root: string, today: string): string {
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/') || file;
  const lines: string[] = [`Follow-through on ${today}`, ''];
  lines.push(f.postmortems.length === 0 ? 'Postmortems: none pending (every one is Final).' : `Postmortems not Final (${f.postmortems.length}):`);
  for (const p of f.postmortems) {
    lines.push(`  ${when(p.overdueDays).padEnd(12)} ${rel(p.file)}  ${p.severity ?? '?'} ${p.status}${p.due ? `, due ${p.due}` : ''}${p.author ? `, author ${p.author}` : ''}`);
  }
  lines.push('');
  lines.push(f.actionItems.length === 0 ? 'Action items: none open.' : `Open action items (${f.actionItems.length}), overdue first:`);
  for (const i of f.actionItems) {
    const what = i.action.length > 70 ? `${i.action.slice(0, 69)}…` : i.action;
    lines.push(`  ${when(i.overdueDays).padEnd(12)} ${(i.owner ?? '(no owner)').padEnd(18)} ${(i.due ?? '-').padEnd(10)} ${(i.ticket ?? '-').padEnd(10)} ${what}  ${rel(i.file)}:${i.line}`);
  }
  if (f.owners.length > 0) {
    lines.push('', `By owner: ${f.owners.map((o) => `${o.owner} ${o.open}${o.overdue ? ` (${o.overdue} overdue)` : ''}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

async function postmortemStatus(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, STATUS_OPTIONS, postmortemStatusSpec.help);
  if (!parsed) return ExitCode.OK;
  const format = (parsed.values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const cwd = process.cwd();
  const config = loadConfig(cwd, parsed.values.config as string | undefined);
  const now = readNow(parsed.values.now as string | undefined) ?? new Date();
  const targets = parsed.positionals.length > 0 ? parsed.positionals.map((p) => path.resolve(cwd, p)) : [path.join(config.root, 'postmortems')];
  const files = [...new Set(targets.flatMap((t) => collectRunbooks(t, parsed.positionals.length > 0 ? '' : ' (the default; name the folder that holds your postmortems)')))];
  const docs = files.flatMap((file) => {
    let text: string;
    try {
      text = readRunbookText(file);
    } catch (e) {
      if (e instanceof RunbookTextError) return []; // `lint` reports it
      throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return isPostmortem(file, text) ? [parsePostmortem(text, file)] : [];
  });
  const today = now.toISOString().slice(0, 10);
  const report = followThrough(docs, Math.floor(now.getTime() / 86_400_000));
  if (format === 'json') {
    const rel = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || file;
    process.stdout.write(JSON.stringify({
      today,
      postmortems: report.postmortems.map((p) => ({ ...p, file: rel(p.file) })),
      actionItems: report.actionItems.map((i) => ({ ...i, file: rel(i.file) })),
      owners: report.owners,
    }, null, 2) + '\n');
  } else {
    process.stdout.write(textReport(report, cwd, today));
  }
  return ExitCode.OK;
}
