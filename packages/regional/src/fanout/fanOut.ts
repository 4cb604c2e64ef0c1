/**
 * The fan-out engine, generic over its targets: bounded concurrency, per-target abort signals,
 * results yielded as they complete with bounded memory (targets are pulled lazily, and no target
 * starts while `concurrency` results wait to be read), failure policy and ignore rules.
 */

import { setMaxListeners } from 'node:events';
import { classifyError, type ErrorClass } from './classifyError';
import { stripResponse } from '@cs/session';
import { FanOutStoppedError } from './errors';
import type { FanOutOptions, IgnoreRule } from './FanOutOptions';
import type { FanOutFailure, FanOutResult } from './FanOutResult';
import type { FanOutSummary } from './FanOutSummary';

/** Who a target is, for its result. @internal */
export interface TargetIdentity {
  readonly accountId: string | undefined;
  readonly alias: string | undefined;
  readonly region: string | undefined;
}

/**
 * A result known without running anything: a suspended member account (`skipped`), an account
 * whose regions could not be discovered (`failed`). @internal
 */
export interface PreResolved extends TargetIdentity {
  readonly status: 'failed' | 'skipped';
  readonly error: unknown;
  readonly errorClass: ErrorClass;
}

/** What the engine needs to know about its targets. @internal */
export interface FanOutSource<T> {
  /** The targets, pulled lazily. */
  readonly targets: () => Iterator<T>;
  /** How many targets there are (including `preResolved`). */
  readonly total: () => number;
  /** Work to do before the first target (discovery); its failure fails the run. */
  readonly prepare?: (signal: AbortSignal) => Promise<void>;
  /** Results reported first, without running anything (read after `prepare`). */
  readonly preResolved?: () => Iterable<PreResolved>;
  /** Who a target is; may call AWS (cached by the caller); its failure fails the target. */
  readonly identify: (target: T, signal: AbortSignal) => Promise<TargetIdentity>;
  /** Who a target is, from what is already known (for targets that never run). */
  readonly knownIdentity: (target: T) => TargetIdentity;
  /** Whether the target's region is enabled for its account, when known. */
  readonly regionEnabled?: (target: T) => boolean | undefined;
}

/** The default number of targets that run at once. @internal */
export const DEFAULT_CONCURRENCY = 16;

