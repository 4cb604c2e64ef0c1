import { createHash } from 'node:crypto';
import type { Fixture, InstanceFixture, OrganizationalUnitFixture } from '../Fixture';
import { FixtureError, type FixtureIssue } from '../errors';
import { ALL_REGIONS, DEFAULT_REGIONS, isOptInRegion } from './regions';

/** @internal */
export interface UserModel {
  name: string;
  arn: string;
  userId: string;
  accountId: string;
  mfaSerial: string | undefined;
  mfaCode: string | undefined;
}

/** @internal */
export interface RoleModel {
  name: string;
  arn: string;
  roleId: string;
  accountId: string;
  trust: string[];
  trustWebIdentity: string[];
  externalId: string | undefined;
  mfaRequired: boolean;
  maxSessionDuration: number;
}

/** @internal */
export interface InstanceModel {
  id: string;
  type: string;
  state: string;
  tags: Record<string, string>;
  zone: string;
  launchTime: string;
}

/** @internal */
export interface AccountModel {
  id: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED';
  parentId: string | undefined;
  aliases: string[];
  regions: Set<string>;
  roles: Map<string, RoleModel>;
  instances: Map<string, InstanceModel[]>;
  /** The account's tags in the organisation (`ListTagsForResource`). */
  tags: Map<string, string>;
  /** Its S3 buckets (`ListBuckets`), sorted by name. */
  buckets: BucketModel[];
}

/** An S3 bucket. @internal */
export interface BucketModel {
  name: string;
  region: string;
  created: string;
}

/** Who signed a request: a user's long-term key or a session from `AssumeRole*`. @internal */
export interface Principal {
  accessKeyId: string;
  secret: string;
  accountId: string;
  arn: string;
  userId: string;
  /** Present for long-term keys. */
  user: UserModel | undefined;
  /** Present for session credentials. */
  sessionToken: string | undefined;
  expiresAt: number | undefined;
  /** The role ARN (`arn:aws:iam::...:role/x`) of a session. */
  roleArn: string | undefined;
}

/** @internal */
export interface OuModel {
  id: string;
  name: string;
  parentId: string;
}

/** @internal */
export interface OrganizationModel {
  id: string;
  rootId: string;
  managementAccountId: string;
  units: OuModel[];
}

/** The validated, indexed fixture, mutable at run time. @internal */
export interface Model {
  accounts: Map<string, AccountModel>;
  keys: Map<string, Principal>;
  organization: OrganizationModel | undefined;
  sessionLifetimeSeconds: number | undefined;
  webIdentityTokens: Map<string, { provider: string; subject: string }>;
}

const ACCOUNT_ID = /^\d{12}$/;
const NAME = /^[\w+=,.@-]{1,64}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCESS_KEY = /^[A-Z0-9]{16,128}$/;
const ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const STATES = new Set([
  'pending',
  'running',
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
]);

/** A stable pseudo-random id part, so that generated ids do not change between runs. @internal */
export const derive = (seed: string, length: number, alphabet = '0123456789abcdef'): string => {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i % digest.length]! % alphabet.length];
  return out;
};

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const asAccountId = (n: number): string => String(n).padStart(12, '0');

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a fixture (reporting every problem at once) and builds the model.
 * @throws FixtureError naming each bad field's path.
 * @internal
 */
