// Issue 14, item 7: requests AWS refuses get AWS's 4xx answers, before anything else runs (no
// lookup reaches Object.prototype), bodies past the limit are refused as they stream, and a
// request signed too far from the server's clock, or without `host` signed, is refused.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, fixture } from './fixture';
import { rejection } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterAll(() => aws.close());
beforeEach(() => aws.resetStats());

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 for the SDK's signer, from node:crypto. */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

interface Sent {
  status: number;
  body: string;
}

interface Hostile {
  body?: string;
  path?: string;
  headers?: Record<string, string>;
  /** The credential scope's service. @defaultValue `'sts'` */
  service?: string;
  signingDate?: Date;
  /** Headers left out of the signature. */
  unsigned?: string[];
  accessKeyId?: string;
  /** Headers set after signing. */
  after?: Record<string, string>;
}

/** A request signed with SigV4 by the SDK's own signer (alice's key), sent as it is. */
async function send(options: Hostile): Promise<Sent> {
  const url = new URL(aws.url);
  const body = options.body ?? '';
  const [path = '/', query] = (options.path ?? '/').split('?');
  const signer = new SignatureV4({
    service: options.service ?? 'sts',
    region: 'us-east-1',
    credentials: { ...ALICE, accessKeyId: options.accessKeyId ?? ALICE.accessKeyId },
    sha256: Sha256,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      },
      body,
    },
    {
      signingDate: options.signingDate,
      unsignableHeaders: new Set(options.unsigned ?? []),
    },
  );
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: query === undefined ? path : `${path}?${query}`,
        headers: { ...signed.headers, ...options.after },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text.replace(/&apos;/g, "'") }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (sent: Sent): string =>
  /<Code>([^<]*)<\/Code>/.exec(sent.body)?.[1] ??
  /"__type":"([^"]*)"/.exec(sent.body)?.[1] ??
  `(no code: ${sent.status} ${sent.body.slice(0, 80)})`;

const query = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

