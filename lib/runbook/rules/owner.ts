// Runbook-Owner: someone owns the runbook (and, with an allow-list, a team that exists).
import { FindingLevel } from '../../core/finding';
import { RunbookRule, finding, misspelledKey } from './rule';

export const ownerRule: RunbookRule = {
  id: 'Runbook-Owner',
  level: FindingLevel.ERROR,
  description: '`owner` is set in the front matter (and is one of the allowed owners when a list is configured)',
  help: 'Someone must keep the procedure true. Add `owner: <team>` to the front matter; with an `owners` allow-list configured, use one of the listed teams.',
  check(doc, settings) {
    if (!doc.hasFrontMatter || doc.frontMatterErrors.length > 0) return []; // Runbook-FrontMatter reports it
    const line = doc.frontMatterLines.owner ?? 1;
    if (doc.owner === undefined) {
      const raw = doc.frontMatter.owner;
      if (raw !== undefined && raw !== null && (typeof raw !== 'string' || raw.trim() !== '')) {
        const shape = Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'a mapping' : `the ${typeof raw} ${String(raw)}`;
        return [finding(this, doc, line, 1, `owner is ${shape}, not a team name`,
          'write one team as `owner: <team>` (the team that keeps this procedure true; others can be named in the body)')];
      }
      const near = misspelledKey(doc, 'owner');
      if (near) {
        return [finding(this, doc, near.line, 1, `the runbook names no owner ("${near.key}" is not a key the rules read; did you mean owner?)`,
          `rename "${near.key}" to "owner"`)];
      }
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
