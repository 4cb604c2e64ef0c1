import type { LocalAwsStats, RequestLogEntry, RequestLogFilter } from '../LocalAws';

const bump = (map: Map<string, number>, key: string | undefined): void => {
  if (key !== undefined) map.set(key, (map.get(key) ?? 0) + 1);
};

/** Counters and a bounded request log. @internal */
export class StatsRecorder {
  private requests = 0;
  private byOperation = new Map<string, number>();
  private byAccount = new Map<string, number>();
  private byRegion = new Map<string, number>();
  private byAccessKey = new Map<string, number>();
  private errors = new Map<string, number>();
  throttled = 0;
  signatureFailures = 0;
  authFailures = 0;
  faults = 0;
  connections = 0;
  private log: RequestLogEntry[] = [];

  constructor(private readonly logLimit: number) {}

  record(entry: RequestLogEntry): void {
    this.requests++;
    bump(this.byOperation, `${entry.service}:${entry.operation}`);
    bump(this.byAccount, entry.account);
    bump(this.byRegion, entry.region);
    bump(this.byAccessKey, entry.accessKeyId);
    bump(this.errors, entry.code);
    if (this.logLimit > 0) {
      this.log.push(entry);
      // Trim in chunks, so that the hot path is an amortised push.
      if (this.log.length >= this.logLimit + Math.max(1, this.logLimit >> 3)) {
        this.log.splice(0, this.log.length - this.logLimit);
      }
    }
  }

  snapshot(): LocalAwsStats {
    return {
      requests: this.requests,
      byOperation: Object.fromEntries(this.byOperation),
      byAccount: Object.fromEntries(this.byAccount),
      byRegion: Object.fromEntries(this.byRegion),
      byAccessKey: Object.fromEntries(this.byAccessKey),
      errors: Object.fromEntries(this.errors),
      throttled: this.throttled,
      signatureFailures: this.signatureFailures,
      authFailures: this.authFailures,
      faults: this.faults,
      connections: this.connections,
      log: this.log.slice(-this.logLimit),
    };
  }

  reset(): void {
    this.requests = 0;
    this.byOperation.clear();
    this.byAccount.clear();
    this.byRegion.clear();
    this.byAccessKey.clear();
    this.errors.clear();
    this.throttled = 0;
    this.signatureFailures = 0;
    this.authFailures = 0;
    this.faults = 0;
    this.connections = 0;
    this.log = [];
  }

  maxInWindow(windowMs: number, filter: RequestLogFilter = {}): number {
    const times = this.log
      .filter(
        (e) =>
          (filter.service === undefined || e.service === filter.service) &&
          (filter.operation === undefined || e.operation === filter.operation) &&
          (filter.account === undefined || e.account === filter.account) &&
          (filter.region === undefined || e.region === filter.region) &&
          (filter.accessKeyId === undefined || e.accessKeyId === filter.accessKeyId),
      )
      .map((e) => e.time)
      .sort((a, b) => a - b);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}
