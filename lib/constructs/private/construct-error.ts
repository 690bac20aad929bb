// A construct error that reads as its message alone: what is wrong, where (the construct path, the
// file's line and column) and how to fix it. A stack trace would only add this library's insides,
// so Node prints the message and nothing else when the synth stops on it.

/** An error whose printed form is its message (and name). */
export function constructError(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}
