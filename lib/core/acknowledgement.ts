// Acknowledgements: `Validations.of(scope).acknowledge({ id, reason })` as every front door reads
// them (the synth gate from the construct tree, the CLI from the cloud assembly's metadata), and
// the one decision of whether one silences a finding. Pure module.

/** The metadata type `Validations.of(scope).acknowledge` writes (Validations.ACKNOWLEDGED_RULES_METADATA_KEY). */
export const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

/** One acknowledgement, recorded on a construct. */
export interface Acknowledgement {
  /** The rule id without the namespace CDK adds (`Annotation::`, `IncidentReadiness::`), e.g. `IncidentReadiness-MissingData`. */
  readonly id: string;
  /** The id as recorded, namespace included (CDK's own suppression matches on it). */
  readonly recordedAs: string;
  readonly reason: string;
  /** The construct path it was recorded on (`` for the app). */
  readonly at: string;
}

/** An acknowledgement from its recorded (possibly namespaced) id. */
export function acknowledgement(recordedAs: string, reason: unknown, at: string): Acknowledgement {
  const i = recordedAs.lastIndexOf('::');
  return { id: i < 0 ? recordedAs : recordedAs.slice(i + 2), recordedAs, reason: typeof reason === 'string' ? reason : String(reason ?? ''), at };
}

/**
 * The acknowledgement ids that name a finding of `ruleId` with the granular `detail`: the rule id;
 * for a granular finding also `ruleId[detail]`, and `ruleId[detail` as older CDK CLIs printed it
 * in their hint (dropping the closing bracket), because users copy what the CLI prints.
 */
export function acknowledgementIds(ruleId: string, detail?: string): string[] {
  return detail === undefined ? [ruleId] : [ruleId, `${ruleId}[${detail}]`, `${ruleId}[${detail}`];
}

/** What the acknowledgements on an alarm make of one of its findings. */
export interface AcknowledgementDecision {
  /** The acknowledgement that silences the finding. */
  readonly acknowledged?: Acknowledgement;
  /** An acknowledgement that tried to and was refused (the finding stays). */
  readonly refused?: Acknowledgement;
  /** Why it was refused. */
  readonly refusal?: 'unacknowledgeable' | 'no-reason';
}

/**
 * Decides whether `acknowledgements` (closest first: the alarm, then its ancestors) silence a
 * finding: the closest one naming it does, when it gives a reason and the rule can be acknowledged.
 */
export function decideAcknowledgement(
  acknowledgements: readonly Acknowledgement[],
  ruleId: string,
  detail: string | undefined,
  acknowledgeable: boolean,
): AcknowledgementDecision {
  const wanted = acknowledgementIds(ruleId, detail);
  const ack = acknowledgements.find((a) => wanted.includes(a.id));
  if (!ack) return {};
  if (!acknowledgeable) return { refused: ack, refusal: 'unacknowledgeable' };
  if (ack.reason.trim() === '') return { refused: ack, refusal: 'no-reason' };
  return { acknowledged: ack };
}

/** The sentence appended to a finding whose acknowledgement was refused. */
export function refusalNote(decision: AcknowledgementDecision): string {
  const ack = decision.refused;
  if (!ack) return '';
  const where = ack.at === '' ? 'the app' : ack.at;
  if (decision.refusal === 'no-reason') {
    return ` (the acknowledgement of ${ack.id} on ${where} was refused: it gives no reason; say why this is acceptable in { id, reason })`;
  }
  return ` (the acknowledgement of ${ack.id} on ${where} was refused: this rule can never be acknowledged; reason given: "${ack.reason}")`;
}
