import { HEAD, SIZE } from './layout';

/**
 * The ring of the last `capacity` grant times (Float64s, in non-decreasing order), with its head
 * and size in the header words. Read and written under the lock only.
 */
export class GrantRing {
  readonly #words: Int32Array;
  readonly #times: Float64Array;
  readonly #capacity: number;

  /**
   * @param words - the header words (HEAD and SIZE)
   * @param times - the ring
   */
  constructor(words: Int32Array, times: Float64Array) {
    this.#words = words;
    this.#times = times;
    this.#capacity = times.length;
  }

  /** The index of the oldest grant. */
  get head(): number {
    return this.#words[HEAD]!;
  }

  /** How many grants the ring holds. */
  get size(): number {
    return this.#words[SIZE]!;
  }

  /** The time of the `back`-th most recent grant (1: the last), for `back` from 1 to `size`. */
  fromEnd(head: number, size: number, back: number): number {
    let at = head + size - back;
    if (at >= this.#capacity) at -= this.#capacity;
    return this.#times[at]!;
  }

  /**
   * Whether the window of `interval` has room at `now` for `need` more grants: `0` when the
   * `need`-th most recent grant has left it (or the ring holds fewer), else the milliseconds until
   * it leaves or `upTo`, whichever is sooner. With `need <= 0` there is never room: `upTo`.
   */
  room(
    head: number,
    size: number,
    need: number,
    interval: number,
    now: number,
    upTo: number,
  ): number {
    if (need <= 0) return upTo;
    if (size < need) return 0;
    const slides = this.fromEnd(head, size, need) + interval - now;
    if (slides <= 0) return 0;
    return slides < upTo ? slides : upTo;
  }

  /** Appends a grant: writes the time first, then publishes it by moving size (or head, when full). */
  append(head: number, size: number, now: number): void {
    const capacity = this.#capacity;
    let at = head + size;
    if (at >= capacity) at -= capacity;
    this.#times[at] = now;
    if (size < capacity) this.#words[SIZE] = size + 1;
    else this.#words[HEAD] = head + 1 === capacity ? 0 : head + 1;
  }

  /** Every time in the ring, oldest first, plus `base`. */
  times(base: number): number[] {
    const head = this.head;
    const size = this.size;
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = base + this.#times[(head + i) % this.#capacity]!;
    return out;
  }

  /** Forgets every grant. */
  clear(): void {
    this.#words[SIZE] = 0;
    this.#words[HEAD] = 0;
  }
}
