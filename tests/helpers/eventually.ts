/**
 * Resolves with the first value `probe` returns that `done` accepts, checking every 50 ms; fails
 * after `timeoutMs` with the last value seen. For state that background work reaches (a job, a
 * mail): the test waits for the state, it does not assert how long it took.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
