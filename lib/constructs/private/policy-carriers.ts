// Which routings' escalation policies a SlackNotifier carries out: an AlertRouting built from a
// policy checks at synth that one does, since only a notifier mentions contacts, publishes their
// topics, posts to channels and escalates.
import { IConstruct } from 'constructs';

const CARRIED = new WeakSet<IConstruct>();

/** A notifier carries out the policy of `routing`. */
export function markPolicyCarried(routing: IConstruct): void {
  CARRIED.add(routing);
}

/** True once a notifier carries out the policy of `routing`. */
export function isPolicyCarried(routing: IConstruct): boolean {
  return CARRIED.has(routing);
}
