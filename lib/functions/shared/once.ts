// A side effect done once across containers and retries (pages to SNS topics, messages to other
// channels): claimed in the incident store under its own key, marked done when it went out,
// released when it failed so the retry does it. No CDK.
import { IncidentPolicy } from './incident';
import { IncidentStore } from './incident-store';

/** Another container is doing it now: fail, for Lambda to retry later. */
export class BusyError extends Error {
  readonly name = 'BusyError';
}

/**
 * Runs `work` unless it was done under `key` before; resolves to its result, or undefined when it
 * was done. Throws {@link BusyError} while another owner holds the key, and `work`'s error after
 * releasing the key.
 */
export async function once<T>(store: IncidentStore, policy: IncidentPolicy, key: string, owner: string, now: number, work: () => Promise<T>): Promise<T | undefined> {
  const claim = await store.claim(key, owner, now, policy.leaseMs, Math.floor((now + policy.dedupeMs) / 1000));
  if (claim.kind === 'done') return undefined;
  if (claim.kind === 'busy') throw new BusyError(`another container is doing this (${key.split('|').pop()}); failing so Lambda retries it`);
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await store.release(key, owner).catch(() => undefined);
    throw err;
  }
  await store.mark(key, owner, 'done').catch(() => false);
  return result;
}
