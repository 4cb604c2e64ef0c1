/** The concurrency slots of a worker, shared by the targets of every job it holds. */

/**
 * The worker's `concurrency` slots, shared by the targets of every job it holds: a target waits
 * for a free slot in the order it asked (first come, first served), or until `signal` fires.
 */
export class Slots {
  #free: number;
  readonly #size: number;
  /** The waiters, in the order they asked (a Set keeps it, and drops an aborted one at once). */
  readonly #waiting = new Set<(got: boolean) => void>();

  constructor(size: number) {
    this.#size = size;
    this.#free = size;
  }

  /** How many slots are taken. */
  get used(): number {
    return this.#size - this.#free;
  }

  /** A slot (true), or false when `signal` fired first (no slot taken). */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const waiter = (got: boolean): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(got);
      };
      const onAbort = (): void => {
        this.#waiting.delete(waiter);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  /** Gives a slot back: to the first waiter, if any. */
  release(): void {
    const next = this.#waiting.values().next();
    if (next.done === true) this.#free += 1;
    else {
      this.#waiting.delete(next.value);
      next.value(true);
    }
  }
}