export function buildModel(input: unknown, source = 'fixture'): Model {
  const issues: FixtureIssue[] = [];
  const bad = (path: string, message: string): void => void issues.push({ path, message });
  const model: Model = {
    accounts: new Map(),
    keys: new Map(),
    organization: undefined,
    sessionLifetimeSeconds: undefined,
    webIdentityTokens: new Map(),
  };
  if (!isRecord(input))
    throw new FixtureError([{ path: '(root)', message: 'must be an object' }], source);
  const fixture = input as Partial<Fixture> & Record<string, unknown>;
  const known = ['accounts', 'organization', 'sessionLifetimeSeconds', 'webIdentityTokens'];
  for (const key of Object.keys(fixture)) {
    if (!known.includes(key)) bad(key, `unknown field (known: ${known.join(', ')})`);
  }
  const optionalString = (v: unknown, path: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') bad(path, 'must be a non-empty string');
    return typeof v === 'string' ? v : undefined;
  };
  const stringList = (v: unknown, path: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      bad(path, 'must be a list of strings');
      return [];
    }
    return v.filter((item, i) => {
      if (typeof item === 'string' && item !== '') return true;
      bad(`${path}[${i}]`, 'must be a non-empty string');
      return false;
    }) as string[];
  };

  if (fixture.sessionLifetimeSeconds !== undefined) {
    const s = fixture.sessionLifetimeSeconds;
    if (typeof s !== 'number' || !(s > 0) || !Number.isFinite(s)) {
      bad('sessionLifetimeSeconds', 'must be a positive number of seconds');
    } else model.sessionLifetimeSeconds = s;
  }

  if (fixture.webIdentityTokens !== undefined) {
    if (!Array.isArray(fixture.webIdentityTokens)) bad('webIdentityTokens', 'must be a list');
    else
      fixture.webIdentityTokens.forEach((t: unknown, i) => {
        const path = `webIdentityTokens[${i}]`;
        if (!isRecord(t)) return bad(path, 'must be an object with token and provider');
        const token = optionalString(t.token, `${path}.token`);
        const provider = optionalString(t.provider, `${path}.provider`);
        if (token === undefined) bad(`${path}.token`, 'is required');
        if (provider === undefined) bad(`${path}.provider`, 'is required');
        if (token !== undefined && provider !== undefined) {
          model.webIdentityTokens.set(token, {
            provider,
            subject: optionalString(t.subject, `${path}.subject`) ?? 'subject',
          });
        }
      });
  }

  const parents: { path: string; accountId: string; parent: string }[] = [];
  const seenBuckets = new Set<string>();
  if (!Array.isArray(fixture.accounts) || fixture.accounts.length === 0) {
    bad('accounts', 'must be a non-empty list of accounts');
  } else {
    fixture.accounts.forEach((a: unknown, ai) => {
      const path = `accounts[${ai}]`;
      if (!isRecord(a)) return bad(path, 'must be an object');
      const id = typeof a.id === 'number' ? asAccountId(a.id) : a.id;
      if (typeof id !== 'string' || !ACCOUNT_ID.test(id)) {
        return bad(`${path}.id`, 'must be a 12-digit account id (quote it in YAML)');
      }
      if (model.accounts.has(id)) return bad(`${path}.id`, `duplicate account id ${id}`);
      const status = a.status ?? 'ACTIVE';
      if (status !== 'ACTIVE' && status !== 'SUSPENDED')
        bad(`${path}.status`, 'must be ACTIVE or SUSPENDED');
      const aliases = stringList(a.aliases, `${path}.aliases`);
      aliases.forEach((alias, i) => {
        if (!ALIAS.test(alias))
          bad(`${path}.aliases[${i}]`, 'must be 3-63 lowercase letters, digits or single hyphens');
      });
      const regions = new Set(
        a.regions === undefined ? DEFAULT_REGIONS : stringList(a.regions, `${path}.regions`),
      );
      for (const r of stringList(a.optInRegions, `${path}.optInRegions`)) {
        if (!isOptInRegion(r)) bad(`${path}.optInRegions`, `${r} is not an opt-in region`);
        regions.add(r);
      }
      for (const r of regions)
        if (!ALL_REGIONS.has(r)) bad(`${path}.regions`, `unknown region ${r}`);
      if (a.parent !== undefined) {
        const parent = optionalString(a.parent, `${path}.parent`);
        if (parent !== undefined) parents.push({ path: `${path}.parent`, accountId: id, parent });
      }
      const account: AccountModel = {
        id,
        name: optionalString(a.name, `${path}.name`) ?? `account-${id}`,
        email: optionalString(a.email, `${path}.email`) ?? `${id}@example.com`,
        status: status === 'SUSPENDED' ? 'SUSPENDED' : 'ACTIVE',
        parentId: undefined,
        aliases: aliases.slice(0, 1),
        regions,
        roles: new Map(),
        instances: new Map(),
        tags: new Map(),
        buckets: [],
      };
      if (a.buckets !== undefined && !Array.isArray(a.buckets))
        bad(`${path}.buckets`, 'must be a list');
      (Array.isArray(a.buckets) ? a.buckets : []).forEach((b: unknown, bi) => {
        const bpath = `${path}.buckets[${bi}]`;
        const spec = typeof b === 'string' ? { name: b } : b;
        if (!isRecord(spec)) return bad(bpath, 'must be a bucket name or { name, region }');
        const name = optionalString(spec.name, `${bpath}.name`);
        if (name === undefined || !BUCKET.test(name))
          return bad(`${bpath}.name`, 'must be a bucket name (3-63 of a-z, 0-9, ".", "-")');
        const region = optionalString(spec.region, `${bpath}.region`) ?? 'us-east-1';
        if (!ALL_REGIONS.has(region)) return bad(`${bpath}.region`, `unknown region ${region}`);
        if (seenBuckets.has(name))
          return bad(`${bpath}.name`, `bucket ${name} exists already (bucket names are global)`);
        seenBuckets.add(name);
        account.buckets.push({
          name,
          region,
          created: new Date(EPOCH + bi * 86_400_000).toISOString(),
        });
      });
      account.buckets.sort((x, y) => (x.name < y.name ? -1 : 1));
      if (a.tags !== undefined) {
        if (!isRecord(a.tags) || Object.values(a.tags).some((v) => typeof v !== 'string')) {
          bad(`${path}.tags`, 'must be a map of strings');
        } else {
          for (const [key, value] of Object.entries(a.tags)) account.tags.set(key, value as string);
        }
      }
      if (aliases.length > 1) bad(`${path}.aliases`, 'AWS allows one alias per account');

      if (a.users !== undefined && !Array.isArray(a.users)) bad(`${path}.users`, 'must be a list');
      (Array.isArray(a.users) ? a.users : []).forEach((u: unknown, ui) => {
        const upath = `${path}.users[${ui}]`;
        if (!isRecord(u)) return bad(upath, 'must be an object');
        const name = optionalString(u.name, `${upath}.name`);
        if (name === undefined || !NAME.test(name))
          return bad(`${upath}.name`, 'must be a user name ([\\w+=,.@-], 1-64)');
        const user: UserModel = {
          name,
          arn: `arn:aws:iam::${id}:user/${name}`,
          userId: `AIDA${derive(`${id}/${name}`, 17, UPPER)}`,
          accountId: id,
          mfaSerial: optionalString(u.mfaSerial, `${upath}.mfaSerial`),
          mfaCode: optionalString(u.mfaCode, `${upath}.mfaCode`),
        };
        if ((user.mfaSerial === undefined) !== (user.mfaCode === undefined)) {
          bad(`${upath}.mfaCode`, 'mfaSerial and mfaCode go together');
        }
        if (!Array.isArray(u.accessKeys))
          return bad(`${upath}.accessKeys`, 'must be a list of { accessKeyId, secretAccessKey }');
        u.accessKeys.forEach((k: unknown, ki) => {
          const kpath = `${upath}.accessKeys[${ki}]`;
          if (!isRecord(k)) return bad(kpath, 'must be an object');
          const keyId = k.accessKeyId;
          const secret = k.secretAccessKey;
          if (typeof keyId !== 'string' || !ACCESS_KEY.test(keyId)) {
            return bad(
              `${kpath}.accessKeyId`,
              'must be 16+ uppercase letters and digits (such as AKIAFIXTURE0000001)',
            );
          }
          if (typeof secret !== 'string' || secret.length < 8)
            return bad(`${kpath}.secretAccessKey`, 'must be a string of 8+ characters');
          if (model.keys.has(keyId)) return bad(`${kpath}.accessKeyId`, 'duplicate access key id');
          model.keys.set(keyId, {
            accessKeyId: keyId,
            secret,
            accountId: id,
            arn: user.arn,
            userId: user.userId,
            user,
            sessionToken: undefined,
            expiresAt: undefined,
            roleArn: undefined,
          });
        });
      });

      if (a.roles !== undefined && !Array.isArray(a.roles)) bad(`${path}.roles`, 'must be a list');
      (Array.isArray(a.roles) ? a.roles : []).forEach((r: unknown, ri) => {
        const rpath = `${path}.roles[${ri}]`;
        if (!isRecord(r)) return bad(rpath, 'must be an object');
        const name = optionalString(r.name, `${rpath}.name`);
        if (name === undefined || !NAME.test(name))
          return bad(`${rpath}.name`, 'must be a role name ([\\w+=,.@-], 1-64)');
        // An unquoted account id in YAML is a number: take it as the id it means.
        const trust = stringList(
          Array.isArray(r.trust)
            ? r.trust.map((t: unknown) => (typeof t === 'number' ? asAccountId(t) : t))
            : r.trust,
          `${rpath}.trust`,
        );
        trust.forEach((t, ti) => {
          if (
            t !== '*' &&
            !ACCOUNT_ID.test(t) &&
            !/^arn:aws:(iam|sts)::\d{12}:(root|user\/.+|role\/.+|assumed-role\/.+)$/.test(t)
          ) {
            bad(`${rpath}.trust[${ti}]`, `"${t}" is not an account id, a principal ARN or '*'`);
          }
        });
        const max = r.maxSessionDuration ?? 3600;
        if (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200) {
          bad(`${rpath}.maxSessionDuration`, 'must be an integer from 3600 to 43200 seconds');
        }
        if (r.mfaRequired !== undefined && typeof r.mfaRequired !== 'boolean')
          bad(`${rpath}.mfaRequired`, 'must be true or false');
        const role: RoleModel = {
          name,
          arn: `arn:aws:iam::${id}:role/${name}`,
          roleId: `AROA${derive(`${id}/role/${name}`, 17, UPPER)}`,
          accountId: id,
          trust,
          trustWebIdentity: stringList(r.trustWebIdentity, `${rpath}.trustWebIdentity`),
          externalId: optionalString(r.externalId, `${rpath}.externalId`),
          mfaRequired: r.mfaRequired === true,
          maxSessionDuration: typeof max === 'number' ? max : 3600,
        };
        if (account.roles.has(name)) bad(`${rpath}.name`, `duplicate role ${name}`);
        account.roles.set(name, role);
      });

      if (a.instances !== undefined) {
        if (!isRecord(a.instances))
          bad(`${path}.instances`, 'must be a map of region to a count or a list');
        else
          for (const [region, spec] of Object.entries(a.instances)) {
            const ipath = `${path}.instances.${region}`;
            if (!ALL_REGIONS.has(region)) bad(ipath, `unknown region ${region}`);
            const list = buildInstances(id, region, spec, ipath, bad);
            if (list) account.instances.set(region, list);
          }
      }
      model.accounts.set(id, account);
    });
  }

  if (fixture.organization !== undefined) {
    const o: unknown = fixture.organization;
    if (!isRecord(o)) bad('organization', 'must be an object');
    else {
      const mgmt =
        typeof o.managementAccountId === 'number'
          ? asAccountId(o.managementAccountId)
          : o.managementAccountId;
      if (typeof mgmt !== 'string' || !model.accounts.has(mgmt)) {
        bad('organization.managementAccountId', 'must be the id of one of the accounts');
      }
      const orgId =
        optionalString(o.id, 'organization.id') ??
        `o-${derive(String(mgmt), 10, '0123456789abcdefghijklmnopqrstuvwxyz')}`;
      if (!ORG_ID.test(orgId)) bad('organization.id', 'must look like o-abcdef1234');
      const rootId =
        optionalString(o.rootId, 'organization.rootId') ??
        `r-${derive(orgId, 4, '0123456789abcdefghijklmnopqrstuvwxyz')}`;
      if (!ROOT_ID.test(rootId)) bad('organization.rootId', 'must look like r-ab12');
      const units: OuModel[] = [];
      const walk = (list: unknown, parentId: string, path: string, namePath: string): void => {
        if (list === undefined) return;
        if (!Array.isArray(list)) return bad(path, 'must be a list of { name, id?, children? }');
        list.forEach((u: unknown, i) => {
          const upath = `${path}[${i}]`;
          if (!isRecord(u)) return bad(upath, 'must be an object');
          const name = optionalString(u.name, `${upath}.name`);
          if (name === undefined) return bad(`${upath}.name`, 'is required');
          const ouId =
            optionalString((u as Partial<OrganizationalUnitFixture>).id, `${upath}.id`) ??
            `ou-${rootId.slice(2)}-${derive(`${namePath}/${name}`, 8, '0123456789abcdefghijklmnopqrstuvwxyz')}`;
          if (!OU_ID.test(ouId)) bad(`${upath}.id`, 'must look like ou-ab12-abcd1234');
          if (units.some((x) => x.id === ouId)) bad(`${upath}.id`, `duplicate unit id ${ouId}`);
          units.push({ id: ouId, name, parentId });
          walk(u.children, ouId, `${upath}.children`, `${namePath}/${name}`);
        });
      };
      walk(o.units, rootId, 'organization.units', '');
      model.organization = { id: orgId, rootId, managementAccountId: String(mgmt), units };
      for (const account of model.accounts.values()) account.parentId = rootId;
      for (const p of parents) {
        const matches = units.filter((u) => u.id === p.parent || u.name === p.parent);
        if (matches.length !== 1) {
          bad(
            p.path,
            matches.length === 0
              ? `no organizational unit named or with id "${p.parent}"`
              : `"${p.parent}" names several units: use the id`,
          );
        } else model.accounts.get(p.accountId)!.parentId = matches[0]!.id;
      }
    }
  } else if (parents.length > 0) {
    bad(parents[0]!.path, 'a parent needs an organization');
  }

  if (issues.length > 0) throw new FixtureError(issues, source);
  return model;
}

