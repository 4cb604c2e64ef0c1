import type { AccountModel, Model, Principal } from './model';
import type { ApiFailure, Reply, Service } from './wire';

/** One authenticated request, as handlers see it. @internal */
export interface Call {
  model: Model;
  /** Undefined only for unsigned operations (`AssumeRoleWithWebIdentity`). */
  principal: Principal | undefined;
  account: AccountModel | undefined;
  region: string;
  service: Service;
  operation: string;
  /** Form parameters (awsQuery, ec2Query). */
  query: URLSearchParams;
  /** JSON body (awsJson1_1). */
  json: Record<string, unknown>;
  requestId: string;
  /** Epoch milliseconds from the injectable clock. */
  now: number;
}

/** @internal */
export type Handler = (call: Call) => Reply | ApiFailure;
