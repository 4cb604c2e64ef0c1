import type { Call, Handler } from './Call';
import type { InstanceModel } from './model';
import { ALL_REGIONS, isOptInRegion } from './regions';
import { failure, xml, xmlReply, type ApiFailure } from './wire';

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const SORTED_REGIONS = [...ALL_REGIONS].sort();

/** `Prefix.1`, `Prefix.2`, ... of an ec2Query request, in order. */
function list(query: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = query.get(`${prefix}.${i}`);
    if (value === null) return out;
    out.push(value);
  }
}

/** `Filter.N.Name` and `Filter.N.Value.M`. */
function filters(query: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 1; ; i++) {
    const name = query.get(`Filter.${i}.Name`);
    if (name === null) return out;
    out.set(name, [...(out.get(name) ?? []), ...list(query, `Filter.${i}.Value`)]);
  }
}

const badFilter = (name: string): ApiFailure =>
  failure(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);

const optInStatus = (call: Call, region: string): string =>
  !isOptInRegion(region)
    ? 'opt-in-not-required'
    : call.account!.regions.has(region)
      ? 'opted-in'
      : 'not-opted-in';

const describeRegions: Handler = (call) => {
  const all = call.query.get('AllRegions') === 'true';
  const names = list(call.query, 'RegionName');
  const unknown = names.filter((n) => !ALL_REGIONS.has(n));
  if (unknown.length > 0) {
    return failure(400, 'InvalidParameterValue', `Invalid region names: [${unknown.join(', ')}]`);
  }
  let regions = all ? SORTED_REGIONS : SORTED_REGIONS.filter((r) => call.account!.regions.has(r));
  if (names.length > 0) regions = regions.filter((r) => names.includes(r));
  for (const [name, values] of filters(call.query)) {
    if (name === 'region-name') regions = regions.filter((r) => values.includes(r));
    else if (name === 'opt-in-status')
      regions = regions.filter((r) => values.includes(optInStatus(call, r)));
    else if (name === 'endpoint')
      regions = regions.filter((r) => values.includes(`ec2.${r}.amazonaws.com`));
    else return badFilter(name);
  }
  const items = regions
    .map(
      (r) =>
        `<item><regionName>${r}</regionName><regionEndpoint>ec2.${r}.amazonaws.com</regionEndpoint><optInStatus>${optInStatus(call, r)}</optInStatus></item>`,
    )
    .join('');
  return xmlReply('ec2', 'DescribeRegions', `<regionInfo>${items}</regionInfo>`, call.requestId);
};

const instanceXml = (i: InstanceModel): string =>
  `<instanceId>${i.id}</instanceId><imageId>ami-0abcdef1234567890</imageId>` +
  `<instanceState><code>${STATE_CODES[i.state] ?? 16}</code><name>${i.state}</name></instanceState>` +
  `<instanceType>${xml(i.type)}</instanceType><launchTime>${i.launchTime}</launchTime>` +
  `<placement><availabilityZone>${i.zone}</availabilityZone><tenancy>default</tenancy></placement>` +
  `<tagSet>${Object.entries(i.tags)
    .map(([k, v]) => `<item><key>${xml(k)}</key><value>${xml(v)}</value></item>`)
    .join('')}</tagSet>`;

/** Opaque, but checkable: the offset bound to the account and region it came from. */
const token = (call: Call, offset: number): string =>
  Buffer.from(`${call.account!.id}|${call.region}|${offset}`).toString('base64url');

function offsetOf(call: Call, text: string | null): number | ApiFailure {
  if (text === null || text === '') return 0;
  const [account, region, offset] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const n = Number(offset);
  if (account !== call.account!.id || region !== call.region || !Number.isInteger(n) || n < 0) {
    return failure(400, 'InvalidPaginationToken', `Invalid pagination token '${text}'`);
  }
  return n;
}

const describeInstances: Handler = (call) => {
  const q = call.query;
  let instances = call.account!.instances.get(call.region) ?? [];
  const ids = list(q, 'InstanceId');
  const maxText = q.get('MaxResults');
  if (ids.length > 0 && maxText !== null) {
    return failure(
      400,
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  for (const id of ids) {
    if (!INSTANCE_ID.test(id))
      return failure(400, 'InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  }
  if (ids.length > 0) {
    const missing = ids.filter((id) => !instances.some((i) => i.id === id));
    if (missing.length > 0) {
      return failure(
        400,
        'InvalidInstanceID.NotFound',
        `The instance ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' do${missing.length > 1 ? '' : 'es'} not exist`,
      );
    }
    instances = instances.filter((i) => ids.includes(i.id));
  }
  for (const [name, values] of filters(q)) {
    if (name === 'instance-id') instances = instances.filter((i) => values.includes(i.id));
    else if (name === 'instance-state-name')
      instances = instances.filter((i) => values.includes(i.state));
    else if (name === 'instance-type') instances = instances.filter((i) => values.includes(i.type));
    else if (name.startsWith('tag:')) {
      const key = name.slice(4);
      instances = instances.filter(
        (i) => Object.hasOwn(i.tags, key) && values.includes(i.tags[key]!),
      );
    } else return badFilter(name);
  }
  let max = instances.length;
  if (maxText !== null) {
    max = Number(maxText);
    if (!Number.isInteger(max) || max < 5 || max > 1000) {
      return failure(
        400,
        'InvalidParameterValue',
        `Value (${maxText}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
  }
  const offset = offsetOf(call, q.get('NextToken'));
  if (typeof offset !== 'number') return offset;
  const page = instances.slice(offset, offset + max);
  const next =
    offset + max < instances.length ? `<nextToken>${token(call, offset + max)}</nextToken>` : '';
  const owner = call.account!.id;
  const items = page
    .map(
      (i) =>
        `<item><reservationId>r-${i.id.slice(2)}</reservationId><ownerId>${owner}</ownerId><groupSet/><instancesSet><item>${instanceXml(i)}</item></instancesSet></item>`,
    )
    .join('');
  return xmlReply(
    'ec2',
    'DescribeInstances',
    `<reservationSet>${items}</reservationSet>${next}`,
    call.requestId,
  );
};

/** EC2 operations by name. @internal */
export const ec2Handlers: ReadonlyMap<string, Handler> = new Map([
  ['DescribeRegions', describeRegions],
  ['DescribeInstances', describeInstances],
]);
