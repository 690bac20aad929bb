// The runbooks this package ships for the alarms its own constructs create (the SlackNotifier's
// failure alarm). A page must link a runbook that opens for every user, so it links the user's own
// copy (their base URL + runbooks/<name>.md), which `runbook-alarms new --from <name>` writes.
import * as path from 'path';
import { packageRoot } from '../core/package';

/** The names `runbook-alarms new --from` accepts. */
export const SHIPPED_RUNBOOKS: readonly string[] = ['slack-notifier-failures'];

/** Where the SlackNotifier's failure alarm expects its runbook, relative to the project root. */
export const NOTIFIER_FAILURE_RUNBOOK = 'runbooks/slack-notifier-failures.md';

/** The shipped text of a runbook, by name (one of SHIPPED_RUNBOOKS). */
export function shippedRunbookFile(name: string): string {
  return path.join(packageRoot(), 'runbooks', `${name}.md`);
}

/**
 * For a runbook file that does not exist: the command that writes the shipped runbook of that
 * name, when the package ships one (`runbook-alarms new --from slack-notifier-failures`).
 */
export function shippedRunbookCommand(file: string): string | undefined {
  const name = path.basename(file).replace(/\.md$/i, '');
  if (!SHIPPED_RUNBOOKS.includes(name)) return undefined;
  const dir = path.dirname(file.split(path.sep).join('/'));
  return `npx runbook-alarms new --from ${name}${dir === 'runbooks' || dir === '.' ? '' : ` --dir ${dir}`}`;
}