describe('names that reach the prototype of an object lookup', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'Version=%s answers 400 InvalidAction, before the key is looked at',
    async (version) => {
      for (const accessKeyId of [ALICE.accessKeyId, 'AKIAFIXTUREUNKNOWN01']) {
        const sent = await send({
          accessKeyId,
          body: query({ Action: 'GetCallerIdentity', Version: version }),
        });
        expect([sent.status, codeOf(sent)]).toEqual([400, 'InvalidAction']);
        expect(sent.body).toContain(`for version ${version}`);
      }
    },
  );

  it.each(['constructor', '__proto__', 'toString'])(
    'Action=%s answers 400 InvalidAction (STS) and as an Organizations target UnknownOperationException',
    async (action) => {
      const sent = await send({ body: query({ Action: action, Version: '2011-06-15' }) });
      expect([sent.status, codeOf(sent)]).toEqual([400, 'InvalidAction']);
      const json = await send({
        service: 'organizations',
        body: '{}',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSOrganizationsV20161128.${action}`,
        },
      });
      expect([json.status, codeOf(json)]).toEqual([400, 'UnknownOperationException']);
    },
  );

  it.each(['constructor', '__proto__', 'toString'])(
    'a credential scope of service %s answers 403 SignatureDoesNotMatch, scoped to the right service',
    async (service) => {
      for (const body of [
        query({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
        'Action=GetCallerIdentity',
      ]) {
        const sent = await send({ service, body });
        expect([sent.status, codeOf(sent)]).toEqual([403, 'SignatureDoesNotMatch']);
        expect(sent.body).toContain("Credential should be scoped to correct service: 'sts'");
      }
    },
  );

  it('a credential scope of another real service answers 403 SignatureDoesNotMatch too', async () => {
    const sent = await send({
      service: 'iam',
      body: query({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
    });
    expect([sent.status, codeOf(sent)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('a JSON body that is not an object answers 400 SerializationException', async () => {
    for (const body of ['{"MaxResults":', '[1,2]', '"text"']) {
      const sent = await send({
        service: 'organizations',
        body,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSOrganizationsV20161128.ListRoots',
        },
      });
      expect([sent.status, codeOf(sent)]).toEqual([400, 'SerializationException']);
    }
  });
});

describe('malformed percent-encoding', () => {
  it.each([
    [
      'a bare % in the body',
      `${query({ Action: 'GetCallerIdentity', Version: '2011-06-15' })}&X=%`,
    ],
    ['%zz in the body', `${query({ Action: 'GetCallerIdentity', Version: '2011-06-15' })}&X=%zz`],
    [
      'an invalid UTF-8 sequence',
      `${query({ Action: 'GetCallerIdentity', Version: '2011-06-15' })}&X=%C3%28`,
    ],
  ])('%s answers 400 MalformedQueryString', async (_, body) => {
    const sent = await send({ body });
    expect([sent.status, codeOf(sent)]).toEqual([400, 'MalformedQueryString']);
  });

  it('a malformed escape in the URL query answers 400 MalformedQueryString', async () => {
    const sent = await send({
      path: '/?Action=GetCallerIdentity&Version=2011-06-15&X=%E0%A4%A',
    });
    expect([sent.status, codeOf(sent)]).toEqual([400, 'MalformedQueryString']);
  });

  it('a well-formed request of the same shape still answers 200', async () => {
    const sent = await send({
      body: `${query({ Action: 'GetCallerIdentity', Version: '2011-06-15' })}&X=%C3%A9`,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('<Account>111111111111</Account>');
  });
});

describe('the date and the signed headers', () => {
  const DAY = 86_400_000;
  it.each([
    ['2 days ago', -2 * DAY, 'Signature expired'],
    ['16 minutes ago', -16 * 60_000, 'Signature expired'],
    ['1 hour in the future', 3_600_000, 'Signature not yet current'],
  ])(
    'signed %s: STS 403 SignatureDoesNotMatch, EC2 400 RequestExpired, Organizations 400 InvalidSignatureException',
    async (_, offset, message) => {
      const sts = new STSClient({
        endpoint: aws.url,
        region: 'us-east-1',
        credentials: ALICE,
        maxAttempts: 1,
        systemClockOffset: offset,
      });
      const e1 = await rejection(sts.send(new GetCallerIdentityCommand({})));
      expect([e1.name, e1.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
      expect(e1.message).toContain(message);
      const ec2 = new EC2Client({
        endpoint: aws.url,
        region: 'us-east-1',
        credentials: ALICE,
        maxAttempts: 1,
        systemClockOffset: offset,
      });
      const e2 = await rejection(ec2.send(new DescribeRegionsCommand({})));
      expect([e2.name, e2.$metadata.httpStatusCode]).toEqual(['RequestExpired', 400]);
      const org = new OrganizationsClient({
        endpoint: aws.url,
        region: 'us-east-1',
        credentials: ALICE,
        maxAttempts: 1,
        systemClockOffset: offset,
      });
      const e3 = await rejection(org.send(new ListRootsCommand({})));
      expect([e3.name, e3.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
      for (const client of [sts, ec2, org]) client.destroy();
      expect(aws.stats.signatureFailures + aws.stats.authFailures).toBeGreaterThanOrEqual(3);
    },
  );

  it('signed 14 minutes off either way: answered', async () => {
    for (const offset of [-14 * 60_000, 14 * 60_000]) {
      const sts = new STSClient({
        endpoint: aws.url,
        region: 'us-east-1',
        credentials: ALICE,
        maxAttempts: 1,
        systemClockOffset: offset,
      });
      await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Account: '111111111111',
      });
      sts.destroy();
    }
  });

  it('host left out of the signed headers answers 403 SignatureDoesNotMatch, however well signed', async () => {
    const body = query({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
    const good = await send({ body });
    expect(good.status).toBe(200);
    const sent = await send({ body, unsigned: ['host'] });
    expect([sent.status, codeOf(sent)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(sent.body).toContain("'Host' or ':authority' must be a 'SignedHeader'");
  });

  it('an X-Amz-Date not in the basic ISO 8601 format answers 400 IncompleteSignature', async () => {
    const body = query({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
    const sent = await send({ body, after: { 'x-amz-date': '2026-01-01T00:00:00Z' } });
    expect([sent.status, codeOf(sent)]).toEqual([400, 'IncompleteSignature']);
  });
});

describe('request bodies past the limit', () => {
  const MiB = 1024 * 1024;

  /**
   * Streams up to `total` bytes of form body (chunked, or with a declared length) until the server
   * answers or closes; gives the answer, how much was written, and how long the refusal took.
   */
  const stream = (
    url: string,
    total: number,
    declare: boolean,
  ): Promise<{ status: number; body: string; written: number; ms: number }> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const started = performance.now();
      let written = 0;
      let answered = false;
      const req = request({
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(declare ? { 'content-length': String(total) } : {}),
        },
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => {
        while (!answered && written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.on('response', (res) => {
        answered = true;
        const ms = performance.now() - started;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, written, ms }));
        res.on('error', reject);
      });
      // The server closes the connection after its answer: a write error then is expected.
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      pump();
    });

  it.each([
    ['declared by content-length', true],
    ['streamed in chunks, undeclared', false],
  ])(
    'a 256 MiB body %s is refused with 413 RequestEntityTooLarge before the server reads it',
    async (_, declare) => {
      const sent = await stream(aws.url, 256 * MiB, declare);
      expect(sent.status).toBe(413);
      expect(sent.body).toContain('<Code>RequestEntityTooLarge</Code>');
      expect(sent.body).toContain('maximum of 4194304 bytes');
      // The limit, plus what the sockets' buffers took: far from the 256 MiB offered.
      expect(sent.written).toBeLessThan(64 * MiB);
      expect(aws.stats.errors.RequestEntityTooLarge).toBe(1);
    },
  );

  it('maxBodyBytes sets the limit: a body of the limit is read, one byte more is refused', async () => {
    const small = await startLocalAws(fixture(), { maxBodyBytes: 1024 });
    try {
      const fill = (size: number): string => {
        const head = 'Action=GetCallerIdentity&Version=2011-06-15&Pad=';
        return head + 'x'.repeat(size - head.length);
      };
      const within = await new Promise<number>((resolve, reject) => {
        const target = new URL(small.url);
        const req = request(
          { host: target.hostname, port: target.port, method: 'POST', path: '/' },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(fill(1024));
      });
      // Read and answered as an unsigned request, not refused for its size.
      expect(within).toBe(403);
      const over = await stream(small.url, 1025, true);
      expect(over.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('refuses a maxBodyBytes that is not a positive integer', async () => {
    for (const maxBodyBytes of [0, -1, 1.5, Number.NaN, Infinity]) {
      await expect(startLocalAws(fixture(), { maxBodyBytes })).rejects.toThrow(
        /maxBodyBytes must be a positive integer/,
      );
    }
  });
});
