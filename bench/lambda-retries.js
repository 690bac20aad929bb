// How Lambda treats an asynchronous invocation that fails (an SNS delivery): it retries it twice,
// then gives up (the on-failure destination keeps it; here it counts as lost). The storm benches
// drain their queue of events through this with `workers` containers side by side.
async function drainAsLambda(queue, container, workers = 2, timeoutMs = 60_000) {
  let lambdaRetries = 0;
  let lost = 0;
  const worker = async () => {
    const handler = container();
    while (queue.length > 0) {
      const job = queue.shift();
      const deadline = Date.now() + timeoutMs;
      try {
        await handler(job.event, { getRemainingTimeInMillis: () => deadline - Date.now() });
      } catch {
        if (job.attempt < 2) {
          lambdaRetries++;
          queue.push({ ...job, attempt: job.attempt + 1 });
        } else lost++;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { lambdaRetries, lost };
}

module.exports = { drainAsLambda };
