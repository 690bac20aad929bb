// Postmortem-RunbookNotUpdated: a Final postmortem's runbook was updated after the incident. The
// SRE guide updates the runbook after each postmortem: what the responders learned the hard way
// is in the procedure the next responder follows.
import * as path from 'path';
import { FindingLevel } from '../../core/finding';
import { PostmortemStatus, dayOf } from '../parser';
import { PostmortemRule, finding, isTemplateText } from './rule';

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export const runbookNotUpdatedRule: PostmortemRule = {
  id: 'Postmortem-RunbookNotUpdated',
  level: FindingLevel.WARNING,
  description: 'a Final postmortem\'s runbook was updated (last_updated) on or after the day of the incident',
  help: 'The SRE guide updates the runbook after each postmortem: the first move that worked, the check that was missing, the warning someone needed. A Final postmortem whose runbook\'s `last_updated` is older than the incident (`date`) means the lesson stayed in the postmortem. Update the runbook (or walk through it and confirm nothing changes) and bump its `last_updated`.',
  check(doc, settings) {
    if (doc.status !== PostmortemStatus.FINAL) return [];
    const runbook = doc.fields.runbook;
    const incidentDay = dayOf(doc.fields.date?.value);
    if (!runbook || isTemplateText(runbook.value) || incidentDay === undefined) return []; // Postmortem-FrontMatter reports these
    const ref = settings.runbooks.locate(runbook.value, doc.file, settings);
    if (ref.kind !== 'file' || !ref.exists) return [];
    const updated = settings.runbooks.lastUpdated(ref.file);
    if (updated !== undefined && updated >= incidentDay) return [];
    const shown = path.relative(settings.root, ref.file) || ref.file;
    return [finding(this, doc, runbook.line, runbook.column,
      updated === undefined
        ? `the postmortem is Final but its runbook ${shown} has no last_updated date to show it was updated after the incident (${isoDay(incidentDay)})`
        : `the postmortem is Final but its runbook ${shown} was last updated ${isoDay(updated)}, before the incident (${isoDay(incidentDay)})`,
      `update ${shown} with what this incident taught (the first move that worked, the missing check, the warning) and set its last_updated, or walk through it, confirm nothing changes and set last_updated`)];
  },
};
