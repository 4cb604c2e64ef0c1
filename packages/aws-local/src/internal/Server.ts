import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Call, Handler } from './Call';
import type { Injector } from './Injector';
import type { Model, Principal } from './model';
import { parseAuthorization, verifySignature } from './sigv4';
import type { ParsedAuthorization } from './sigv4';
import type { StatsRecorder } from './StatsRecorder';
import { errorReply, isFailure, type Reply, type Service } from './wire';
import { stsHandlers } from './sts';
import { iamHandlers } from './iam';
import { ec2Handlers } from './ec2';
import { organizationsHandlers } from './organizations';
import { s3Handlers, s3Operation } from './s3';

/** The routing table: each service's operations and their handlers (`SERVED_OPERATIONS` lists it). */
export const HANDLERS: Record<Service, ReadonlyMap<string, Handler>> = {
  sts: stsHandlers,
  iam: iamHandlers,
  ec2: ec2Handlers,
  organizations: organizationsHandlers,
  s3: s3Handlers,
};

// Maps, never object lookups: a request names `constructor` or `__proto__` as easily as `sts`.
const VERSIONS: ReadonlyMap<string, Service> = new Map([
  ['2011-06-15', 'sts'],
  ['2010-05-08', 'iam'],
  ['2016-11-15', 'ec2'],
]);
const isService = (name: string): name is Service => Object.hasOwn(HANDLERS, name);

