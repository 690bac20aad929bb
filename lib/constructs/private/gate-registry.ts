// Which apps run the synth gate (RunbookPolicy applied, IncidentReadinessChecks created with a
// scope): constructs leave to the gate the warnings it reports itself, so each is reported once.
import { IConstruct } from 'constructs';

const GATED = new WeakSet<IConstruct>();

/** Records that the app `scope` belongs to runs the gate at synth. */
export function markGated(scope: IConstruct): void {
  GATED.add(scope.node.root);
}

/** True when the gate will report on the app `scope` belongs to. */
export function isGated(scope: IConstruct): boolean {
  return GATED.has(scope.node.root);
}
