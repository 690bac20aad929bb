// `runbook-alarms preview <event.json>...`: the Slack message a notification would produce, rendered
// by the same function the Lambda handler uses, to try messages before deploying; for a sequence,
// what the Slack app mode makes of it (./preview-thread).
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_POSTMORTEM_SETTINGS, PostmortemSettings, postmortemSettings, postmortemSettingsProblems } from '../core/postmortem';
import { packageRoot } from '../core/package';
import { SeverityPolicy } from '../core/severity';
import { escalationsOf } from '../notification/escalation';
import { notificationsFromEvent } from '../notification/sns-message';
import { SeverityEscalation, SeverityMention, SlackBlock, SlackMessage, isSlackMention, renderSlackMessage } from '../notification/slack-message';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { previewSpec } from './specs';
import { PreviewMessage, ThreadPreview, previewThreads } from './preview-thread';

const OPTIONS = {
  mention: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  example: { type: 'boolean' },
  policy: { type: 'string' },
  thread: { type: 'boolean' },
  webhook: { type: 'boolean' },
  'postmortem-days': { type: 'string' },
  'time-zone': { type: 'string' },
  assembly: { type: 'string' },
} satisfies Record<string, OptionConfig>;

const BLOCK_KIT_BUILDER = 'https://app.slack.com/block-kit-builder/#';

/** A link that opens the blocks in Slack's Block Kit Builder. */
export function blockKitBuilderUrl(message: SlackMessage): string {
  return BLOCK_KIT_BUILDER + encodeURIComponent(JSON.stringify({ blocks: message.blocks }));
}

// Slack dates show as their fallback text; entities and zero-width spaces as what they stand for.
const unescape = (s: string) => s.replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\u200b/g, '');

function blockAsText(b: SlackBlock): string[] {
  switch (b.type) {
    case 'header':
      return [`# ${b.text!.text}`];
    case 'divider':
      return ['────────'];
    case 'actions':
      return (b.elements ?? []).map((e) => `[${e.text.text}] ${e.url ?? ''}`);
    default: {
      const lines: string[] = [];
      if (b.text) lines.push(unescape(b.text.text));
      if (b.fields) lines.push(b.fields.map((f) => unescape(f.text).replace('\n', ': ')).join(' | '));
      return lines;
    }
  }
}

/** The message as plain text for a terminal. */
export function messageAsText(message: SlackMessage): string {
  return [`text: ${unescape(message.text)}`, '', ...message.blocks.flatMap(blockAsText)].join('\n');
}

function readMentions(raw: string[] | undefined): SeverityMention[] {
  return (raw ?? []).map((entry) => {
    const m = /^([^=]+)=(.+)$/.exec(entry);
    const severity = m ? SeverityPolicy.parse(m[1]) : undefined;
    if (!m || !severity) throw new UsageError(`--mention "${entry}" is not SEV<n>=<mention>`);
    if (!isSlackMention(m[2])) throw new UsageError(`--mention "${entry}": use <!subteam^ID>, <@USERID>, <!here> or <!channel>`);
    return { severity, mention: m[2] };
  });
}

/** The shipped samples (samples/ in the package), for `--example` and as files to start from. */
export function sampleFile(name: string): string {
  return path.join(packageRoot(), 'samples', name);
}

/**
 * The escalation lines of a policy file, as the notifier of the preview's mode shows them: the
 * Slack app mode's thread (with escalation) says the levels; a webhook message never does (a
 * webhook-mode SlackNotifier refuses escalate_after and then at synth), and the preview says why.
 * Its problems are input errors (exit 2), each with file:line:col.
 */
async function readEscalations(file: string | undefined, appMode: boolean): Promise<SeverityEscalation[]> {
  if (file === undefined) return [];
  // The policy reader (and YAML) is loaded only when a policy is given.
  const { EscalationPolicyError, readEscalationPolicy } = await import('../policy/policy');
  try {
    const policy = readEscalationPolicy(file);
    const escalating = policy.routing.filter((r) => r.escalateTo?.length || r.then);
    if (!appMode && escalating.length > 0) {
      process.stderr.write(`note: ${file} escalates ${escalating.map((r) => r.severity).join(', ')} (escalate_after, then): only a SlackNotifier in Slack app mode ` +
        'with escalation does that (a webhook-mode one refuses the policy at synth), so this webhook message does not say it; --thread shows the app mode\'s thread.\n');
    }
    return escalationsOf(policy.routing, appMode);
  } catch (e) {
    if (e instanceof EscalationPolicyError) throw new InputError(`--policy ${file} cannot be used:\n${e.message}`);
    throw new InputError(`cannot read --policy ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function readEvent(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not JSON (${(e as Error).message}); pass a Lambda SNS event or a CloudWatch alarm message`);
  }
}

