import type { CompilerEvent, RunObserver } from '../shared/types';

/** An event as its producer writes it; the emitter stamps the time. */
export type EventBody = CompilerEvent extends infer E ? (E extends CompilerEvent ? Omit<E, 't'> : never) : never;

/** Stamps events with the run's clock and hands them to every observer; an observer that throws is cut off. */
export class RunEmitter {
  private readonly startedAt = performance.now();
  private readonly observers: RunObserver[];

  constructor(...observers: Array<RunObserver | undefined>) {
    this.observers = observers.filter((o): o is RunObserver => o !== undefined);
  }

  /** Milliseconds since the run started. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  emit(body: EventBody): CompilerEvent {
    const event = { ...body, t: this.now() } as CompilerEvent;
    for (const observer of [...this.observers]) {
      try {
        observer(event);
      } catch (error) {
        // A broken view must not break the run it shows.
        this.observers.splice(this.observers.indexOf(observer), 1);
        console.error('LLM Compiler: an event observer failed and was removed', error);
      }
    }
    return event;
  }
}
