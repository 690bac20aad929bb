// Runbook-FrontMatter: the file starts with a YAML front matter block that parses.
import { FindingLevel } from '../../core/finding';
import { FRONT_MATTER_KEYS, RunbookRule, finding } from './rule';

/** A value as a YAML front matter line holds it: plain when it reads back as the same string, else quoted. */
function yamlValue(value: string): string {
  return /^[A-Za-z0-9][\w .,()/-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

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
      // The SRE guide's template: `Last updated: … / Owner: …` under the title instead of front matter.
      const header = doc.headerLine;
      const keys = FRONT_MATTER_KEYS as readonly string[];
      const moved = header?.fields.filter((f) => keys.includes(f.key));
      if (header && moved && moved.length > 0) {
        const entries = [
          ...(doc.title ? [`title: ${yamlValue(doc.title)}`] : []),
          ...[...moved].sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key)).map((f) => `${f.key}: ${yamlValue(f.value)}`),
        ];
        const names = moved.map((f) => f.written).join(' and ');
        return [finding(this, doc, header.line, 1, `the runbook has no front matter; its header line gives ${names}, which the rules read from front matter`,
          `put these lines at the top of the file: ---, ${entries.join(', ')}, --- (one per line${moved.some((f) => f.key === 'severity') ? '' : '; add severity: SEV1..SEV4'}), then keep line ${header.line} only if it says the same`)];
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
