import { ENTRY, LAST, OWNER, PLACE, QUEUE_END, RETRY, SERVED, TICKET } from './layout';

/**
 * A waiter keeps its turn this long past the time it was told to ask again (its timer may fire
 * late on a busy machine); after that, the stores behind it may take the slot it was owed.
 */
const RETRY_GRACE_MS = 50;
/**
 * An entry whose owner has not asked for `interval` plus this long (a thread that was terminated,
 * whose waiters were aborted, or that stopped asking) is removed: it loses its place in line.
 */
const FORGET_MS = 1000;

/** A store's entry in the line (its offset in the queue, -1 for none), and how many are taken. */
export interface Found {
  readonly mine: number;
  readonly entries: number;
}

/** The live waiters besides one store, and the fewest grants any of them has had. */
export interface Live {
  readonly others: number;
  readonly least: number;
}

/** What a store owes the live waiters, and when the first of those it owes lapses. */
export interface Owed {
  readonly owed: number;
  readonly lapse: number;
}

const NOBODY: Live = { others: 0, least: Infinity };
const NOTHING: Owed = { owed: 0, lapse: Infinity };

/**
 * The line of competing stores in the shared memory: QUEUE_SLOTS entries, one per store object
 * that was refused while the window was full, each with its owner's id, its ticket (PLACE), the
 * time of its last decision, the time it was told to ask again, and the grants it has had while
 * others waited (SERVED). Read and written under the lock only; an entry is published by writing
 * its owner last.
 */
export class WaitingLine {
  readonly #queue: Float64Array;
  /** The base time and the ticket counter. */
  readonly #meta: Float64Array;

  /**
   * @param queue - the entries
   * @param meta - the Float64s after the header words (TICKET is the last ticket handed out)
   */
  constructor(queue: Float64Array, meta: Float64Array) {
    this.#queue = queue;
    this.#meta = meta;
  }

  /**
   * Finds the entry of store `id`, forgets the owners that have not asked for `interval` +
   * FORGET_MS, and counts the entries left.
   */
  find(id: number, now: number, interval: number): Found {
    const queue = this.#queue;
    const forgetBefore = now - interval - FORGET_MS;
    let mine = -1;
    let entries = 0;
    for (let e = 0; e < QUEUE_END; e += ENTRY) {
      const owner = queue[e + OWNER]!;
      if (owner === 0) continue;
      if (queue[e + LAST]! < forgetBefore) {
        queue[e + OWNER] = 0;
        continue;
      }
      entries++;
      if (owner === id) mine = e;
    }
    return { mine, entries };
  }

  /**
   * The live waiters besides entry `mine`: refused, and not yet RETRY_GRACE_MS past the time they
   * were told to ask again (a thread that was terminated or stopped asking lapses then).
   */
  live({ mine, entries }: Found, now: number): Live {
    if (entries <= (mine < 0 ? 0 : 1)) return NOBODY;
    const queue = this.#queue;
    let others = 0;
    let least = Infinity;
    for (let e = 0; e < QUEUE_END; e += ENTRY) {
      if (queue[e + OWNER] === 0 || e === mine || !this.isLive(e, now)) continue;
      others++;
      const served = queue[e + SERVED]!;
      if (served < least) least = served;
    }
    return others === 0 ? NOBODY : { others, least };
  }

  /**
   * What a store with `served` grants and ticket `place` owes the live waiters besides entry
   * `mine`: to each, the grants it is ahead of that waiter by (in round-robin order), plus one
   * when that waiter holds the older ticket; and when the first of those it owes lapses.
   */
  owed(mine: number, served: number, place: number, now: number): Owed {
    const queue = this.#queue;
    let owed = 0;
    let lapse = Infinity;
    for (let e = 0; e < QUEUE_END; e += ENTRY) {
      if (queue[e + OWNER] === 0 || e === mine) continue;
      const until = queue[e + RETRY]! + RETRY_GRACE_MS;
      if (until <= now) continue;
      const behind = served - queue[e + SERVED]!;
      const owes = behind > 0 ? behind : behind === 0 && queue[e + PLACE]! < place ? 1 : 0;
      if (owes === 0) continue;
      owed += owes;
      if (until < lapse) lapse = until;
    }
    return owed === 0 ? NOTHING : { owed, lapse };
  }

  /** Whether entry `e` still keeps its turn at `now` (until RETRY_GRACE_MS past its retry time). */
  isLive(e: number, now: number): boolean {
    return this.#queue[e + RETRY]! + RETRY_GRACE_MS > now;
  }

  /** The grants entry `e` has had while others waited. */
  served(e: number): number {
    return this.#queue[e + SERVED]!;
  }

  /** The ticket of entry `e`. */
  place(e: number): number {
    return this.#queue[e + PLACE]!;
  }

  /** Whether entry `e` has no owner (taken by {@link WaitingLine.enter} but not yet written). */
  isFree(e: number): boolean {
    return this.#queue[e + OWNER] === 0;
  }

  /**
   * A place for a store: its entry `mine`, renewed with the next ticket (behind every other
   * entry), or a free entry with that ticket (its owner not yet written). -1 when all are taken.
   */
  enter(mine: number): number {
    const queue = this.#queue;
    let e = mine;
    if (e < 0) {
      for (let f = 0; f < QUEUE_END; f += ENTRY) {
        if (queue[f + OWNER] === 0) {
          e = f;
          break;
        }
      }
      if (e < 0) return -1;
    }
    const ticket = this.#meta[TICKET]! + 1;
    this.#meta[TICKET] = ticket;
    queue[e + PLACE] = ticket;
    return e;
  }

  /** Writes entry `e` for store `id`, publishing it (its owner) last. */
  write(e: number, id: number, served: number, last: number, retry: number): void {
    const queue = this.#queue;
    queue[e + SERVED] = served;
    queue[e + LAST] = last;
    queue[e + RETRY] = retry;
    queue[e + OWNER] = id;
  }

  /** Frees entry `e`: its store leaves the line. */
  leave(e: number): void {
    this.#queue[e + OWNER] = 0;
  }

  /** Frees every entry. */
  clear(): void {
    this.#queue.fill(0);
  }
}