/** The postmortem settings of `--postmortem-days` and `--time-zone` (the guide's defaults otherwise). */
function readPostmortem(days: string | undefined, timeZone: string | undefined): PostmortemSettings | undefined {
  if (days === undefined && timeZone === undefined) return undefined;
  const given = { ...(days !== undefined ? { dueBusinessDays: Number(days) } : {}), ...(timeZone !== undefined ? { timeZone } : {}) };
  const settings = postmortemSettings({ ...given, limitBusinessDays: Math.max(DEFAULT_POSTMORTEM_SETTINGS.limitBusinessDays, given.dueBusinessDays ?? 0) });
  const problems = postmortemSettingsProblems(settings).map((p) => p.replace(/^due /, '--postmortem-days ').replace(/^time_zone /, '--time-zone '));
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return settings;
}

function threadView(preview: ThreadPreview, json: boolean): string[] {
  const last = (m: PreviewMessage) => m.versions[m.versions.length - 1];
  if (json) {
    return [JSON.stringify({
      threads: preview.threads.map((t) => ({ alarmName: t.alarmName, parent: last(t.parent), replies: t.replies.map(last) })),
      messages: preview.standalone.map(last),
    }, null, 2)];
  }
  const out: string[] = [];
  for (const t of preview.threads) {
    const updates = t.parent.versions.length - 1;
    out.push(`=== Incident thread: ${t.alarmName} ===`, '',
      `Parent (posted by notification ${t.parent.from}${updates ? `, updated in place ${updates} time${updates > 1 ? 's' : ''}` : ''}), as it ends:`,
      messageAsText(last(t.parent) as SlackMessage), '');
    if (t.replies.length === 0) out.push('Thread: no replies', '');
    t.replies.forEach((r, i) => out.push(`── reply ${i + 1} (notification ${r.from}) ──`, messageAsText({ blocks: [], ...last(r) } as SlackMessage), ''));
    out.push(`Block Kit Builder (parent): ${blockKitBuilderUrl(last(t.parent) as SlackMessage)}`, '');
  }
  for (const m of preview.standalone) out.push(`=== Message outside any incident (notification ${m.from}) ===`, messageAsText({ blocks: [], ...last(m) } as SlackMessage), '');
  out.push('Notifications, in the order given:', ...preview.steps.map((s) => `  ${s}`));
  return out;
}

