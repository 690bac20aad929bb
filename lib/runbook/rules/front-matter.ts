// Runbook-FrontMatter: the file starts with a YAML front matter block that parses.
import { FindingLevel } from '../../core/finding';
import { RunbookRule, finding } from './rule';

export const frontMatterRule: RunbookRule = {
  id: 'Runbook-FrontMatter',
  level: FindingLevel.ERROR,
  description: 'the file starts with a --- YAML front matter block that parses',
  help: 'The front matter (title, owner, last_updated, severity between --- lines) is what the CLI, Runbook.fromFile and the alarm contract read. Fix the YAML at the reported line and column: one `key: value` per line, quote values that contain a colon.',
  check(doc) {
    if (!doc.hasFrontMatter && doc.frontMatterErrors.length === 0) {
      return [
        finding(this, doc, 1, 1, 'the runbook has no front matter',
          'start the file with ---, then title, owner, last_updated (YYYY-MM-DD) and severity lines, then ---'),
      ];
    }
    return doc.frontMatterErrors.map((e) =>
      finding(this, doc, e.line, e.column, `front matter is not valid YAML: ${e.message}`,
        'fix the YAML at this position (one `key: value` per line; quote values that contain a colon)'),
    );
  },
};
