/** Polling with a deadline, for tests that wait on processes, files and daemons (never a bare sleep). */

/**
 * Resolves with the first value `f` returns (or resolves to) that is not undefined; throws once
 * `ms` have passed. `f` may be async, e.g. a question to an API server.
 */
export async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms: number, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether `f` came to hold within `ms` (processes take a moment to be reaped after they exit). */
export async function eventually(f: () => boolean, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