/** How far the request's `X-Amz-Date` may be from the server's clock, as AWS allows. */
const MAX_SKEW_MS = 15 * 60_000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20240101T000000Z` → epoch ms; `undefined` when it is not SigV4's basic ISO 8601 format. */
const parseAmzDate = (text: string): number | undefined => {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, ...number[]];
  const time = Date.UTC(y!, mo! - 1, d, h, mi, se);
  return Number.isNaN(time) ? undefined : time;
};
/** Epoch ms → `20240101T000000Z`, as AWS writes it in its messages. */
const formatAmzDate = (time: number): string =>
  new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

/** Whether `text` (a query string or form body) decodes: every `%` escape well formed, UTF-8. */
const decodes = (text: string): boolean => {
  if (!text.includes('%')) return true;
  try {
    decodeURIComponent(text.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
};

const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.';
const EMPTY_JSON: Record<string, unknown> = {};
const EMPTY_QUERY = new URLSearchParams();

/**
 * Canonical copies of the short strings every request carries (region, operation), so that the
 * request log retains one string per distinct value, not one per request.
 */
const interned = new Map<string, string>();
const intern = (value: string): string => {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < 4096) interned.set(value, value);
  return value;
};

/** The answers AWS gives when credentials are rejected, per service. */
const REJECT = {
  unknownKey: {
    sts: [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
    iam: [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
    ec2: [401, 'AuthFailure', 'AWS was not able to validate the provided access credentials'],
    organizations: [
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ],
    s3: [
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    ],
  },
  expired: {
    sts: [400, 'ExpiredToken', 'The security token included in the request is expired'],
    iam: [400, 'ExpiredToken', 'The security token included in the request is expired'],
    ec2: [400, 'RequestExpired', 'Request has expired.'],
    organizations: [
      400,
      'ExpiredTokenException',
      'The security token included in the request is expired',
    ],
    s3: [400, 'ExpiredToken', 'The provided token has expired.'],
  },
  signature: {
    sts: [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ],
    iam: [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ],
    ec2: [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ],
    organizations: [
      400,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ],
    s3: [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ],
  },
  missing: {
    sts: [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
    iam: [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
    ec2: [401, 'AuthFailure', 'AWS was not able to validate the provided access credentials'],
    organizations: [400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    s3: [403, 'AccessDenied', 'Access Denied'],
  },
  throttled: {
    sts: [400, 'Throttling', 'Rate exceeded'],
    iam: [400, 'Throttling', 'Rate exceeded'],
    ec2: [503, 'RequestLimitExceeded', 'Request limit exceeded.'],
    organizations: [
      400,
      'TooManyRequestsException',
      "AWS Organizations can't complete your request because another request is already in progress or the rate limit was exceeded. Try again later.",
    ],
    s3: [503, 'SlowDown', 'Please reduce your request rate.'],
  },
  500: {
    sts: [
      500,
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
    ],
    iam: [
      500,
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
    ],
    ec2: [500, 'InternalError', 'An internal error has occurred.'],
    organizations: [
      500,
      'ServiceException',
      "AWS Organizations can't complete your request because of an internal service error. Try again later.",
    ],
    s3: [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  },
  503: {
    sts: [503, 'ServiceUnavailable', 'Service is unable to handle request.'],
    iam: [503, 'ServiceUnavailable', 'Service is unable to handle request.'],
    ec2: [503, 'Unavailable', "The server is overloaded and can't handle the request."],
    organizations: [503, 'ServiceUnavailableException', 'Service is unable to handle request.'],
    s3: [503, 'ServiceUnavailable', 'Please reduce your request rate.'],
  },
} as const satisfies Record<string, Record<Service, readonly [number, string, string]>>;

const malformedQuery = (): readonly [number, string, string] => [
  400,
  'MalformedQueryString',
  'The query string or form body holds a malformed percent-encoded sequence.',
];

/**
 * What AWS refuses in a signed request before it looks at the key: a credential scope of another
 * service, `host` not among the signed headers, an `X-Amz-Date` that is malformed, of another day
 * than the scope, or more than 15 minutes from the server's clock (EC2: `RequestExpired`; the
 * others: `SignatureDoesNotMatch` / `InvalidSignatureException`, "Signature expired").
 */
function signatureRequestProblem(
  auth: ParsedAuthorization,
  service: Service,
  headers: IncomingHttpHeaders,
  now: number,
): readonly [number, string, string] | undefined {
  const signature = REJECT.signature[service];
  const refuse = (message: string): readonly [number, string, string] => [
    signature[0],
    signature[1],
    message,
  ];
  if (auth.service !== service) {
    return refuse(`Credential should be scoped to correct service: '${service}'.`);
  }
  if (!auth.signedHeaders.includes('host')) {
    return refuse("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const amzDate = headers['x-amz-date'];
  const time = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (typeof amzDate !== 'string' || time === undefined) {
    return [
      400,
      service === 'organizations' ? 'IncompleteSignatureException' : 'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header, in ISO 8601 basic format (20150830T123600Z).",
    ];
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    return refuse(`Credential should be scoped to a valid date: '${amzDate.slice(0, 8)}'.`);
  }
  if (Math.abs(time - now) > MAX_SKEW_MS) {
    if (service === 'ec2') return [400, 'RequestExpired', 'Request has expired.'];
    return refuse(
      time < now
        ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`
        : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  return undefined;
}

/** Options the request handler needs. @internal */
export interface ServerContext {
  model: Model;
  stats: StatsRecorder;
  injector: Injector;
  now: () => number;
  timers: Set<NodeJS.Timeout>;
  /** The largest request body read; a larger one is refused as it streams (413). */
  maxBodyBytes: number;
}