const EPOCH = Date.UTC(2024, 0, 1);

function buildInstances(
  accountId: string,
  region: string,
  spec: unknown,
  path: string,
  bad: (path: string, message: string) => void,
): InstanceModel[] | undefined {
  const zones = ['a', 'b', 'c'];
  const make = (i: number, f: InstanceFixture): InstanceModel => {
    const id = f.id ?? `i-${derive(`${accountId}/${region}/${i}`, 17)}`;
    return {
      id,
      type: f.type ?? 't3.micro',
      state: f.state ?? 'running',
      tags: f.tags ?? { Name: id },
      zone: `${region}${zones[i % 3]}`,
      launchTime: new Date(EPOCH + i * 3_600_000).toISOString(),
    };
  };
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0 || spec > 100_000) {
      bad(path, 'must be a count from 0 to 100000 or a list of instances');
      return undefined;
    }
    return Array.from({ length: spec }, (_, i) => make(i, {}));
  }
  if (!Array.isArray(spec)) {
    bad(path, 'must be a count or a list of instances');
    return undefined;
  }
  return spec.map((f: unknown, i) => {
    const ipath = `${path}[${i}]`;
    if (!isRecord(f)) {
      bad(ipath, 'must be an object');
      return make(i, {});
    }
    if (f.id !== undefined && (typeof f.id !== 'string' || !INSTANCE_ID.test(f.id)))
      bad(`${ipath}.id`, 'must look like i-0123456789abcdef0');
    if (f.state !== undefined && !STATES.has(f.state as string))
      bad(`${ipath}.state`, `must be one of ${[...STATES].join(', ')}`);
    if (f.type !== undefined && typeof f.type !== 'string')
      bad(`${ipath}.type`, 'must be a string');
    if (
      f.tags !== undefined &&
      (!isRecord(f.tags) || Object.values(f.tags).some((v) => typeof v !== 'string'))
    ) {
      bad(`${ipath}.tags`, 'must be a map of strings');
    }
    return make(i, f);
  });
}
