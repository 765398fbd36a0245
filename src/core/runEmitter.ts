import { notifyEach } from '../base/notifyEach';
import type { CompilerEvent, RunObserver } from '../shared/runEvents';

/** An event as its producer writes it; the emitter stamps the time. */
export type EventBody = CompilerEvent extends infer E ? (E extends CompilerEvent ? Omit<E, 't'> : never) : never;

/** Stamps events with the run's clock and hands them to every observer; an observer that throws is cut off. */
export class RunEmitter {
  private readonly startedAt = performance.now();
  private readonly observers: Set<RunObserver>;

  constructor(...observers: Array<RunObserver | undefined>) {
    this.observers = new Set(observers.filter((o): o is RunObserver => o !== undefined));
  }

  /** Milliseconds since the run started. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  emit(body: EventBody): CompilerEvent {
    const event = { ...body, t: this.now() } as CompilerEvent;
    notifyEach(this.observers, [event], 'an event observer');
    return event;
  }
}
