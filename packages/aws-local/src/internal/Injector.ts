import type {
  FaultRule,
  InjectionScope,
  LatencyRule,
  LocalAwsInjection,
  RateLimitRule,
} from '../LocalAws';
import { LocalAwsError } from '../errors';

interface Target {
  account: string | undefined;
  region: string;
  service: string;
  operation: string;
}

const matches = (scope: InjectionScope, t: Target): boolean =>
  (scope.account === undefined || scope.account === t.account) &&
  (scope.region === undefined || scope.region === t.region) &&
  (scope.service === undefined || scope.service === t.service) &&
  (scope.operation === undefined || scope.operation === t.operation);

interface Bucket {
  tokens: number;
  at: number;
}

interface LiveRateLimit {
  rule: RateLimitRule;
  burst: number;
  buckets: Map<string, Bucket>;
}

interface LiveFault {
  rule: FaultRule;
  remaining: number;
}

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new LocalAwsError(`invalid injection rule: ${what}`);
};

/** Latency, rate limits and faults, changeable at run time. @internal */
export class Injector implements LocalAwsInjection {
  private latencies: LatencyRule[] = [];
  private limits: LiveRateLimit[] = [];
  private faults: LiveFault[] = [];

  constructor(
    private readonly now: () => number,
    private readonly random: () => number,
  ) {}

  /** Whether any rule exists: the hot path skips everything otherwise. */
  get active(): boolean {
    return this.latencies.length + this.limits.length + this.faults.length > 0;
  }

  latency(rule: LatencyRule): () => void {
    check(Number.isFinite(rule.ms) && rule.ms >= 0, 'latency ms must be a number >= 0');
    check(rule.jitterMs === undefined || rule.jitterMs >= 0, 'latency jitterMs must be >= 0');
    const entry = { ...rule };
    this.latencies.push(entry);
    return () => void (this.latencies = this.latencies.filter((r) => r !== entry));
  }

  rateLimit(rule: RateLimitRule): () => void {
    check(rule.requestsPerSecond > 0, 'rateLimit requestsPerSecond must be > 0');
    check(rule.burst === undefined || rule.burst >= 1, 'rateLimit burst must be >= 1');
    const entry: LiveRateLimit = {
      rule: { ...rule },
      burst: rule.burst ?? Math.max(1, rule.requestsPerSecond),
      buckets: new Map(),
    };
    this.limits.push(entry);
    return () => void (this.limits = this.limits.filter((r) => r !== entry));
  }

  fault(rule: FaultRule): () => void {
    check(
      rule.fault === 500 || rule.fault === 503 || rule.fault === 'drop',
      "fault must be 500, 503 or 'drop'",
    );
    check(
      rule.probability === undefined || (rule.probability >= 0 && rule.probability <= 1),
      'fault probability must be from 0 to 1',
    );
    check(rule.count === undefined || rule.count >= 0, 'fault count must be >= 0');
    const entry: LiveFault = { rule: { ...rule }, remaining: rule.count ?? Infinity };
    this.faults.push(entry);
    return () => void (this.faults = this.faults.filter((r) => r !== entry));
  }

  clear(): void {
    this.latencies = [];
    this.limits = [];
    this.faults = [];
  }

  /** Delay for a request, in ms (the sum of the matching rules). */
  delayFor(t: Target): number {
    let ms = 0;
    for (const r of this.latencies) {
      if (matches(r, t)) ms += r.ms + (r.jitterMs ? this.random() * r.jitterMs : 0);
    }
    return ms;
  }

  /** The fault to inject, if any (consumes one of a counted rule). */
  faultFor(t: Target): 500 | 503 | 'drop' | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0 || !matches(f.rule, t)) continue;
      if (f.rule.probability !== undefined && this.random() >= f.rule.probability) continue;
      f.remaining--;
      return f.rule.fault;
    }
    return undefined;
  }

  /** Whether a request is over a rate limit (takes a token from every matching bucket otherwise). */
  throttle(t: Target): boolean {
    if (this.limits.length === 0) return false;
    const now = this.now();
    const key = `${t.account}|${t.region}|${t.service}|${t.operation}`;
    const taken: Bucket[] = [];
    for (const l of this.limits) {
      if (!matches(l.rule, t)) continue;
      let bucket = l.buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: l.burst, at: now };
        l.buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(
          l.burst,
          bucket.tokens + ((now - bucket.at) * l.rule.requestsPerSecond) / 1000,
        );
        bucket.at = now;
      }
      if (bucket.tokens < 1) {
        for (const b of taken) b.tokens += 1;
        return true;
      }
      bucket.tokens -= 1;
      taken.push(bucket);
    }
    return false;
  }
}
