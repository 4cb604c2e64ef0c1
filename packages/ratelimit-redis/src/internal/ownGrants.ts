/** One grant this store recorded in Redis: its score and member there, and when (local clock). */
interface OwnGrant {
  score: string;
  member: string;
  at: number;
}

/**
 * This store's own recent grants, kept to re-enter them (reseed) if Redis loses the log of the
 * limit (a restart without persistence). Only what a limit seen so far can still count is kept:
 * at most the largest `maxCount` seen, none older than the longest `interval` seen.
 */
export class OwnGrants {
  /** Oldest first from #head. */
  #own: OwnGrant[] = [];
  #head = 0;
  #maxCountSeen = 0;
  #intervalSeen = 0;

  /** The longest interval seen (ms): how far back the reseed script keeps grants. */
  get intervalSeen(): number {
    return this.#intervalSeen;
  }

  /** Widens what is kept to a limit Redis applied. */
  seen(maxCount: number, interval: number): void {
    if (maxCount > this.#maxCountSeen) this.#maxCountSeen = maxCount;
    if (interval > this.#intervalSeen) this.#intervalSeen = interval;
  }

  /** Remembers one of this store's grants, to re-enter it if Redis loses the log. */
  remember(score: string, member: string, local: number): void {
    this.#own.push({ score, member, at: local });
    this.#forget(local);
  }

  /** Whether any own grant could still count at `local`. */
  hasRecent(local: number): boolean {
    this.#forget(local);
    return this.#head < this.#own.length;
  }

  /** The grants to re-enter at `local`, as the reseed script's score and member arguments. */
  reseedArguments(local: number): string[] {
    this.#forget(local);
    const args: string[] = [];
    for (let j = this.#head; j < this.#own.length; j++) {
      args.push(this.#own[j]!.score, this.#own[j]!.member);
    }
    return args;
  }

  /** Forgets every grant (the log in Redis was cleared). */
  clear(): void {
    this.#own = [];
    this.#head = 0;
  }

  /** Drops own grants that no limit seen can count. */
  #forget(local: number): void {
    const own = this.#own;
    let head = this.#head;
    const keep = Math.max(this.#maxCountSeen, 1);
    while (
      head < own.length &&
      (own.length - head > keep || own[head]!.at <= local - this.#intervalSeen)
    ) {
      head++;
    }
    if (head > 1024 && head * 2 > own.length) {
      this.#own = own.slice(head);
      head = 0;
    }
    this.#head = head;
  }
}
