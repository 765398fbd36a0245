// A model server's slots: chat requests processed at once. One that arrives while all are busy waits, first come
// first served, until one is free.
import type { ServerResponse } from 'node:http';

export class Slots {
  private limit: number | undefined;
  private busy = 0;
  // Requests waiting for a slot, first come first served.
  private readonly waiting: Array<{ res: ServerResponse; start: () => void }> = [];

  /** `limit` undefined: unlimited. */
  constructor(limit: number | undefined) {
    this.limit = checkSlots(limit);
  }

  /** Requests processed at once from now on; requests already admitted keep their slots. */
  setLimit(limit: number | undefined): void {
    this.limit = checkSlots(limit);
    this.admitWaiting();
  }

  /**
   * Holds a slot from its admission until the response ends, however it ends, calling `onAdmit` as it takes it;
   * false when the client closed while the request waited, which then leaves the queue without ever taking a slot.
   */
  admit(res: ServerResponse, onAdmit: () => void): Promise<boolean> {
    return new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      const entry = {
        res,
        start: () => {
          res.off('close', leave);
          this.busy++;
          res.once('close', () => {
            this.busy--;
            this.admitWaiting();
          });
          onAdmit();
          resolve(true);
        },
      };
      const leave = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      };
      res.once('close', leave);
      this.waiting.push(entry);
      this.admitWaiting();
    });
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && (this.limit === undefined || this.busy < this.limit)) {
      const next = this.waiting.shift()!;
      // Closed, its 'close' not yet emitted: it leaves the queue then.
      if (!next.res.destroyed) next.start();
    }
  }
}

function checkSlots(slots: number | undefined): number | undefined {
  if (slots !== undefined && !(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`slots must be a whole number of at least 1, not ${slots}`);
  return slots;
}
