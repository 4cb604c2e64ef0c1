import { Readable } from 'node:stream';

/** One request as the fake HTTP handler saw it. */
export interface SeenRequest {
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A fake `requestHandler` for a real SDK client (middleware, signing and retries all run): answers
 * each request with the next of `answers` (the last one repeats).
 */
export function fakeHandler(answers: { status: number; body: string }[]) {
  const seen: SeenRequest[] = [];
  let index = 0;
  const handler = {
    handle: (request: {
      hostname: string;
      path: string;
      headers: Record<string, string>;
      body?: unknown;
    }) => {
      seen.push({
        hostname: request.hostname,
        path: request.path,
        headers: request.headers,
        body: typeof request.body === 'string' ? request.body : '',
      });
      const answer = answers[Math.min(index, answers.length - 1)]!;
      index += 1;
      return Promise.resolve({
        response: {
          statusCode: answer.status,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(answer.body)]),
        },
      });
    },
    destroy: () => undefined,
  };
  return { handler, seen };
}

export const callerIdentityXml = (account = '123456789012') =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/x</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

export const stsErrorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`;
