import type { LocalAwsService } from '../LocalAws';

/** The services the server speaks (the public {@link LocalAwsService}). */
export type Service = LocalAwsService;

/** A response ready to write. @internal */
export interface Reply {
  status: number;
  body: string;
  contentType: string;
  /** The error code, when the reply is an error. */
  code?: string;
}

const XML_SPECIAL = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for an XML element. @internal */
export const xml = (value: string | number | boolean): string =>
  typeof value === 'string' ? value.replace(XML_SPECIAL, (c) => XML_ENTITIES[c]!) : String(value);

const NAMESPACES: Record<Service, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  organizations: '',
  s3: 'http://s3.amazonaws.com/doc/2006-03-01/',
};

const XML_TYPE = 'text/xml';
const JSON_TYPE = 'application/x-amz-json-1.1';

/** A successful awsQuery (STS, IAM) or ec2Query answer; `result` is the inner XML. @internal */
export function xmlReply(
  service: Service,
  action: string,
  result: string | undefined,
  requestId: string,
): Reply {
  const ns = NAMESPACES[service];
  const body =
    service === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><requestId>${requestId}</requestId>${result ?? ''}</${action}Response>`
      : `<${action}Response xmlns="${ns}">${result === undefined ? '' : `<${action}Result>${result}</${action}Result>`}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, body, contentType: XML_TYPE };
}

/** A successful awsJson1_1 (Organizations) answer. @internal */
export const jsonReply = (value: unknown): Reply => ({
  status: 200,
  body: JSON.stringify(value),
  contentType: JSON_TYPE,
});

/** An error in the service's own protocol, so that the SDK raises it with `name === code`. @internal */
export function errorReply(
  service: Service,
  status: number,
  code: string,
  message: string,
  requestId: string,
): Reply {
  if (service === 'organizations') {
    return {
      status,
      code,
      contentType: JSON_TYPE,
      body: JSON.stringify({ __type: code, Message: message, message }),
    };
  }
  if (service === 's3') {
    return {
      status,
      code,
      contentType: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
    };
  }
  if (service === 'ec2') {
    return {
      status,
      code,
      contentType: XML_TYPE,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  return {
    status,
    code,
    contentType: XML_TYPE,
    body: `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** An error description that a handler returns; the server renders it in the right protocol. @internal */
export interface ApiFailure {
  status: number;
  code: string;
  message: string;
}

/** @internal */
export const failure = (status: number, code: string, message: string): ApiFailure => ({
  status,
  code,
  message,
});

/** @internal */
export const isFailure = (value: Reply | ApiFailure): value is ApiFailure => !('body' in value);
