// Runbook-HeaderLine: the header line the SRE guide's template writes under the title
// (`Last updated: 2026-06-24 / Owner: payments`) says what the front matter says. Without front
// matter, Runbook-FrontMatter says how to move it there.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { SeverityPolicy } from '../../core/severity';
import { readLastUpdated } from './last-updated';
import { RunbookRule, finding } from './rule';

export const headerLineRule: RunbookRule = {
  id: 'Runbook-HeaderLine',
  level: FindingLevel.ERROR,
  description: 'a header line under the title (`Last updated: … / Owner: …`) agrees with the front matter',
  help: 'The SRE guide\'s template writes `Last updated: … / Owner: …` under the title; the rules, the alarm contract and the CLI read the front matter. When both are written they must say the same, or the reader and the tools trust different dates and owners: fix the one that is wrong, or delete the header line.',
  check(doc) {
    const header = doc.headerLine;
    if (!header || !doc.hasFrontMatter || doc.frontMatterErrors.length > 0) return [];
    const findings: RunbookFinding[] = [];
    for (const f of header.fields) {
      const raw = doc.frontMatter[f.key];
      if (raw === undefined || raw === null) continue; // missing from the front matter: its own rule says so
      let front: string;
      let same: boolean;
      if (f.key === 'last_updated') {
        front = readLastUpdated(doc).raw ?? String(raw);
        same = front === f.value;
      } else if (f.key === 'severity') {
        front = String(raw);
        same = SeverityPolicy.parse(front) !== undefined && SeverityPolicy.parse(front) === SeverityPolicy.parse(f.value.split(/\s/)[0]);
      } else if (f.key === 'owner') {
        front = String(raw).trim();
        same = front === f.value;
      } else continue;
      if (same) continue;
      const at = doc.frontMatterLines[f.key] ?? 1;
      findings.push(finding(this, doc, header.line, f.column,
        `the header line says ${f.written}: ${f.value}, but the front matter says ${f.key}: ${front} (line ${at})`,
        `make them the same (the front matter is what the alarm and the tools read), or delete the header line`));
    }
    return findings;
  },
};
