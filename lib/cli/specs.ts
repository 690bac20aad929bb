// What each command of the runbook-alarms CLI does and takes: its summary and help text. The
// commands (commands.ts) and each command's module read them; this module loads nothing heavy.
import { SHIPPED_RUNBOOKS } from '../runbook/shipped';
import { CommandSpec } from './args';
import { CONFIG_FILE } from './config';

/** Where runbooks and postmortems are looked for when neither arguments nor the config name any (a missing one is skipped). */
export const DEFAULT_PATHS = ['runbooks/', 'postmortems/'];

export const lintSpec: CommandSpec = {
  summary: 'lint runbooks and postmortems; with --assembly, cross-check runbooks against the synthesized app',
  help: `Usage: runbook-alarms lint [paths...] [options]

Lints runbook and postmortem markdown files (directories are searched for *.md, README.md
excluded). A file in a postmortems/ folder, or naming an incident in its front matter, or titled
"# Postmortem…", is a postmortem; any other is a runbook.
Default paths: the config's "paths", else ${DEFAULT_PATHS.join(' ')} (those that exist).

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
  --now <YYYY-MM-DD>      the date freshness and due dates are judged on (default: today;
                          env RUNBOOK_ALARMS_NOW)
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

Renders the Slack message for a notification, as the SlackNotifier's function would post it:
a readable version, the JSON payload, and a Block Kit Builder link to see it as Slack shows it.
<event.json> is a Lambda SNS event ({"Records": [...]}), one SNS record, the CloudWatch alarm
message itself, a record from the notifier's failure queue, or a JSON array of any of these;
"-" reads standard input. Samples to start from ship in the package:
node_modules/cdk-runbook-alarms/samples/.

A sequence of notifications (several files, an array, or several records) is shown as the
Slack app mode posts it, in the order given: each incident's parent message as it ends (kept up
to date in place) and the replies in its thread, then one line per notification.

Options:
  --example                  preview the shipped sample (a SEV2 page going to ALARM: samples/alarm.json);
                             with --thread, that ALARM and then its OK (samples/ok.json) as one incident
  --policy <file>            add the escalation line of this escalation policy, as AlertRouting.fromFile does
  --mention <SEV>=<mention>  mention for a severity, e.g. SEV1='<!subteam^S0123ABCD>' (repeatable)
  --thread                   show even a single notification as the Slack app mode's parent
  --webhook                  show a sequence as separate messages, as the incoming-webhook mode posts them
  --postmortem-days <n>      business days after a SEV1/SEV2 resolution the postmortem is due (default 2)
  --time-zone <zone>         the team's time zone business days are counted in (IANA name; default UTC)
  --json                     print only the JSON payload(s)
  -h, --help                 show this help

Exit codes: 0 rendered, 2 usage or I/O error (missing file, not JSON).
`,
};

export const postmortemNewSpec: CommandSpec = {
  summary: 'write a postmortem draft pre-filled from an incident',
  help: `Usage: runbook-alarms postmortem new --incident <id> --table <name> [options]
       runbook-alarms postmortem new --from <incident.json> [options]

Writes postmortems/<date>-<title>.md in the SRE guide's template, pre-filled from the incident:
front matter (incident, severity, status Draft, author, runbook, date, due), the timeline (fired,
acknowledged by, escalated to, resolved) with MTTA and MTTR, the duration, the detection and an
action item to update the runbook. What only people know is left as <placeholders>: the file
fails \`runbook-alarms lint\` until it is written. Never overwrites.

The incident comes from the SlackNotifier's incident table, read with your AWS credentials (needs
@aws-sdk/client-dynamodb installed, dynamodb:GetItem and dynamodb:Scan on the table, kms:Decrypt on
its key), or from an export: the output of
  aws dynamodb get-item --table-name <table> --key '{"pk":{"S":"postmortem#<id>"}}' > incident.json
or the incident record as JSON ("-" reads standard input).

Options:
  --incident <id>       the incident's id (the Slack thread's "Start postmortem" shows the command)
  --table <name>        the incident table (the SlackNotifier's incidentTable)
  --region <region>     the table's region (default: your profile's, or AWS_REGION)
  --from <file>         an exported incident instead of the table
  --author <name>       the author (default: git config user.name, else the login name)
  --title <text>        the title (default: the runbook's title, else the alarm's name)
  --dir <dir>           where to write it (default: postmortems)
  --time-zone <zone>    the timeline's time zone, IANA (default: the postmortem's, else UTC)
  --base-url <url>      the URL runbook files are published under, to name the runbook by its path
                        (default: config runbook_base_url, else cdk.json's context)
  --config <file>       config file (default: ./.runbook-alarms.yaml when present)
  --now <YYYY-MM-DD>    today (default: today; env RUNBOOK_ALARMS_NOW)
  -h, --help            show this help

Exit codes: 0 written, 1 the file already exists (nothing written), 2 usage or I/O error.
`,
};

export const postmortemStatusSpec: CommandSpec = {
  summary: 'list postmortems due or overdue and open action items, overdue first',
  help: `Usage: runbook-alarms postmortem status [paths...] [--format text|json] [--now <YYYY-MM-DD>]

Lists what the follow-through still owes, for the weekly review and the on-call handoff:
postmortems not yet Final with their due dates (front matter \`due\`, else two business days
after \`date\`), and every action item not done, by owner and due date, overdue first, with
the count per owner. Default path: postmortems/. \`runbook-alarms lint\` is the gate: an open
action item past its due date fails it.

Options:
  --format <fmt>        text (default) or json
  --config <file>       config file (default: ./.runbook-alarms.yaml when present)
  --now <YYYY-MM-DD>    today (default: today; env RUNBOOK_ALARMS_NOW)
  -h, --help            show this help

Exit codes: 0 listed, 2 usage or I/O error.
`,
};

export const postmortemSpec: CommandSpec = {
  summary: 'postmortems: new (a draft from an incident), status (what is due and overdue)',
  help: `Usage: runbook-alarms postmortem <new|status> [options]

  new       ${postmortemNewSpec.summary}
  status    ${postmortemStatusSpec.summary}

Run \`runbook-alarms postmortem <new|status> --help\` for the options of each.
`,
};
