// Runbook-Checklist: Mitigate and Verify each hold a `- [ ]` item; Mitigate's first is the first move.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { ItemClass } from '../items';
import { RunbookSectionName } from '../parser';
import { hasPlaceholder } from '../placeholders';
import { RunbookRule, finding } from './rule';

const WHY: Partial<Record<RunbookSectionName, string>> = {
  [RunbookSectionName.MITIGATE]: 'its first item is the first move sent with every page',
  [RunbookSectionName.VERIFY]: 'it says how the on-call engineer knows the bleeding stopped',
};

export const checklistRule: RunbookRule = {
  id: 'Runbook-Checklist',
  level: FindingLevel.ERROR,
  description: 'Mitigate and Verify each have at least one checklist item (`- [ ] step`)',
  help: "The first checklist item under Mitigate that is a step (or the one labelled `First move:`) is the first move sent with every page, and Verify's items say when the incident is over. A warning (⚠️, \"never\", \"do not …\") is never the first move: it travels as the page's `Never:` line. Write each step as `- [ ] <concrete action>`, ideally an exact command.",
  check(doc) {
    const findings: RunbookFinding[] = [];
    for (const name of [RunbookSectionName.MITIGATE, RunbookSectionName.VERIFY]) {
      const section = doc.sections.find((s) => s.heading.section === name);
      if (!section) continue; // Runbook-Sections reports it
      if (name === RunbookSectionName.MITIGATE && doc.firstMove === undefined) {
        const warnings = doc.mitigateItems.filter((i) => i.task && i.kind === ItemClass.WARNING);
        if (warnings.length > 0) {
          const lines = warnings.map((w) => w.line).join(', ');
          findings.push(finding(this, doc, section.heading.line, 1,
            `section "${section.heading.text}" has no checklist item that can be the first move (line${warnings.length > 1 ? 's' : ''} ${lines} ${warnings.length > 1 ? 'are warnings' : 'is a warning'}, and a warning is never the first move)`,
            `add the step to take first as "- [ ] <concrete action>" under "## ${section.heading.text}"; the warning stays, and travels with the page as its "Never:" line`));
          continue;
        }
      }
      if (!section.checklist.some((c) => !hasPlaceholder(c.text))) {
        findings.push(finding(this, doc, section.heading.line, 1, `section "${section.heading.text}" has no checklist item`,
          `add a step as "- [ ] <concrete action>" under "## ${section.heading.text}": ${WHY[name]}`));
      }
    }
    return findings;
  },
};

