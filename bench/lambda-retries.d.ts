export interface LambdaJob<E> {
  readonly event: E;
  /** 0 for the first delivery; Lambda retries an asynchronous invocation twice. */
  readonly attempt: number;
}
export type LambdaHandler<E> = (event: E, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;
/** Drains `queue` through `workers` containers as Lambda would: a failed event retried twice, then lost. */
export function drainAsLambda<E>(queue: LambdaJob<E>[], container: () => LambdaHandler<E>, workers?: number, timeoutMs?: number): Promise<{ lambdaRetries: number; lost: number }>;
