import { EndpointConfigError } from '../errors';
import type { ServiceEndpoints } from '../types';
import { isKnownRegion } from './regions';

/** Lower-case letters and digits only, so `CloudWatch Logs`, `cloudwatch-logs` and `cloudwatchlogs` agree. */
export const normaliseService = (service: string): string =>
  service.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Checks an endpoint URL: http(s), a host, no user name or password. The message names the host
 * only: the URL may carry a secret.
 */
export function validateEndpointUrl(url: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EndpointConfigError(
      where,
      'not a URL; give an absolute http(s) URL such as https://host:port',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new EndpointConfigError(
      where,
      `protocol ${parsed.protocol} of the endpoint on host ${parsed.host} is not supported; use http: or https:`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new EndpointConfigError(
      where,
      `the endpoint on host ${parsed.host} carries a user name or password; remove them from the URL (credentials go in SessionParameters)`,
    );
  }
  if (parsed.hostname === '') throw new EndpointConfigError(where, 'the endpoint URL has no host');
  return url;
}

/** Checks every URL of a `ServiceEndpoints` map and an `EndpointUrl` up front. */
export function validateEndpoints(
  endpoints: ServiceEndpoints | undefined,
  endpointUrl: string | undefined,
): void {
  if (endpointUrl !== undefined) validateEndpointUrl(endpointUrl, 'EndpointUrl');
  for (const [service, entry] of Object.entries(endpoints ?? {})) {
    if (typeof entry === 'string') validateEndpointUrl(entry, `ServiceEndpoints.${service}`);
    else if (entry !== null && typeof entry === 'object') {
      for (const [region, url] of Object.entries(entry)) {
        if (typeof url !== 'string') {
          throw new EndpointConfigError(
            `ServiceEndpoints.${service}.${region}`,
            'must be a URL string',
          );
        }
        validateEndpointUrl(url, `ServiceEndpoints.${service}.${region}`);
      }
    } else {
      throw new EndpointConfigError(
        `ServiceEndpoints.${service}`,
        'must be a URL or a map from region name (or "*") to URL',
      );
    }
  }
}

/** The region a URL's host names (a dot-separated label that is a known region, or `region` itself). */
const regionNamedBy = (url: string, region: string): string | undefined => {
  const labels = new URL(url).hostname.split('.');
  if (labels.includes(region)) return region;
  return labels.find(isKnownRegion);
};

/** What the endpoint rules look at. */
export interface EndpointInputs {
  serviceEndpoints: ServiceEndpoints | undefined;
  endpointUrl: string | undefined;
  env: Record<string, string | undefined>;
}

const envEndpoint = (
  service: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined => {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  if (ignore !== undefined && ignore.toLowerCase() === 'true') return undefined;
  if (service !== undefined) {
    const wanted = normaliseService(service);
    for (const [name, value] of Object.entries(env)) {
      if (
        value &&
        name.startsWith('AWS_ENDPOINT_URL_') &&
        normaliseService(name.slice(17)) === wanted
      ) {
        return validateEndpointUrl(value, name);
      }
    }
  }
  const global = env.AWS_ENDPOINT_URL;
  return global ? validateEndpointUrl(global, 'AWS_ENDPOINT_URL') : undefined;
};

/**
 * The endpoint of a client of `service` in `region` by the endpoint rules (most specific first):
 * the service's entry for the region (a region map's entry for R; a URL that names no region or
 * names R), then the service's `'*'` entry, then `EndpointUrl`, then `AWS_ENDPOINT_URL_<SERVICE>`,
 * then `AWS_ENDPOINT_URL`; `undefined` means the SDK's default endpoint.
 */
export function resolveEndpoint(
  service: string | undefined,
  region: string | undefined,
  inputs: EndpointInputs,
): string | undefined {
  const entry =
    service === undefined
      ? undefined
      : Object.entries(inputs.serviceEndpoints ?? {}).find(
          ([name]) => normaliseService(name) === normaliseService(service),
        )?.[1];
  if (entry !== undefined && region !== undefined) {
    if (typeof entry === 'string') {
      const named = regionNamedBy(entry, region);
      if (named === undefined || named === region) return entry;
    } else {
      const forRegion = entry[region];
      if (forRegion !== undefined) {
        const named = regionNamedBy(forRegion, region);
        if (named === undefined || named === region) return forRegion;
      }
    }
  }
  if (entry !== undefined && typeof entry !== 'string' && entry['*'] !== undefined)
    return entry['*'];
  if (inputs.endpointUrl !== undefined) return inputs.endpointUrl;
  return envEndpoint(service, inputs.env);
}
