// Holds messages for a webview until its script says it listens: a webview drops what is posted before that, and
// again after it is hidden and torn down. Plain TypeScript, tested in Node.

export class ReadyQueue<M> {
  private queue: M[] = [];
  private isReady = false;

  /** `limit` bounds the backlog of a long-hidden view; the oldest messages go first, the view resyncs on ready. */
  constructor(
    private readonly send: (message: M) => void,
    private readonly limit = 2_000,
  ) {}

  get ready(): boolean {
    return this.isReady;
  }

  post(message: M): void {
    if (this.isReady) {
      this.send(message);
      return;
    }
    this.queue.push(message);
    if (this.queue.length > this.limit) this.queue.splice(0, this.queue.length - this.limit);
  }

  /** The view listens: sends the backlog in order, then passes messages straight through. */
  markReady(): void {
    this.isReady = true;
    const backlog = this.queue;
    this.queue = [];
    for (const message of backlog) this.send(message);
  }

  /** The view went away (hidden or reloading): queue again until it says ready. */
  reset(): void {
    this.isReady = false;
  }
}
