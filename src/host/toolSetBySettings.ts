import type { Tool } from '../shared/toolContract';

/** Tools and what ends them (the symbol tools' worker threads). */
export interface ClosableToolSet {
  tools: Tool[];
  close(): void;
}

/**
 * The tools built for the settings in force, kept while the settings stay the same. A change of settings builds a
 * new set and closes the one before, so that its symbol worker (a thread holding TypeScript and its language
 * services) ends instead of lingering once for every change.
 */
export class ToolSetBySettings {
  private current: { key: string; set: ClosableToolSet } | undefined;

  /** The tools for the settings named by `key`, built by `build` when the key is new. */
  tools(key: string, build: () => ClosableToolSet): Tool[] {
    if (this.current?.key !== key) {
      const before = this.current;
      this.current = { key, set: build() };
      before?.set.close();
    }
    return this.current.set.tools;
  }

  close(): void {
    this.current?.set.close();
    this.current = undefined;
  }
}