const ruleMatches = (
  rule: IgnoreRule,
  errorClass: ErrorClass,
  code: string | undefined,
  message: string,
): boolean => {
  if (typeof rule === 'string') return rule === errorClass;
  if (rule.class !== undefined) {
    const classes: readonly ErrorClass[] =
      typeof rule.class === 'string' ? [rule.class] : rule.class;
    if (!classes.includes(errorClass)) return false;
  }
  if (rule.code !== undefined) {
    if (code === undefined) return false;
    if (typeof rule.code === 'string' ? rule.code !== code : !rule.code.test(code)) return false;
  }
  if (rule.message !== undefined) {
    if (
      typeof rule.message === 'string'
        ? !message.toLowerCase().includes(rule.message.toLowerCase())
        : !rule.message.test(message)
    ) {
      return false;
    }
  }
  return rule.class !== undefined || rule.code !== undefined || rule.message !== undefined;
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * A running fan-out: an async iterator of results with live counts.
 *
 * @internal
 */
export class FanOutRun<R, T> implements AsyncIterableIterator<FanOutResult<R, T>> {
  readonly #source: FanOutSource<T>;
  readonly #fn: (target: T, signal: AbortSignal) => R | Promise<R>;
  readonly #options: FanOutOptions<R, T>;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #controller = new AbortController();
  readonly #ready: FanOutResult<R, T>[] = [];
  #started: number | undefined;
  #ended: number | undefined;
  #iterator: Iterator<T> | undefined;
  #preResolved: Iterator<PreResolved> | undefined;
  #prepared = false;
  #exhausted = false;
  #running = 0;
  #wake: (() => void) | undefined;
  #failure: { error: unknown } | undefined;
  #finished = false;
  #total: number | undefined;
  #allowedFailures = Infinity;
  #unlink: (() => void) | undefined;
  #counts = { completed: 0, succeeded: 0, failed: 0, skipped: 0 };
  #byClass: Partial<Record<ErrorClass, number>> = {};
  #stopped: FanOutSummary['stopped'];

  constructor(
    source: FanOutSource<T>,
    fn: (target: T, signal: AbortSignal) => R | Promise<R>,
    options: FanOutOptions<R, T> = {},
  ) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
    }
    const timeout = options.timeout;
    if (timeout !== undefined && !(timeout > 0 && Number.isFinite(timeout))) {
      throw new RangeError(`timeout must be a positive number of milliseconds, got ${timeout}`);
    }
    const tolerance = options.tolerance;
    if (
      tolerance !== undefined &&
      (!(tolerance >= 0) ||
        (tolerance > 1 && tolerance !== Infinity && !Number.isInteger(tolerance)))
    ) {
      throw new RangeError(
        `tolerance must be a whole number of failures, or a fraction between 0 and 1, got ${tolerance}`,
      );
    }
    this.#source = source;
    this.#fn = fn;
    this.#options = options;
    this.#concurrency = concurrency;
    // One listener per running target: not a leak, so no warning past Node's default of 10.
    setMaxListeners(concurrency + 10, this.#controller.signal);
    this.#now = options.clock ? () => options.clock!.now() : () => performance.now();
  }

  /** The counts so far. */
  get summary(): FanOutSummary {
    return {
      total: this.#total ?? 0,
      ...this.#counts,
      running: this.#running,
      byClass: { ...this.#byClass },
      stopped: this.#stopped,
      durationMs: this.#started === undefined ? 0 : (this.#ended ?? this.#now()) - this.#started,
    };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<FanOutResult<R, T>>> {
    if (this.#finished) return { done: true, value: undefined };
    if (!this.#prepared) {
      this.#prepared = true;
      if (this.#source.prepare !== undefined) {
        try {
          await this.#source.prepare(this.#controller.signal);
        } catch (error) {
          this.#finish();
          throw error;
        }
      }
    }
    if (this.#started === undefined) this.#start();
    for (;;) {
      if (this.#failure !== undefined) {
        const { error } = this.#failure;
        this.#finish();
        throw error;
      }
      const result = this.#ready.shift();
      if (result !== undefined) {
        this.#pump();
        return { done: false, value: result };
      }
      if (this.#running === 0 && this.#exhausted) {
        this.#finish();
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<FanOutResult<R, T>>> {
    if (!this.#finished && this.#started !== undefined && !this.#exhausted) {
      this.#stop('aborted', 'the consumer stopped reading');
    }
    this.#finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  #finish(): void {
    if (!this.#finished && this.#started !== undefined) this.#ended = this.#now();
    this.#finished = true;
    this.#unlink?.();
    this.#unlink = undefined;
    this.#ready.length = 0;
  }

  #start(): void {
    this.#started = this.#now();
    this.#total = this.#source.total();
    const { failFast, tolerance, signal } = this.#options;
    if (failFast === true) this.#allowedFailures = 0;
    else if (tolerance !== undefined) {
      this.#allowedFailures =
        tolerance > 0 && tolerance < 1 ? Math.floor(tolerance * this.#total) : tolerance;
    }
    this.#iterator = this.#source.targets();
    this.#preResolved = this.#source.preResolved?.()[Symbol.iterator]();
    if (signal !== undefined) {
      const onAbort = (): void => this.#stop('aborted', messageOf(signal.reason));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.#unlink = () => signal.removeEventListener('abort', onAbort);
      }
    }
    this.#pump();
  }

  #stop(reason: 'aborted' | 'fail-fast' | 'tolerance', detail: string): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = reason;
    this.#controller.abort(new FanOutStoppedError(reason, detail));
    this.#wake?.();
  }

  /** Starts targets while there is room, and turns the rest into results once stopped. */
  #pump(): void {
    if (this.#finished) return;
    try {
      while (this.#ready.length < this.#concurrency) {
        const pre = this.#preResolved?.next();
        if (pre !== undefined && pre.done !== true) {
          this.#deliver({
            ...pre.value,
            target: undefined,
            ok: false,
            errorCode: classifyError(pre.value.error).code,
            durationMs: 0,
          });
          continue;
        }
        if (
          this.#exhausted ||
          (this.#running >= this.#concurrency && !this.#controller.signal.aborted)
        ) {
          return;
        }
        const next = this.#iterator!.next();
        if (next.done === true) {
          this.#exhausted = true;
          return;
        }
        if (this.#controller.signal.aborted) {
          const error: unknown = this.#controller.signal.reason;
          this.#deliver({
            ...this.#source.knownIdentity(next.value),
            target: next.value,
            ok: false,
            status: 'skipped',
            error,
            errorClass: 'aborted',
            errorCode: undefined,
            durationMs: 0,
          });
        } else {
          this.#launch(next.value);
        }
      }
    } catch (error) {
      this.#failure ??= { error };
      this.#controller.abort(error);
      this.#wake?.();
    }
  }

  #launch(target: T): void {
    this.#running += 1;
    const controller = new AbortController();
    const run = this.#controller.signal;
    const onRunAbort = (): void => controller.abort(run.reason);
    run.addEventListener('abort', onRunAbort, { once: true });
    const started = this.#now();
    let identity: TargetIdentity = this.#source.knownIdentity(target);
    const work = (async () => {
      identity = await this.#source.identify(target, controller.signal);
      // Stopped while its identity was read: the target must not start its work after the report.
      if (controller.signal.aborted) throw controller.signal.reason;
      return await this.#fn(target, controller.signal);
    })().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const aborted = new Promise<{ ok: false; error: unknown; aborted: true }>((resolve) => {
      controller.signal.addEventListener(
        'abort',
        () => resolve({ ok: false, error: controller.signal.reason, aborted: true }),
        { once: true },
      );
    });
    const { timeout } = this.#options;
    let timedOut: DOMException | undefined;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = new DOMException(
              `the target did not finish within ${timeout} ms`,
              'TimeoutError',
            );
            controller.abort(timedOut);
          }, timeout);
    void Promise.race([work, aborted]).then((outcome) => {
      if (timer !== undefined) clearTimeout(timer);
      run.removeEventListener('abort', onRunAbort);
      this.#running -= 1;
      const durationMs = this.#now() - started;
      const base = { ...identity, target, durationMs };
      if (outcome.ok) {
        this.#deliver({ ...base, ok: true, status: 'succeeded', value: outcome.value });
      } else if (timedOut !== undefined && controller.signal.reason === timedOut) {
        this.#deliver(this.#failed(base, target, timedOut));
      } else if ('aborted' in outcome || controller.signal.aborted) {
        this.#deliver({
          ...base,
          ok: false,
          status: 'skipped',
          error: stripResponse(outcome.error),
          errorClass: 'aborted',
          errorCode: undefined,
        });
      } else {
        this.#deliver(this.#failed(base, target, outcome.error));
      }
      this.#pump();
    });
  }

  #failed(
    base: Omit<FanOutFailure<T>, 'ok' | 'status' | 'error' | 'errorClass' | 'errorCode'>,
    target: T,
    error: unknown,
  ): FanOutFailure<T> {
    const { errorClass, code, message } = classifyError(error, {
      regionEnabled: this.#source.regionEnabled?.(target),
    });
    const ignored = (this.#options.ignore ?? []).some((rule) =>
      ruleMatches(rule, errorClass, code, `${message}\n${messageOf(error)}`),
    );
    return {
      ...base,
      ok: false,
      status: ignored ? 'skipped' : 'failed',
      // A report is kept and printed: never an SDK error's hidden raw response.
      error: stripResponse(error),
      errorClass,
      errorCode: code,
    };
  }

  #deliver(result: FanOutResult<R, T>): void {
    if (this.#finished) return;
    this.#counts.completed += 1;
    this.#counts[result.status] += 1;
    if (!result.ok) this.#byClass[result.errorClass] = (this.#byClass[result.errorClass] ?? 0) + 1;
    this.#ready.push(result);
    if (result.status === 'failed' && this.#counts.failed > this.#allowedFailures) {
      this.#stop(
        this.#options.failFast === true ? 'fail-fast' : 'tolerance',
        `${this.#counts.failed} failed target(s), more than the ${this.#allowedFailures} tolerated`,
      );
    }
    try {
      this.#options.onProgress?.({ ...this.summary, result });
    } catch (error) {
      this.#failure ??= { error };
      this.#controller.abort(error);
    }
    this.#wake?.();
  }
}
