// Reads acknowledgements recorded with `Validations.of(scope).acknowledge({ id, reason })` on a
// construct or any of its ancestors, the way cdk-nag v3 does, so the Aspect and the pack agree.
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementIds } from '../alarm-rules/rule';

/** One acknowledgement that applies to a construct. */
export interface FoundAcknowledgement {
  readonly id: string;
  readonly reason: string;
  /** The construct path it was recorded on. */
  readonly at: string;
}

/** Strips the namespace CDK adds (`Annotation::`, `<plugin>::`). */
function bareId(qualified: string): string {
  const i = qualified.lastIndexOf('::');
  return i === -1 ? qualified : qualified.slice(i + 2);
}

/**
 * The closest acknowledgement of `ruleId` (or of its granular form `ruleId[detail]`, also as the
 * CDK CLI prints it, without the closing `]`) on `construct` or an ancestor, if any.
 */
export function findAcknowledgement(construct: IConstruct, ruleId: string, detail?: string): FoundAcknowledgement | undefined {
  const wanted = acknowledgementIds(ruleId, detail);
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (wanted.includes(bareId(id))) return { id: bareId(id), reason: String(reason), at: c.node.path };
      }
    }
  }
  return undefined;
}
