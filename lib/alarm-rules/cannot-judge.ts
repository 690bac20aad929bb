// IncidentReadiness-CannotJudge: the gate fails closed. A template it cannot read (neither JSON nor
// YAML), an alarm it cannot evaluate, an error inside the gate itself: each is a finding naming the
// file, the resource and the error, never a silent pass. Its findings come from the engine
// (lib/assembly/judge.ts), not from an alarm's view, so it is not among ALARM_RULES' checks.
import { FindingLevel } from '../core/finding';

export const cannotJudgeRule = {
  id: 'IncidentReadiness-CannotJudge',
  level: FindingLevel.ERROR,
  /** A read or gate error can never be acknowledged; a template outside the assembly (`[Outside]`) can, with a reason. */
  acknowledgeable: false,
  description: 'The gate reads and judges every template and alarm of the app (an error is a finding, never a silent pass)',
  explanation:
    'One template the gate cannot read, or one error inside it, would otherwise let every page of the app pass unjudged. ' +
    'It cannot be acknowledged, except for a nested stack whose template is not in the cloud assembly, which a team may acknowledge with its reason.',
  /** The detail of the finding that may be acknowledged: a nested stack's template outside the assembly. */
  outsideDetail: 'Outside',
} as const;
