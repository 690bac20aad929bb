// Postmortem-Sections: the sections of the SRE guide's template, each with something written in it
// (its prompts and <placeholders> do not count), and a timeline with times.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { DocumentLine } from '../../runbook/document';
import { LineKind } from '../../runbook/markdown';
import { POSTMORTEM_SECTIONS, PostmortemSection, PostmortemSectionName } from '../parser';
import { PostmortemRule, finding, isTemplateText } from './rule';

const TEMPLATE = POSTMORTEM_SECTIONS.join(' → ');

/** What each section is for, said in the fix of an empty one. */
const WHAT: Record<PostmortemSectionName, string> = {
  [PostmortemSectionName.SUMMARY]: 'what happened, for how long and who was affected, in three lines',
  [PostmortemSectionName.IMPACT]: 'the duration, the user impact in numbers (measured, not guessed) and the business impact',
  [PostmortemSectionName.TIMELINE]: 'one line per event with its time: alert fired, acknowledged, mitigation started, recovery confirmed',
  [PostmortemSectionName.ROOT_CAUSE]: 'why, five times: the technical factor and the process factor, with the system (never a person) as the subject',
  [PostmortemSectionName.DETECTION]: 'how it was noticed, and how fast; a human noticing instead of monitoring is itself an action item',
  [PostmortemSectionName.LESSONS]: 'what went well, what went poorly, and where you got lucky (to be turned into a mechanism)',
  [PostmortemSectionName.ACTION_ITEMS]: 'the action-items table: what, type, owner, due, ticket, status',
};

/** A section's lines that say something (text or code, not blank, not a table's delimiter row), and those left as the template. */
function linesOf(section: PostmortemSection): { written: DocumentLine[]; template: DocumentLine[] } {
  const written: DocumentLine[] = [];
  const template: DocumentLine[] = [];
  for (const l of section.lines) {
    if ((l.kind !== LineKind.TEXT && l.kind !== LineKind.CODE) || l.text.trim() === '') continue;
    if (l.text.includes('|') && /^\s*\|?[\s:|-]+\|?\s*$/.test(l.text)) continue;
    if (!isTemplateText(l.text)) written.push(l);
    else if (l.kind === LineKind.TEXT) template.push(l);
  }
  return { written, template };
}

// A time of day (14:02, 9:15, 14:02:33) or an ISO date-time: what makes a timeline entry.
const TIME = /(^|[^\d:])([01]?\d|2[0-3]):[0-5]\d(?!\d)|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export const sectionsRule: PostmortemRule = {
  id: 'Postmortem-Sections',
  level: FindingLevel.ERROR,
  description: `the sections ${TEMPLATE} are present, each with real content, and the timeline has times`,
  help: 'Every postmortem follows the SRE guide\'s template so reviewers find the same things in the same places: ## Summary, ## Impact (duration, users, business), ## Timeline (times, from the incident\'s thread), ## Root Cause (system and process), ## Detection, ## What went well / what went poorly, ## Action items. A section left with the template\'s prompts or <placeholders> is not written yet.',
  check(doc) {
    const findings: RunbookFinding[] = [];
    let previous: PostmortemSection | undefined;
    for (const name of POSTMORTEM_SECTIONS) {
      const section = doc.sections.find((s) => s.heading.section === name);
      if (!section) {
        const elsewhere = doc.headings.find((h) => h.section === name);
        findings.push(elsewhere
          ? finding(this, doc, elsewhere.line, 1, `"${elsewhere.text}" is a level-${elsewhere.level} heading; sections are level 2`, `write it as "## ${elsewhere.text}"`)
          : finding(this, doc, previous ? previous.heading.line : doc.lines.length, 1, `the postmortem has no ${name} section`,
            `add a "## ${name}" section${previous ? ` after "## ${previous.heading.text}"` : ''} with ${WHAT[name]} (template: ${TEMPLATE})`));
        continue;
      }
      previous = section;
      const { written: lines, template } = linesOf(section);
      // The action items are judged by Postmortem-ActionItem (a table alone is content).
      if (name === PostmortemSectionName.ACTION_ITEMS) continue;
      if (lines.length === 0) {
        findings.push(finding(this, doc, section.heading.line, 1, `section "${section.heading.text}" has no content`, `write ${WHAT[name]}`));
        continue;
      }
      // Written, but a prompt or placeholder is left (a pre-filled draft's, or the template's).
      for (const l of template) {
        findings.push(finding(this, doc, l.line, Math.max(1, l.text.search(/\S/) + 1), `section "${section.heading.text}" still holds the template's "${l.text.trim().slice(0, 80)}"`,
          'write what it asks for, or delete the line'));
      }
      if (name === PostmortemSectionName.TIMELINE && !lines.some((l) => TIME.test(l.text))) {
        findings.push(finding(this, doc, section.heading.line, 1, `the timeline "${section.heading.text}" gives no times`,
          'start each entry with its time (14:02 Alert fired…), taken from the incident\'s Slack thread; say the time zone once'));
      }
    }
    return findings;
  },
};
