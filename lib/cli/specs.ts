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
  --policy <file>            add the escalation line of this escalation policy, as the SlackNotifier does:
                             its levels (escalate_after, then) in the app mode's thread only, since only
                             Slack app mode with escalation escalates (a webhook message never says it)
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

export const oncallSpec: CommandSpec = {
  summary: 'print who is on call for each contact of an escalation policy, now and for the next shifts',
  help: `Usage: runbook-alarms oncall [--policy <file>] [--at <time>] [--shifts <n>] [--format text|json]

Prints who is on call for each contact of an escalation policy: a rotation's member on call at
--at and the shifts after it, swaps (overrides) in their place, resolved by the code the
SlackNotifier's functions page with; a contact that is not a rotation as it is. Check a policy
before merging it. A policy with problems prints every one, each with file:line:col.

Options:
  --policy <file>   the escalation policy (default: escalation-policy.yaml)
  --at <time>       the moment: 2026-03-30T09:00+02:00 or 2026-03-30T07:00Z; without an offset,
                    read in each rotation's own time zone (default: now; env RUNBOOK_ALARMS_NOW)
  --shifts <n>      shifts per rotation, the one on at --at first (default 4)
  --format <fmt>    text (default) or json: one object per contact and shift,
                    {contact, from, to, slack, sns, override} (from/to null for a fixed contact)
  -h, --help        show this help

Exit codes: 0 printed, 2 usage error, or a policy that cannot be read or used.
`,
};

export const budgetSpec: CommandSpec = {
  summary: "print each SLO's error budget left and burn rate, from CloudWatch; exit 1 when one is spent",
  help: `Usage: runbook-alarms budget [options]

Prints what is left of the error budget of each ServiceLevelObjective of the synthesized app, and
how fast it burns, from CloudWatch (DescribeAlarms and GetMetricData, with your AWS credentials:
cloudwatch:DescribeAlarms and cloudwatch:GetMetricData). The SLOs are found in the cloud assembly;
their metrics are read from their deployed alarms. A step for a deploy pipeline: it fails when a
budget is spent, so feature releases stop until reliability is fixed (the error-budget policy).
Needs @aws-sdk/client-cloudwatch installed next to this package.

Options:
  --assembly <dir>        the cloud assembly (default: cdk.out)
  --slo <name>            only this SLO (repeatable; default: all)
  --region <region>       the region of the alarms (default: the stack's, else the AWS SDK's)
  --min-remaining <pct>   fail when less than this share of a budget is left (default: 0, spent)
  --at <ISO time>         judge the period ending then, e.g. 2026-12-01T09:00:00Z (default: now)
  --format <fmt>          text (default) or json
  -h, --help              show this help

Exit codes: 0 every budget has some left, 1 a budget is spent (or below --min-remaining),
2 usage error, unreadable assembly or a CloudWatch call that failed.
`,
};

export const reportSpec: CommandSpec = {
  summary: 'on-call health in numbers: pages per shift, MTTA/MTTR/MTTD, noisy alarms, with pictures',
  help: `Usage: runbook-alarms report --table <name> [options]
       runbook-alarms report --input <export file>... [options]

The on-call numbers of a period, from the SlackNotifier's incident table (Slack app mode; it keeps
incidents 90 days), read with your AWS credentials (dynamodb:Scan on the table, and kms:Decrypt
through DynamoDB on its key), or from an export of it: pages per 12-hour shift against the
limit, pages in sleep hours (22:00-08:00) and off hours, per person on call; MTTA, MTTR and MTTD
per severity (median and p90) against the response targets; the noisiest alarms with their
runbooks (flaps, re-alerts, alarms firing every day, pages nobody acknowledged); escalations,
postmortems due or overdue, and what is still open.

Options:
  --table <name>        the incident table (reading it needs @aws-sdk/client-dynamodb installed)
  --region <region>     its region (default: AWS_REGION / your profile's)
  --input <file>        an export instead (repeatable): a DynamoDB export to S3 (JSON lines, .gz
                        too), \`aws dynamodb scan\` output, or a JSON array of incident records
  --since <when>        start of the period: 30d, 12h, 2w or a date/ISO time (default 30d)
  --until <when>        end of the period (default: now)
  --shifts <file>       who was on call: \`runbook-alarms oncall --format json\` output, or
                        [{"from", "to", "who"}]; without it the period is cut at 08:00 and 20:00
  --contact <name>      the rotation contact whose shifts count (when the file has several)
  --time-zone <tz>      the rotation's IANA time zone: shifts, sleep and business hours (default UTC)
  --limit <n>           pages one person can take in a 12-hour shift (default 2)
  --format <fmt>        text (default) or json
  --svg <dir>           also write pages-per-shift.svg, mtta.svg and mttr.svg into <dir>
  --png                 with --svg, PNGs beside them (needs @resvg/resvg-js installed)
  --output <file>       write the report to a file instead of stdout
  --now <time>          what "now" is (default: the clock; env RUNBOOK_ALARMS_NOW)
  -h, --help            show this help

Exit codes: 0 report written, 2 usage error, unreadable input or the table could not be read.
`,
};
