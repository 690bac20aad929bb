// Runbook-Placeholder: no TODO, TBD, FIXME or <fill me in> left for the person paged at 2 a.m., and
// no template example text (`e.g.)`, `例)`, the template's own wording) in a Mitigate checklist item:
// the first move every page carries comes from there.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { ItemClass } from '../items';
import { ParsedRunbook } from '../parser';
import { findPlaceholders, hasPlaceholder } from '../placeholders';
import { RunbookRule, finding } from './rule';

/** Where `marker` is written, from the item's line on (an item may wrap); else the item's own line. */
function locate(doc: ParsedRunbook, line: number, marker: string): { line: number; column: number } {
  for (let l = line; l < line + 5 && l <= doc.lines.length; l++) {
    const at = doc.lines[l - 1].text.indexOf(marker);
    if (at >= 0) return { line: l, column: at + 1 };
  }
  return { line, column: 1 };
}

export const placeholderRule: RunbookRule = {
  id: 'Runbook-Placeholder',
  level: FindingLevel.ERROR,
  description: 'no placeholder (TODO, TBD, FIXME, <...>) is left in the runbook body, and no template example text (e.g., 例), the template\'s own wording) in a Mitigate checklist item',
  help: 'TODO, TBD, FIXME or `<...>` left in a runbook means the person paged at 2 a.m. finds nothing to do; an example left in a Mitigate step (`e.g.) roll back the last deploy`) would be paged as the first move. Replace each with the real command, dashboard or channel.',
  check(doc) {
    const findings: RunbookFinding[] = [];
    for (const l of doc.lines) {
      if (l.line < doc.bodyStartLine) continue;
      for (const p of findPlaceholders(l.text)) {
        findings.push(finding(this, doc, l.line, p.column, `placeholder ${p.text} is left in the runbook`,
          'replace it with the real value or step (exact command, dashboard, channel)'));
      }
    }
    // Placeholders are reported line by line above; examples only count in Mitigate's steps.
    for (const item of doc.mitigateItems) {
      if (!item.task || item.kind !== ItemClass.TEMPLATE || item.marker === undefined || hasPlaceholder(item.marker)) continue;
      const at = locate(doc, item.line, item.marker);
      const what = item.marker === item.text.trim() ? `is the runbook template's example wording ("${item.marker}")` : `holds template example text "${item.marker}"`;
      findings.push(finding(this, doc, at.line, at.column,
        `Mitigate checklist item ${what}; ${item.labelledFirst ? 'it is labelled as the first move, which every page carries' : 'Mitigate steps are what the paged engineer does, the first of them on every page'}`,
        'replace it with the step your team takes, as an exact command to copy and run (a label such as "First move:" may stay)'));
    }
    return findings;
  },
};
