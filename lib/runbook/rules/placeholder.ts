// Runbook-Placeholder: no TODO, TBD, FIXME or <fill me in> left for the person paged at 2 a.m.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { findPlaceholders } from '../placeholders';
import { RunbookRule, finding } from './rule';

export const placeholderRule: RunbookRule = {
  id: 'Runbook-Placeholder',
  level: FindingLevel.ERROR,
  description: 'no placeholder (TODO, TBD, FIXME, <...>) is left in the runbook body',
  help: 'TODO, TBD, FIXME or `<...>` left in a runbook means the person paged at 2 a.m. finds nothing to do. Replace each with the real command, dashboard or channel.',
  check(doc) {
    const findings: RunbookFinding[] = [];
    for (const l of doc.lines) {
      if (l.line < doc.bodyStartLine) continue;
      for (const p of findPlaceholders(l.text)) {
        findings.push(finding(this, doc, l.line, p.column, `placeholder ${p.text} is left in the runbook`,
          'replace it with the real value or step (exact command, dashboard, channel)'));
      }
    }
    return findings;
  },
};
