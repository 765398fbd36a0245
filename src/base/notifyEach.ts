/**
 * Calls every listener with `args`. One that throws is removed from `listeners` and reported, and the others still
 * hear this and later calls: a broken view must not break the run it shows, nor fail on every event after.
 */
export function notifyEach<A extends unknown[]>(listeners: Set<(...args: A) => void>, args: A, what: string): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      listeners.delete(listener);
      console.error(`LLM Compiler: ${what} failed and was removed`, error);
    }
  }
}