/** `preview --assembly cdk.out <alarm>`: the ALARM and OK messages of an alarm of the synthesized app, as its notifier deployed would post them. */
async function previewAssembly(dir: string, positionals: string[], values: Record<string, unknown>): Promise<number> {
  for (const flag of ['example', 'policy', 'thread', 'webhook', 'postmortem-days', 'time-zone', 'mention'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not go with --assembly: the alarm is previewed as the app deploys it (its notifier's mode, mentions, escalation)`);
  }
  const { AssemblyReadError, readCloudAssembly } = await import('../assembly/reader');
  let assembly;
  try {
    assembly = readCloudAssembly(dir);
  } catch (e) {
    if (e instanceof AssemblyReadError) throw new InputError(e.message);
    throw e;
  }
  const { findAssemblyAlarm, previewAssemblyAlarm } = await import('./preview-assembly');
  if (positionals.length !== 1) {
    const names = assembly.alarms.map((a) => (typeof a.properties.AlarmName === 'string' ? a.properties.AlarmName : a.constructPath?.replace(/\/Resource$/, '') ?? a.logicalId));
    throw new UsageError(`--assembly previews one alarm: give its AlarmName, construct path or logical id${names.length ? `, e.g. one of: ${names.slice(0, 10).join(', ')}` : ` (${dir} holds no alarm)`}`);
  }
  const preview = previewAssemblyAlarm(assembly, findAssemblyAlarm(assembly, positionals[0]), readNow(undefined) ?? new Date());
  const n = preview.notifier;
  const sections: Array<{ state: string; as: string; message: SlackMessage }> = [];
  if (n?.appMode) {
    const { previewThreads } = await import('./preview-thread');
    const run = await previewThreads([preview.alarmNotification, preview.okNotification], { ...n.options, postmortem: n.postmortem }, n.plan);
    const [thread] = run.threads;
    if (!thread) throw new Error(`the preview opened no incident for ${preview.name}: ${run.steps.join('; ')}`);
    const versions = thread.parent.versions as SlackMessage[];
    sections.push({ state: 'ALARM', as: 'the incident\'s parent message, as posted', message: versions[0] });
    sections.push({ state: 'OK', as: 'the parent, updated in place', message: versions[versions.length - 1] });
    for (const r of thread.replies) sections.push({ state: 'OK', as: 'the reply in its thread', message: { blocks: [], ...r.versions[r.versions.length - 1] } as SlackMessage });
  } else {
    sections.push({ state: 'ALARM', as: 'the message', message: renderSlackMessage(preview.alarmNotification, n?.options ?? {}) });
    sections.push({ state: 'OK', as: 'the message', message: renderSlackMessage(preview.okNotification, n?.options ?? {}) });
  }
  const a = preview.alarm;
  const where = a.constructPath?.replace(/\/Resource$/, '') ?? `${a.template.stack}#${a.logicalId}`;
  const mode = !n ? 'no SlackNotifier in the assembly'
    : n.appMode ? `Slack app mode (one thread per incident)${n.plan ? `, acknowledgement and escalation on for ${Object.keys(n.plan.severities).join(', ')}` : ''}`
      : 'incoming webhook';
  if (values.json) {
    process.stdout.write(JSON.stringify({
      alarm: { name: preview.name, path: where, stack: a.template.stack, logicalId: a.logicalId },
      notifier: n ? { path: n.path, mode: n.appMode ? 'app' : 'webhook', escalation: n.plan !== undefined } : null,
      notes: preview.notes,
      messages: sections.map((x) => ({ state: x.state, as: x.as, message: x.message })),
    }, null, 2) + '\n');
    return ExitCode.OK;
  }
  const out = [`Alarm ${preview.name} (${where}) of ${assembly.directory}`, `Posted by: ${n ? `${n.path}, ${mode}` : mode}`];
  for (const note of preview.notes) out.push(`Note: ${note}`);
  for (const x of sections) out.push('', `=== ${x.state}: ${x.as} ===`, messageAsText(x.message));
  out.push('', `Block Kit Builder (ALARM): ${blockKitBuilderUrl(sections[0].message)}`);
  process.stdout.write(out.join('\n') + '\n');
  return ExitCode.OK;
}

/** Runs `runbook-alarms preview`; resolves to the exit code. */
export async function previewCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, previewSpec.help);
  if (!parsed) return ExitCode.OK;
  if (parsed.values.assembly !== undefined) return previewAssembly(parsed.values.assembly as string, parsed.positionals, parsed.values);
  const example = parsed.values.example === true;
  if (example ? parsed.positionals.length !== 0 : parsed.positionals.length === 0) {
    throw new UsageError(example ? '--example previews the shipped sample: give no event file with it' : 'give at least one event file (or - for standard input), or --example');
  }
  if (parsed.values.thread && parsed.values.webhook) throw new UsageError('--thread and --webhook exclude each other');
  // With --thread, the shipped ALARM and then its OK: one incident's thread.
  const files = example ? (parsed.values.thread ? [sampleFile('alarm.json'), sampleFile('ok.json')] : [sampleFile('alarm.json')]) : parsed.positionals;
  const mentions = readMentions(parsed.values.mention as string[] | undefined);
  const postmortem = readPostmortem(parsed.values['postmortem-days'] as string | undefined, parsed.values['time-zone'] as string | undefined);
  const notifications = files.flatMap((file) => {
    const event = readEvent(file);
    return (Array.isArray(event) ? event : [event]).flatMap((e) => notificationsFromEvent(e));
  });
  if (notifications.length === 0) throw new InputError(`${files.join(', ')} hold${files.length > 1 ? '' : 's'} no notification (an empty Records list or array?)`);
  const appMode = !!parsed.values.thread || (notifications.length > 1 && !parsed.values.webhook);
  const escalations = await readEscalations(parsed.values.policy as string | undefined, appMode);
  if (appMode) {
    const preview = await previewThreads(notifications, { mentions, escalations, postmortem });
    process.stdout.write(threadView(preview, !!parsed.values.json).join('\n') + '\n');
    return ExitCode.OK;
  }
  const messages = notifications.map((n) => renderSlackMessage(n, { mentions, escalations }));
  const out: string[] = [];
  messages.forEach((m, i) => {
    if (parsed.values.json) {
      out.push(JSON.stringify(m, null, 2));
      return;
    }
    if (messages.length > 1) out.push(`=== notification ${i + 1} of ${messages.length} ===`);
    out.push(messageAsText(m), '', 'Payload:', JSON.stringify(m, null, 2), '', `Block Kit Builder: ${blockKitBuilderUrl(m)}`, '');
  });
  process.stdout.write(out.join('\n') + '\n');
  return ExitCode.OK;
}