/** Builds the `node:http` request listener. @internal */
export function createListener(
  ctx: ServerContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { model, stats, injector, now, timers, maxBodyBytes } = ctx;

  const send = (res: ServerResponse, reply: Reply, requestId: string, drop: boolean): void => {
    const body = Buffer.from(reply.body);
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': body.length,
      'x-amzn-requestid': requestId,
    });
    if (drop) {
      // Headers and half the body, then the connection goes: the SDK sees a broken response.
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (req.method === 'GET' && path === '/__stats') {
      const body = JSON.stringify(stats.snapshot());
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } else if (req.method === 'POST' && path === '/__reset') {
      stats.reset();
      res.writeHead(204).end();
    } else {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('not found: use GET /__stats or POST /__reset\n');
    }
    req.resume();
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer, time: number): void => {
    const url = req.url ?? '/';
    const qmark = url.indexOf('?');
    const path = qmark < 0 ? url : url.slice(0, qmark);
    const rawQuery = qmark < 0 ? '' : url.slice(qmark + 1);
    const requestId = randomUUID();
    const headers = req.headers;

    // Protocol and operation. A request AWS would refuse before reading it (a malformed escape,
    // a JSON body that does not parse, an unknown API version) is refused here, before anything
    // else runs; every name the request gives is looked up in a Map or with Object.hasOwn.
    let service: Service | undefined;
    let operation: string;
    let query = EMPTY_QUERY;
    let json = EMPTY_JSON;
    let early: readonly [number, string, string] | undefined;
    const target = headers['x-amz-target'];
    const authHeader = headers.authorization;
    const auth = typeof authHeader === 'string' ? parseAuthorization(authHeader) : undefined;
    const scoped = auth !== undefined && isService(auth.service) ? auth.service : undefined;
    if (scoped === 's3' && typeof target !== 'string') {
      // S3's REST protocol: the operation is the method and the path, not a form field.
      service = 's3';
      operation = s3Operation(req.method ?? 'GET', path);
      if (!decodes(rawQuery)) early = malformedQuery();
    } else if (typeof target === 'string') {
      service = 'organizations';
      operation = target.startsWith(ORGANIZATIONS_TARGET)
        ? target.slice(ORGANIZATIONS_TARGET.length)
        : target;
      try {
        const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          early = [
            400,
            'SerializationException',
            'Start of structure or map found where not expected.',
          ];
        } else json = parsed as Record<string, unknown>;
      } catch {
        early = [400, 'SerializationException', 'The request body is not valid JSON.'];
      }
      if (!decodes(rawQuery)) early = malformedQuery();
    } else {
      const text = body.length > 0 ? body.toString('utf8') : rawQuery;
      if (!decodes(rawQuery) || !decodes(text)) {
        operation = '';
        early = malformedQuery();
      } else {
        query = new URLSearchParams(text);
        operation = query.get('Action') ?? '';
        const version = query.get('Version');
        service = version === null ? undefined : VERSIONS.get(version);
        if (version !== null && service === undefined) {
          early = [
            400,
            'InvalidAction',
            `Could not find operation ${operation} for version ${version}`,
          ];
        }
      }
    }

    let region = auth?.region ?? 'us-east-1';
    service ??= scoped ?? 'sts';
    let principal: Principal | undefined;
    let reply: Reply | undefined;
    let accountId: string | undefined;
    const reject = (r: readonly [number, string, string]): Reply => {
      stats.authFailures++;
      return errorReply(service, r[0], r[1], r[2], requestId);
    };

    const handler = HANDLERS[service].get(operation);
    const unsigned = service === 'sts' && operation === 'AssumeRoleWithWebIdentity';
    const signatureProblem =
      auth === undefined ? undefined : signatureRequestProblem(auth, service, headers, now());
    if (early !== undefined) {
      reply = errorReply(service, early[0], early[1], early[2], requestId);
    } else if (signatureProblem !== undefined) {
      reply = reject(signatureProblem);
    } else if (auth === undefined && !unsigned) {
      reply =
        typeof authHeader === 'string'
          ? reject([
              400,
              'IncompleteSignature',
              'Authorization header requires Credential, SignedHeaders and Signature.',
            ])
          : reject(REJECT.missing[service]);
    } else if (auth !== undefined) {
      principal = model.keys.get(auth.accessKeyId);
      const token = headers['x-amz-security-token'];
      if (principal === undefined || principal.sessionToken !== token) {
        principal = undefined;
        reply = reject(REJECT.unknownKey[service]);
      } else {
        accountId = principal.accountId;
        if (principal.expiresAt !== undefined && now() >= principal.expiresAt) {
          reply = reject(REJECT.expired[service]);
        } else if (
          !verifySignature(
            { method: req.method ?? 'POST', path, query: rawQuery, headers, body },
            auth,
            principal.secret,
          )
        ) {
          stats.signatureFailures++;
          reply = reject(REJECT.signature[service]);
        } else if (!model.accounts.get(principal.accountId)?.regions.has(region)) {
          reply = reject(
            service === 'ec2'
              ? [
                  401,
                  'AuthFailure',
                  `AWS was not able to validate the provided access credentials (region ${region} is not enabled for account ${principal.accountId})`,
                ]
              : REJECT.unknownKey[service],
          );
        }
      }
    } else {
      // Unsigned AssumeRoleWithWebIdentity: the role's account answers.
      accountId = /^arn:aws:iam::(\d{12}):/.exec(query.get('RoleArn') ?? '')?.[1];
      region = 'us-east-1';
    }

    let fault: 500 | 503 | 'drop' | undefined;
    let delay = 0;
    if (reply === undefined) {
      const t = { account: accountId, region, service, operation };
      if (injector.active) {
        delay = injector.delayFor(t);
        fault = injector.faultFor(t);
      }
      if (fault === 500 || fault === 503) {
        stats.faults++;
        const r = REJECT[fault][service];
        reply = errorReply(service, r[0], r[1], r[2], requestId);
      } else if (injector.active && injector.throttle(t)) {
        stats.throttled++;
        const r = REJECT.throttled[service];
        reply = errorReply(service, r[0], r[1], r[2], requestId);
      } else if (handler === undefined) {
        reply =
          service === 's3'
            ? errorReply(
                service,
                501,
                'NotImplemented',
                `A header or method you provided implies functionality that is not implemented (${operation})`,
                requestId,
              )
            : service === 'organizations'
              ? errorReply(
                  service,
                  400,
                  'UnknownOperationException',
                  `Unknown operation ${operation}`,
                  requestId,
                )
              : errorReply(
                  service,
                  400,
                  'InvalidAction',
                  `Could not find operation ${operation} for version ${query.get('Version') ?? '(none)'}`,
                  requestId,
                );
      } else {
        const call: Call = {
          model,
          principal,
          account: accountId === undefined ? undefined : model.accounts.get(accountId),
          region,
          service,
          operation,
          query,
          json,
          requestId,
          now: now(),
        };
        const result = handler(call);
        reply = isFailure(result)
          ? errorReply(service, result.status, result.code, result.message, requestId)
          : result;
      }
    }
    if (fault === 'drop') stats.faults++;

    stats.record({
      time,
      service,
      operation: intern(operation),
      account: accountId,
      region: intern(region),
      accessKeyId:
        principal?.accessKeyId ?? (auth === undefined ? undefined : intern(auth.accessKeyId)),
      status: fault === 'drop' ? 0 : reply.status,
      code: fault === 'drop' ? 'ConnectionDropped' : reply.code,
    });

    const final = reply;
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, final, requestId, fault === 'drop');
      }, delay);
      timers.add(timer);
    } else send(res, final, requestId, fault === 'drop');
  };

  return (req, res) => {
    const time = performance.now();
    const url = req.url ?? '/';
    if (url.startsWith('/__')) return control(req, res, url.split('?')[0]!);
    // The body is read up to maxBodyBytes: past it (declared or streamed) the request is refused
    // with 413 at once, and the connection closed, without reading the rest into memory.
    const tooLarge = (): void => {
      stats.record({
        time,
        service: 'sts',
        operation: '',
        account: undefined,
        region: 'us-east-1',
        accessKeyId: undefined,
        status: 413,
        code: 'RequestEntityTooLarge',
      });
      if (!res.headersSent) {
        const message = `Request body exceeds the maximum of ${maxBodyBytes} bytes.`;
        const reply =
          req.headers['x-amz-target'] === undefined
            ? errorReply('sts', 413, 'RequestEntityTooLarge', message, randomUUID())
            : errorReply('organizations', 413, 'RequestEntityTooLarge', message, randomUUID());
        const payload = Buffer.from(reply.body);
        res.writeHead(413, {
          'content-type': reply.contentType,
          'content-length': payload.length,
          connection: 'close',
        });
        res.end(payload, () => req.socket.destroy());
      }
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      req.pause();
      return tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        chunks.length = 0;
        req.pause();
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      try {
        handle(req, res, body, time);
      } catch (error) {
        // A bug here must still answer, or the SDK waits for its timeout.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(
            `@cs/aws-local internal error: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        }
      }
    });
  };
}
