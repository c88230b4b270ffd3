/**
 * A per-kind gate for expensive requests: at most `concurrency` run at once, at most `queue` wait;
 * past that the request is refused at once with 503 + Retry-After instead of queueing minutes of
 * work behind it. On PostgreSQL this also keeps the connection pool free for everything else.
 */
import { HttpError, type Bilingual } from '../http/errors.js';

export class BusyError extends HttpError {
  constructor(what: string, retryAfterS: number, messages?: Bilingual) {
    super(
      503,
      messages?.en ??
        `The service is busy with other ${what} requests; retry in ${retryAfterS} s (answers already computed come from the cache at once)`,
      undefined,
      { 'Retry-After': String(retryAfterS) },
      messages,
    );
  }
}

export interface LimiterOptions {
  /** Requests of this kind that may run at once. */
  concurrency: number;
  /** Requests that may wait for a free slot; more are refused. */
  queue: number;
  /** Words for the 503 message ("coverage", "site suggestion"). */
  what: string;
  retryAfterS?: number;
  /** The refusal in both languages, for requests a person reads (else the English of `what`). */
  busyMessages?: Bilingual;
}

export class WorkLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly options: LimiterOptions) {}

  get active() {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `work` when a slot is free; throws BusyError at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.queue) {
        const { what, retryAfterS = 5, busyMessages } = this.options;
        throw new BusyError(what, retryAfterS, busyMessages);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; `running` stays the same.
      if (next) next();
      else this.running -= 1;
    }
  }
}
