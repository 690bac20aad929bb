// Runbook-Owner: someone owns the runbook (and, with an allow-list, a team that exists).
import { FindingLevel } from '../finding';
import { RunbookRule, finding } from './rule';

export const ownerRule: RunbookRule = {
  id: 'Runbook-Owner',
  level: FindingLevel.ERROR,
  description: '`owner` is set in the front matter (and is one of the allowed owners when a list is configured)',
  check(doc, options) {
    if (!doc.hasFrontMatter) return [];
    const line = doc.frontMatterLines.owner ?? 1;
    if (doc.owner === undefined) {
      return [finding(this, doc, line, 1, 'the runbook names no owner',
        'add `owner: <team>` to the front matter: the team that keeps this procedure true')];
    }
    if (options.owners && options.owners.length > 0 && !options.owners.includes(doc.owner)) {
      return [finding(this, doc, line, 1, `owner "${doc.owner}" is not one of the allowed owners`,
        `use one of: ${options.owners.join(', ')} (or add the team to the owners list)`)];
    }
    return [];
  },
};
