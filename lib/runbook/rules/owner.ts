// Runbook-Owner: someone owns the runbook (and, with an allow-list, a team that exists).
import { FindingLevel } from '../../core/finding';
import { RunbookRule, finding } from './rule';

export const ownerRule: RunbookRule = {
  id: 'Runbook-Owner',
  level: FindingLevel.ERROR,
  description: '`owner` is set in the front matter (and is one of the allowed owners when a list is configured)',
  help: 'Someone must keep the procedure true. Add `owner: <team>` to the front matter; with an `owners` allow-list configured, use one of the listed teams.',
  check(doc, settings) {
    if (!doc.hasFrontMatter || doc.frontMatterErrors.length > 0) return []; // Runbook-FrontMatter reports it
    const line = doc.frontMatterLines.owner ?? 1;
    if (doc.owner === undefined) {
      return [finding(this, doc, line, 1, 'the runbook names no owner',
        'add `owner: <team>` to the front matter: the team that keeps this procedure true')];
    }
    if (settings.owners && settings.owners.length > 0 && !settings.owners.includes(doc.owner)) {
      return [finding(this, doc, line, 1, `owner "${doc.owner}" is not one of the allowed owners`,
        `use one of: ${settings.owners.join(', ')} (or add the team to the owners list)`)];
    }
    return [];
  },
};
