import { AsyncLocalStorage } from 'node:async_hooks';
import { abortError, throwIfAborted } from '../base/errors';
import type { Tool } from '../shared/toolContract';
import type { ToolSource } from './toolSource';

/**
 * At most `limit` tool calls at once across everything a session runs (direct calls and every question's tasks);
 * the rest wait their turn, first come first served. A small counting semaphore: it must honour each waiter's
 * AbortSignal, which the common semaphore packages do not.
 */
export class ToolGate {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  /** Set inside `run`: a tool called from there already holds its turn. */
  private readonly holding = new AsyncLocalStorage<true>();

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a tool gate needs a limit of at least 1, got ${limit}`);
  }

  /** Calls waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a call arriving now would wait. */
  get full(): boolean {
    return this.running >= this.limit;
  }

  /** Resolves with `release` once the caller may run; rejects as aborted when `signal` aborts first. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    throwIfAborted(signal);
    if (this.running < this.limit) {
      this.running++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = this.queue.indexOf(turn);
        if (at >= 0) this.queue.splice(at, 1);
        reject(abortError(signal.reason));
      };
      this.queue.push(turn);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  /**
   * Runs `fn` in a turn of its own, waiting for one first; the tools it calls take no second turn. `queued` hears
   * when it has to wait, with how many run and how many wait ahead of it.
   */
  async run<T>(signal: AbortSignal, fn: () => Promise<T>, queued?: (ahead: number) => void): Promise<T> {
    if (this.holding.getStore()) return fn();
    if (this.full) queued?.(this.queue.length);
    const release = await this.acquire(signal);
    try {
      return await this.holding.run(true, fn);
    } finally {
      release();
    }
  }

  /** The slot passes straight to the next waiter, so a call arriving meanwhile cannot take it out of turn. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    };
  }
}

/** `source` with every tool's run waiting for a turn at `gate`. */
export function gatedToolSource(source: ToolSource, gate: ToolGate): ToolSource {
  const wrapped = new WeakMap<Tool, Tool>();
  const gated = (tool: Tool): Tool => {
    let made = wrapped.get(tool);
    if (!made) {
      made = {
        ...tool,
        run: (args, ctx) => gate.run(ctx.signal, () => tool.run(args, ctx)),
      };
      wrapped.set(tool, made);
    }
    return made;
  };
  return {
    name: source.name,
    tools: async (signal) => (await source.tools(signal)).map(gated),
    ...(source.close ? { close: () => source.close!() } : {}),
  };
}
