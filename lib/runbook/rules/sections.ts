// Runbook-Sections: Detect, Triage, Mitigate, Verify, Comms, Postmortem, in that order, each with content.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { hasContent } from '../document';
import { REQUIRED_SECTIONS, RunbookSection } from '../parser';
import { RunbookRule, finding } from './rule';

const TEMPLATE = REQUIRED_SECTIONS.join(' → ');

export const sectionsRule: RunbookRule = {
  id: 'Runbook-Sections',
  level: FindingLevel.ERROR,
  description: `the sections ${TEMPLATE} are present, in that order, each with real content`,
  help: 'Every runbook follows one template so the on-call engineer knows where to look: ## Detect, ## Triage, ## Mitigate, ## Verify, ## Comms, ## Postmortem, in that order, each with real content (numbering such as `## 3. Mitigate` is fine).',
  check(doc) {
    const findings: RunbookFinding[] = [];
    const lastLine = doc.lines.length;
    let previous: RunbookSection | undefined;
    for (const name of REQUIRED_SECTIONS) {
      const section = doc.sections.find((s) => s.heading.section === name);
      if (!section) {
        const elsewhere = doc.headings.find((h) => h.section === name);
        findings.push(
          elsewhere
            ? finding(this, doc, elsewhere.line, 1, `"${elsewhere.text}" is a level-${elsewhere.level} heading; sections are level 2`,
              `write it as "## ${name}"`)
            : finding(this, doc, previous ? previous.heading.line : lastLine, 1, `the runbook has no ${name} section`,
              `add a "## ${name}" section${previous ? ` after "## ${previous.heading.text}"` : ''} (template: ${TEMPLATE})`),
        );
        continue;
      }
      if (previous && section.heading.line < previous.heading.line) {
        findings.push(finding(this, doc, section.heading.line, 1,
          `section "${section.heading.text}" comes before "${previous.heading.text}"`,
          `put the sections in the order ${TEMPLATE}`));
      } else if (!hasContent(section)) {
        findings.push(finding(this, doc, section.heading.line, 1, `section "${section.heading.text}" has no content`,
          `write what the on-call engineer does here (placeholders such as TODO or <...> do not count)`));
      }
      if (!previous || section.heading.line > previous.heading.line) previous = section;
    }
    // A second Mitigate (a merge, a copy-paste) is read by nobody: the first move and the checks
    // come from the first, and the responder stops reading there too.
    const seen: Array<RunbookSection | undefined> = [];
    for (const s of doc.sections) {
      const name = s.heading.section;
      if (name === undefined) continue;
      const index = REQUIRED_SECTIONS.indexOf(name);
      const first = seen[index];
      if (!first) {
        seen[index] = s;
        continue;
      }
      findings.push(finding(this, doc, s.heading.line, 1, `section "${s.heading.text}" is a second ${name} section (the first is "${first.heading.text}" on line ${first.heading.line})`,
        `merge it into the ${name} section on line ${first.heading.line}: the first move and the checks are read from the first one`));
    }
    return findings;
  },
};
