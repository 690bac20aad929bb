// `runbook-alarms preview <event.json>`: the Slack message a notification would produce, rendered
// by the same function the Lambda handler uses, to try messages before deploying.
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/package';
import { SeverityPolicy } from '../core/severity';
import { escalationsOf } from '../notification/escalation';
import { notificationsFromEvent } from '../notification/sns-message';
import { SeverityEscalation, SeverityMention, SlackBlock, SlackMessage, isSlackMention, renderSlackMessage } from '../notification/slack-message';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs } from './args';
import { previewSpec } from './commands';

const OPTIONS = {
  mention: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  example: { type: 'boolean' },
  policy: { type: 'string' },
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

/** The escalation lines of a policy file; its problems are input errors (exit 2), each with file:line:col. */
async function readEscalations(file: string | undefined): Promise<SeverityEscalation[]> {
  if (file === undefined) return [];
  // The policy reader (and YAML) is loaded only when a policy is given.
  const { EscalationPolicyError, readEscalationPolicy } = await import('../escalation/policy');
  try {
    return escalationsOf(readEscalationPolicy(file).routing);
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

/** Runs `runbook-alarms preview`; resolves to the exit code. */
export async function previewCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, previewSpec.help);
  if (!parsed) return ExitCode.OK;
  const example = parsed.values.example === true;
  if (example ? parsed.positionals.length !== 0 : parsed.positionals.length !== 1) {
    throw new UsageError(example ? '--example previews the shipped sample: give no event file with it' : 'give exactly one event file (or - for standard input), or --example');
  }
  const file = example ? sampleFile('alarm.json') : parsed.positionals[0];
  const mentions = readMentions(parsed.values.mention as string[] | undefined);
  const escalations = await readEscalations(parsed.values.policy as string | undefined);
  const messages = notificationsFromEvent(readEvent(file)).map((n) => renderSlackMessage(n, { mentions, escalations }));
  if (messages.length === 0) throw new InputError(`${file} holds no notification (an empty Records list?)`);
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
