// Runbook-Severity: a severity in the front matter, when given, is one of SEV1-SEV4.
import { FindingLevel } from '../../core/finding';
import { SeverityPolicy } from '../../core/severity';
import { RunbookRule, finding, misspelledKey } from './rule';

export const severityRule: RunbookRule = {
  id: 'Runbook-Severity',
  level: FindingLevel.ERROR,
  description: '`severity`, when present, is one of SEV1, SEV2, SEV3, SEV4',
  help: "The runbook's severity is cross-checked against its alarms'. Use SEV1 (outage), SEV2 (major degradation), SEV3 (limited impact) or SEV4 (no user impact).",
  check(doc) {
    const raw = doc.frontMatter.severity;
    if (raw === undefined) {
      // Optional, so a misspelled key would silently turn off the cross-check with the alarms.
      // Only a key holding a severity: `security: high` is the author's own key, not a typo.
      const candidate = doc.hasFrontMatter && doc.frontMatterErrors.length === 0 ? misspelledKey(doc, 'severity') : undefined;
      const near = candidate && SeverityPolicy.parse(String(doc.frontMatter[candidate.key] ?? '')) ? candidate : undefined;
      return near ? [finding(this, doc, near.line, 1, `"${near.key}" is not a key the rules read; did you mean severity?`, `rename "${near.key}" to "severity"`)] : [];
    }
    if (raw === null || doc.severity !== undefined) return [];
    return [finding(this, doc, doc.frontMatterLines.severity ?? 1, 1, `severity "${String(raw)}" is not a valid severity`,
      'use SEV1 (outage), SEV2 (major degradation), SEV3 (limited impact) or SEV4 (no user impact)')];
  },
};
