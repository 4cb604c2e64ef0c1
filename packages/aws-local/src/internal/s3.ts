import { createHash } from 'node:crypto';
import type { Handler } from './Call';
import { xml, type Reply } from './wire';

/**
 * The operation of an S3 REST request, from its method and path: `GET /` is `ListBuckets`, the
 * only one served; anything else is named `METHOD /path` (answered `NotImplemented`). @internal
 */
export const s3Operation = (method: string, path: string): string =>
  method === 'GET' && path === '/' ? 'ListBuckets' : `${method} ${path.slice(0, 200)}`;

/** The account's canonical user id, as S3 gives it (64 hex digits). */
const canonicalId = (accountId: string): string =>
  createHash('sha256').update(`cs-aws-local/${accountId}`).digest('hex');

const listBuckets: Handler = (call): Reply => {
  const account = call.account!;
  const buckets = account.buckets
    .map(
      (b) =>
        `<Bucket><Name>${xml(b.name)}</Name><CreationDate>${b.created}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`,
    )
    .join('');
  return {
    status: 200,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${canonicalId(account.id)}</ID><DisplayName>${xml(account.name)}</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
  };
};

/** S3 operations by name. @internal */
export const s3Handlers: ReadonlyMap<string, Handler> = new Map([['ListBuckets', listBuckets]]);
