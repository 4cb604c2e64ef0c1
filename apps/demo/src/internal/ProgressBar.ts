/**
 * A one-line progress bar for a terminal: targets done out of the total, failures, rate, elapsed.
 */

/** Where the bar is drawn: a terminal stream. @internal */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number;
}

/** The time seam of the bar. @internal */
export interface ProgressClock {
  now(): number;
  setInterval(fn: () => void, ms: number): { unref?(): unknown };
  clearInterval(handle: unknown): void;
}

const systemClock: ProgressClock = {
  now: () => performance.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

const seconds = (ms: number): string =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;

/**
 * Draws `[████░░░░] 7/16 done  1 failed  12.3/s  0.8s` on one line, redrawn in place (carriage
 * return and erase-line), every tenth of a second and at each result; `stop()` erases it so that
 * what follows starts on a clean line.
 *
 * @internal
 */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #clock: ProgressClock;
  readonly #label: string;
  #total = 0;
  #done = 0;
  #failed = 0;
  #started = 0;
  #timer: unknown;
  #drawn = false;

  /**
   * @param stream - a terminal (stderr)
   * @param label - what is running (`whoami`)
   * @param clock - the time seam
   */
  constructor(stream: ProgressStream, label: string, clock: ProgressClock = systemClock) {
    this.#stream = stream;
    this.#label = label;
    this.#clock = clock;
  }

  /** Starts the bar for `total` targets. */
  start(total: number): void {
    this.#total = total;
    this.#started = this.#clock.now();
    const timer = this.#clock.setInterval(() => this.#draw(), 100);
    timer.unref?.();
    this.#timer = timer;
    this.#draw();
  }

  /** Records the counts so far and redraws. */
  update(done: number, failed: number, total = this.#total): void {
    this.#done = done;
    this.#failed = failed;
    this.#total = total;
    this.#draw();
  }

  /** Erases the bar until the next redraw, so that a line can be written on the terminal. */
  clear(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[2K');
    this.#drawn = false;
  }

  /** Erases the bar and stops redrawing. */
  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  /** The text of the bar now (without control characters). */
  render(): string {
    const elapsed = this.#clock.now() - this.#started;
    const rate = elapsed > 0 ? (this.#done * 1000) / elapsed : 0;
    // Until the targets are counted (an organisation being listed, regions discovered) the total
    // is unknown: say so rather than show 0/0.
    const progress =
      this.#total > 0
        ? `${this.#done}/${this.#total} done`
        : `${this.#done} done, counting targets`;
    const counts = `${progress}  ${this.#failed} failed  ${rate.toFixed(1)}/s  ${seconds(elapsed)}`;
    // A pseudo-terminal without a size reports 0 columns.
    const columns =
      this.#stream.columns !== undefined && this.#stream.columns > 0 ? this.#stream.columns : 80;
    const width = Math.max(20, columns - 1);
    const room = width - counts.length - this.#label.length - 5;
    const barWidth = Math.max(0, Math.min(40, room));
    const filled =
      this.#total > 0
        ? Math.round((barWidth * Math.min(this.#done, this.#total)) / this.#total)
        : 0;
    const bar = barWidth > 0 ? ` [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]` : '';
    return `${this.#label}${bar} ${counts}`.slice(0, width);
  }

  #draw(): void {
    this.#stream.write(`\r\x1b[2K${this.render()}`);
    this.#drawn = true;
  }
}
