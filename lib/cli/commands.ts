// The commands of the runbook-alarms CLI: what each is called, does and takes (its help), and
// how to run it. A command's module, and what it needs (the runbook parser, YAML, the Slack
// renderer...), is loaded only when that command runs: `--help` and `--version` load none.
import { SHIPPED_RUNBOOKS } from '../runbook/shipped';
import { CommandSpec } from './args';
import { CONFIG_FILE } from './config';

/** Where runbooks are looked for when neither arguments nor the config name any. */
export const DEFAULT_PATHS = ['runbooks/'];

export const lintSpec: CommandSpec = {
  summary: 'lint runbooks; with --assembly, cross-check them against the synthesized app',
  help: `Usage: runbook-alarms lint [paths...] [options]

Lints runbook markdown files (directories are searched for *.md, README.md excluded).
Default paths: the config's "paths", else ${DEFAULT_PATHS.join(' ')}.

Options:
  --assembly <dir>        also cross-check the cloud assembly (cdk.out) against the runbooks
  --base-url <url>        the URL runbook files are published under (default: config
                          runbook_base_url, else cdk.json context cdk-runbook-alarms:runbookBaseUrl)
  --config <file>         config file (default: ./${CONFIG_FILE} when present)
  --owner <team>          allowed owner (repeatable; default: config owners, else any)
  --max-age <SEV=days>    review limit for a severity, e.g. --max-age SEV1=30 (repeatable)
  --no-links              do not check that relative links resolve
  --strict                warnings fail the run too (exit 1)
  --format <fmt>          text (default), json or sarif
  --output <file>         write the report to a file instead of stdout
  --now <YYYY-MM-DD>      the date freshness is judged on (default: today; env RUNBOOK_ALARMS_NOW)
  -h, --help              show this help

Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors found, 2 usage or I/O error.
`,
};

export const newSpec: CommandSpec = {
  summary: 'write a new runbook from the template into runbooks/',
  help: `Usage: runbook-alarms new <name> --severity <SEV1..SEV4> --owner <team> [options]
       runbook-alarms new --from <shipped runbook> [--owner <team>] [options]

Writes runbooks/<name>.md in the runbook template, with <...> placeholders in every section.
The file fails \`runbook-alarms lint\` until the placeholders are replaced. Never overwrites.

With --from, writes a complete runbook this package ships instead, dated today, for the alarms
its constructs create: slack-notifier-failures (the SlackNotifier's failure alarm links
runbooks/slack-notifier-failures.md under your base URL). Review it, then commit it.

Options:
  --from <name>        a shipped runbook: ${SHIPPED_RUNBOOKS.join(', ')}
  --severity <SEV>     SEV1, SEV2, SEV3 or SEV4 (required without --from)
  --owner <team>       the team that keeps the procedure true (required without --from)
  --title <text>       the title (default: from the name, "db-failover" -> "Db failover")
  --dir <dir>          where to write it (default: runbooks)
  --now <YYYY-MM-DD>   the last_updated date (default: today; env RUNBOOK_ALARMS_NOW)
  -h, --help           show this help

Exit codes: 0 written, 1 the file already exists (nothing written), 2 usage or I/O error.
`,
};

export const previewSpec: CommandSpec = {
  summary: 'print the Slack message a CloudWatch alarm notification would produce',
  help: `Usage: runbook-alarms preview <event.json>... [options]
       runbook-alarms preview --example [options]
       runbook-alarms preview --assembly <cdk.out> <alarm> [--json]

Renders the Slack message for a notification, as the SlackNotifier's function would post it:
a readable version, the JSON payload, and a Block Kit Builder link to see it as Slack shows it.
<event.json> is a Lambda SNS event ({"Records": [...]}), one SNS record, the CloudWatch alarm
message itself, a record from the notifier's failure queue, or a JSON array of any of these;
"-" reads standard input. Samples to start from ship in the package:
node_modules/cdk-runbook-alarms/samples/.

A sequence of notifications (several files, an array, or several records) is shown as the
Slack app mode posts it, in the order given: each incident's parent message as it ends (kept up
to date in place) and the replies in its thread, then one line per notification.

With --assembly, the alarm (its AlarmName, construct path or logical id) is read from the
synthesized app: its ALARM and OK messages, as the SlackNotifier deployed with it posts them
(webhook or Slack app mode, mentions, the escalation line, the Acknowledge button).

Options:
  --assembly <dir>           preview an alarm of this cloud assembly (cdk.out), as deployed
  --example                  preview the shipped sample (a SEV2 page going to ALARM: samples/alarm.json);
                             with --thread, that ALARM and then its OK (samples/ok.json) as one incident
  --policy <file>            add the escalation line of this escalation policy, as AlertRouting.fromFile does
  --mention <SEV>=<mention>  mention for a severity, e.g. SEV1='<!subteam^S0123ABCD>' (repeatable)
  --thread                   show even a single notification as the Slack app mode's parent
  --webhook                  show a sequence as separate messages, as the incoming-webhook mode posts them
  --postmortem-hours <n>     hours after a SEV1/SEV2 resolution the postmortem is due (default 48)
  --json                     print only the JSON payload(s)
  -h, --help                 show this help

Exit codes: 0 rendered, 2 usage or I/O error (missing file, not JSON).
`,
};

/** One command of the CLI. */
export interface CliCommand extends CommandSpec {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Every command, by name. Adding a command is one entry here. */
export const COMMANDS: Record<string, CliCommand> = {
  lint: { ...lintSpec, run: async (args) => (await import('./lint')).lintCommand(args) },
  new: { ...newSpec, run: async (args) => (await import('./new')).newCommand(args) },
  preview: { ...previewSpec, run: async (args) => (await import('./preview')).previewCommand(args) },
};
