/**
 * One keep-alive HTTP handler for every client the sessions of a process make, so that connections
 * are reused across clients, accounts and regions (a fan-out over 2,000 account-regions opens a
 * few dozen sockets, not 2,000). Clients get a facade whose `destroy()` does nothing: destroying
 * one client must not close the sockets of all the others.
 */

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import { SessionError } from '../errors';

/** Sockets per host of the shared handler: far above any sensible fan-out concurrency. */
export const SHARED_MAX_SOCKETS = 256;

/** An HTTP handler as SDK clients take it (`requestHandler`). @internal */
export type SessionRequestHandler = RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;

/** What a facade may forward besides `handle` (a `NodeHttpHandler` has all of it). */
interface HandlerExtras {
  readonly metadata?: { handlerProtocol: string };
  httpHandlerConfigs?(): object;
}

/**
 * Wraps `inner` so that clients can use it but neither destroy nor re-configure it: it is shared,
 * and its owner (the process, or the user who gave it to a Session) decides when it ends.
 *
 * @internal
 */
export const nonDestroying = (
  inner: SessionRequestHandler & HandlerExtras,
): SessionRequestHandler &
  HandlerExtras & {
    updateHttpClientConfig(): never;
  } => ({
  get metadata() {
    return inner.metadata;
  },
  handle: (request, options) => inner.handle(request, options),
  httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
  updateHttpClientConfig: () => {
    throw new SessionError(
      'The HTTP handler shared by the clients of a @cs/session Session cannot be re-configured from one client; ' +
        'give that client a requestHandler of its own in its options',
    );
  },
  destroy: () => undefined,
});

let shared: SessionRequestHandler | undefined;

/**
 * The process-wide shared handler, created on first use. Idle keep-alive sockets do not hold the
 * process open (Node's agent unrefs them).
 *
 * @internal
 */
export const sharedRequestHandler = (): SessionRequestHandler => {
  shared ??= nonDestroying(
    // NodeHttpHandler types its request with @smithy/core's HttpRequest class, @smithy/types with
    // the interface the class implements: the same object at run time.
    new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: SHARED_MAX_SOCKETS }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: SHARED_MAX_SOCKETS }),
    }) as unknown as SessionRequestHandler & HandlerExtras,
  );
  return shared;
};
