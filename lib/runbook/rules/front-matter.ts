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
      const fix = 'start the file with ---, then title, owner, last_updated (YYYY-MM-DD) and severity lines, then ---';
      // Say what was found instead: TOML front matter, or a YAML block that does not start on line 1.
      const first = doc.lines.find((l) => l.text.trim() !== '');
      if (first && /^\+\+\+[ \t]*$/.test(first.text)) {
        return [finding(this, doc, first.line, 1, 'the front matter is TOML (+++); runbooks use YAML front matter',
          'replace the +++ lines with --- and write each entry as `key: value` (YAML)')];
      }
      if (first && first.line > 1 && first.text.trim() === '---') {
        return [finding(this, doc, first.line, 1, `the front matter starts on line ${first.line}; it is front matter only on line 1`,
          `remove the ${first.line - 1 === 1 ? 'line' : `${first.line - 1} lines`} above the opening ---`)];
      }
      if (first && first.line === 1 && first.text.trim() === '---') {
        return [finding(this, doc, 1, 1, 'the opening --- of the front matter is indented or followed by text',
          'write the opening --- alone at the start of line 1')];
      }
      return [finding(this, doc, 1, 1, 'the runbook has no front matter', fix)];
    }
    return doc.frontMatterErrors.map((e) =>
      finding(this, doc, e.line, e.column, `front matter is not valid YAML: ${e.message}`,
        'fix the YAML at this position (one `key: value` per line; quote values that contain a colon)'),
    );
  },
};
