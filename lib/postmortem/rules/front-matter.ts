// Postmortem-FrontMatter: the postmortem says which incident it is about, how severe it was, where
// it stands, who wrote it, which runbook it concerns and when it happened: front matter that
// parses, or the SRE guide's header lines under the title.
import * as path from 'path';
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { closest } from '../../core/text';
import { POSTMORTEM_FIELDS, ParsedPostmortem, PostmortemFieldName, dayOf } from '../parser';
import { PostmortemRule, finding, isTemplateText, today } from './rule';

const EXAMPLE: Record<(typeof POSTMORTEM_FIELDS)[number], string> = {
  incident: 'incident: <the incident id from the Slack thread, or your tracker\'s>',
  severity: 'severity: SEV2',
  status: 'status: Draft',
  author: 'author: <your name>',
  runbook: 'runbook: runbooks/<scenario>.md (or none)',
  date: 'date: YYYY-MM-DD (the day of the incident)',
};

/** Where a missing field is reported: the front matter's last line, else the header lines', else line 1. */
function missingLine(doc: ParsedPostmortem): number {
  if (doc.hasFrontMatter) return Math.max(1, doc.bodyStartLine - 1);
  return doc.headerLines[doc.headerLines.length - 1] ?? 1;
}

export const frontMatterRule: PostmortemRule = {
  id: 'Postmortem-FrontMatter',
  level: FindingLevel.ERROR,
  description: 'the postmortem names its incident, severity, status (Draft / In review / Final), author, runbook and date',
  help: 'A postmortem is found, reviewed and followed up by its front matter: `incident`, `severity` (SEV1..SEV4), `status` (Draft, In review, Final), `author`, `runbook` (the runbook it concerns, or none) and `date` (YYYY-MM-DD, the day of the incident), between --- lines at the top. The SRE guide\'s header lines (`Status: … Author: … Date: …` under the title, the severity in the title) are read too.',
  check(doc, settings) {
    if (doc.frontMatterErrors.length > 0) {
      return doc.frontMatterErrors.map((e) => finding(this, doc, e.line, e.column, `front matter is not valid YAML: ${e.message}`,
        'fix the YAML at this position (one `key: value` per line; quote values that contain a colon)'));
    }
    const findings: RunbookFinding[] = [];
    if (!doc.hasFrontMatter && doc.headerLines.length === 0) {
      return [finding(this, doc, 1, 1, 'the postmortem has no front matter',
        `start the file with ---, then ${POSTMORTEM_FIELDS.join(', ')} lines, then --- (runbook-alarms postmortem new writes it)`)];
    }
    const where = doc.hasFrontMatter ? 'the front matter' : 'a header line under the title';
    for (const key of POSTMORTEM_FIELDS) {
      const f = doc.fields[key];
      if (!f || isTemplateText(f.value)) {
        const near = f ? undefined : misspelled(doc, key);
        findings.push(near
          ? finding(this, doc, near.line, 1, `the postmortem has no ${key} ("${near.key}" is not a key the rules read; did you mean ${key}?)`, `rename "${near.key}" to "${key}"`)
          : finding(this, doc, f?.line ?? missingLine(doc), f?.column ?? 1, f ? `${key} is still the template's "${f.value}"` : `the postmortem has no ${key}`,
            `write \`${EXAMPLE[key]}\` in ${where}`));
        continue;
      }
      const problem = invalid(key, f.value, doc, today(settings));
      if (problem) findings.push(finding(this, doc, f.line, f.column, problem.message, problem.fix));
    }
    const runbook = doc.fields.runbook;
    if (runbook && !isTemplateText(runbook.value)) {
      const ref = settings.runbooks.locate(runbook.value, doc.file, settings);
      if (ref.kind === 'file' && !ref.exists) {
        findings.push(finding(this, doc, runbook.line, runbook.column, `runbook "${runbook.value}" is no file (looked for ${ref.tried.map((t) => path.relative(settings.root, t) || t).join(' and ')})`,
          'write the runbook\'s path relative to the project root (runbooks/<scenario>.md) or its URL, or `none` when the incident had no runbook'));
      }
    }
    const due = doc.fields.due;
    if (due && !isTemplateText(due.value) && dayOf(due.value) === undefined) {
      findings.push(finding(this, doc, due.line, due.column, `due "${due.value}" is not a YYYY-MM-DD date`, 'write the day the postmortem is due as YYYY-MM-DD, or remove the line'));
    }
    return findings;
  },
};

function invalid(key: PostmortemFieldName, value: string, doc: ParsedPostmortem, day: number): { message: string; fix: string } | undefined {
  switch (key) {
    case 'severity':
      return doc.severity ? undefined : { message: `severity "${value}" is not SEV1, SEV2, SEV3 or SEV4`, fix: 'write the incident\'s severity, e.g. `severity: SEV2`' };
    case 'status':
      if (doc.status) return undefined;
      return /\//.test(value)
        ? { message: `status "${value}" lists the template's choices`, fix: 'keep one: Draft while writing, In review while the team reviews it, Final once agreed' }
        : { message: `status "${value}" is not Draft, In review or Final`, fix: 'write one of Draft, In review, Final' };
    case 'date': {
      const d = dayOf(value);
      if (d === undefined) return { message: `date "${value}" is not a real YYYY-MM-DD date`, fix: 'write the day of the incident as YYYY-MM-DD' };
      // One day of slack: an author east of UTC can legitimately be "tomorrow".
      return d > day + 1 ? { message: `date ${value} is in the future`, fix: 'write the day the incident happened' } : undefined;
    }
    default:
      return undefined;
  }
}

/** A front matter key that is probably `wanted`, misspelt or by another name. */
function misspelled(doc: ParsedPostmortem, wanted: PostmortemFieldName): { key: string; line: number } | undefined {
  const others: string[] = [...POSTMORTEM_FIELDS, 'due', 'title'];
  const aliases: Record<string, string[]> = { incident: ['incident_id', 'incidentid', 'id'], author: ['authors', 'owner', 'written_by'], date: ['incident_date', 'happened'], runbook: ['runbook_url', 'runbooks'], severity: ['sev'] };
  const squash = (k: string) => k.toLowerCase().replace(/[-_ ]/g, '');
  for (const key of Object.keys(doc.frontMatterLines)) {
    if (others.includes(key)) continue;
    const near = squash(key) === squash(wanted) || aliases[wanted]?.some((a) => squash(a) === squash(key)) || (key.length > 3 && closest(key, others) === wanted);
    if (near) return { key, line: doc.frontMatterLines[key] };
  }
  return undefined;
}
