import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { SectionName } from '../src/index';
import { documentSchema, parseConfig, sectionNames, validateSection } from '../src/index';
import { ajvOptions, validatorIds, validatorsInput } from '../src/parse/ajvOptions';
import * as generated from '../src/parse/generated/validators';
import type { GeneratedValidator } from '../src/parse/generated/validators';
import { configErrorOf } from './helpers';

// The validators are generated at build time (scripts/generate-validators.mjs, ajv's standalone
// code). These tests hold them to ajv compiling the same schema with the same options at run time,
// and check that the package itself never compiles a schema.

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const ids = validatorIds(documentSchema.$id, sectionNames);
const names = Object.keys(ids) as (SectionName | 'document')[];
const generatedByName = generated as unknown as Record<string, GeneratedValidator>;

let runtimeAjv: Ajv | undefined;
/** The validator ajv compiles at run time from the current schema, with the package's options. */
function compiledAtRunTime(name: string): ValidateFunction {
  runtimeAjv ??= new Ajv(ajvOptions).addSchema(documentSchema);
  const validate = runtimeAjv.getSchema(ids[name] as string);
  if (validate === undefined) throw new Error(`no schema at ${ids[name]}`);
  return validate;
}

/** What a validator says about a value: valid or not, and every error ajv reports. */
function verdict(validate: GeneratedValidator | ValidateFunction, value: unknown) {
  const valid = validate(value);
  return { valid, errors: valid ? null : validate.errors };
}

const assumeRole = { RoleArn: 'arn:aws:iam::123456789012:role/ReadOnly' };
const account = { SessionParameters: { region_name: 'us-east-1' }, AssumeRole: assumeRole };
const rateLimit = { max_count: 10, interval: '1s', block: true };

/** Valid and invalid values of every section, each invalid one for a different keyword. */
const samples: Record<SectionName | 'document', { valid: unknown[]; invalid: unknown[] }> = {
  SessionParameters: {
    valid: [{}, { accessKeyId: 'AKIA', secretAccessKey: 'x', region: 'eu-west-1' }],
    invalid: [
      { aws_access_key_id: 'a', accessKeyId: 'b' },
      { region_name: 'nowhere' },
      { profile: '' },
      { regoin_name: 'us-east-1' },
      { EndpointUrl: 'ftp://x' },
      [],
    ],
  },
  ServiceEndpoints: {
    valid: [{ sts: 'https://sts.local' }, { sqs: { '*': 'http://q', 'us-east-1': 'https://q' } }],
    invalid: [{ STS: 'https://x' }, { sqs: { nowhere: 'https://q' } }, { ec2: 3 }, { ec2: 'x' }],
  },
  AssumeRole: {
    valid: [assumeRole, { ...assumeRole, DurationSeconds: 900, Tags: [{ Key: 'k', Value: '' }] }],
    invalid: [
      {},
      { RoleArn: 'role' },
      { ...assumeRole, DurationSeconds: 60 },
      { ...assumeRole, DurationSeconds: 1.5 },
      { ...assumeRole, method: 'AssumeRole', sts_method: 'assume_role' },
      { ...assumeRole, method: 'Guess' },
      { ...assumeRole, PolicyArns: [{}], Tags: [{ Key: '' }] },
    ],
  },
  AssumeRoles: {
    valid: [[assumeRole, assumeRole]],
    invalid: [[], [{}], assumeRole],
  },
  Account: {
    valid: [{}, account, { AssumeRoles: [assumeRole] }],
    invalid: [{ AssumeRole: {} }, { SessionParameters: { region: 'x' } }, { Acount: {} }, null],
  },
  RateLimit: {
    valid: [rateLimit, { maxCount: 0, interval: 0.5 }, { store: { redis: { url: 'redis://h' } } }],
    invalid: [
      { max_count: 1, maxCount: 1 },
      { max_count: -1 },
      { interval: '5 fortnights' },
      { interval: -2 },
      { block: 'yes' },
      { store: { redis: {} } },
      { max_cuont: 1 },
    ],
  },
  RateLimitRegionSpec: {
    valid: [{ 'us-east-1': rateLimit }],
    invalid: [{ 'US-EAST-1': rateLimit }, { 'us-east-1': { max_count: 'many' } }],
  },
  RateLimitOperationSpec: {
    valid: [{ iam: rateLimit, 'iam:ListRoles': { maxCount: 1 } }],
    invalid: [{ 'IAM:list': rateLimit }, { iam: [] }],
  },
  Filter: {
    valid: [
      {},
      { Partitions: null },
      { Partitions: { aws: { Regions: { include: ['us-*'], exclude: 'eu-??st-1' } } } },
      { Partitions: { 'aws-cn': null }, Discover: true },
    ],
    invalid: [
      { Partitions: { azure: {} } },
      { Partitions: { aws: { Regions: { include: 'US EAST' } } } },
      { Partitions: { aws: { Regions: { include: [1] } } } },
      { Partitions: { aws: { Region: {} } } },
      { Discover: 'true' },
    ],
  },
  Organization: {
    valid: [{ Account: account }, { Account: {}, OUs: ['ou-ab12-cdef3456'], include: ['1*'] }],
    invalid: [{}, { Account: {}, RoleName: 'a b' }, { Account: {}, OUs: [''] }, { Account: 1 }],
  },
  RegionalAccount: {
    valid: [{ Account: account, region_name: 'us-east-1', RateLimit: rateLimit, Adaptive: true }],
    invalid: [
      { region: 'us-east-1' },
      { Account: {}, region: 'us-east-1', region_name: 'us-east-1' },
      { Account: {}, Adaptive: { decrease: 1 } },
      { Account: {}, MaxAttempts: 0 },
    ],
  },
  RegionalAccounts: {
    valid: [{ Account: account }, { Organization: { Account: {} }, Filter: {} }],
    invalid: [
      {},
      { Account: {}, Organization: { Account: {} } },
      { Account: {}, service: 'EC2' },
      { Account: {}, RateLimitRegionSpec: { nowhere: rateLimit } },
    ],
  },
  RegionalAccountSet: {
    valid: [[{ RegionalAccounts: { Account: account, RateLimit: rateLimit } }]],
    invalid: [[], [{}], [{ RegionalAccounts: {}, Extra: 1 }], { RegionalAccounts: {} }],
  },
  document: {
    valid: [{}, { App: { RegionalAccountSet: [{ RegionalAccounts: { Account: {} } }] } }],
    invalid: [
      { RateLimit: { max_count: 'x' } },
      { App: { deep: [{ Account: { AssumeRole: {} } }] } },
      { App: { RegionalAccountSet: [{ RegionalAccounts: {} }] }, Filter: { Discover: 1 } },
      [],
    ],
  },
};

/** Every key the schemas name, and a few near misses, for random values. */
function keysOf(schema: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keysOf(item, keys);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') for (const name of Object.keys(value as object)) keys.add(name);
      keysOf(value, keys);
    }
  }
  return keys;
}
const schemaKeys = [...keysOf(documentSchema), 'aws', 'us-east-1', 'iam:ListRoles', 'Unknown'];
const scalar = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    'us-east-1',
    'us-*',
    '1s',
    'ten',
    'https://h',
    'redis://h',
    'arn:aws:iam::123456789012:role/R',
    'AssumeRole',
    '123456',
  ),
  fc.constantFrom(-1, 0, 0.5, 1, 10, 900, 50_000),
  fc.boolean(),
  fc.constant(null),
);
const { value: randomValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...schemaKeys), tie('value'), { maxKeys: 4 }),
  ),
}));

describe('the validators generated at build time', () => {
  it('were generated from the current schemas and ajv options (else run pnpm run build)', () => {
    const current = createHash('sha256').update(validatorsInput(documentSchema)).digest('hex');
    expect(
      generated.sourceSha256,
      'src/parse/generated/validators.js is older than the schemas: run `pnpm run build` in packages/config',
    ).toBe(current);
    expect(Object.keys(generated).sort()).toEqual([...names, 'sourceSha256'].sort());
  });

  it.each(names)(
    '%s: accepts the valid samples, rejects the invalid ones, with the same errors as ajv at run time',
    (name) => {
      const runtime = compiledAtRunTime(name);
      const built = generatedByName[name] as GeneratedValidator;
      for (const value of samples[name].valid) {
        expect(verdict(built, value), JSON.stringify(value)).toEqual({ valid: true, errors: null });
        expect(verdict(runtime, value).valid).toBe(true);
      }
      for (const value of samples[name].invalid) {
        const expected = verdict(runtime, value);
        expect(expected.valid, JSON.stringify(value)).toBe(false);
        expect(verdict(built, value), JSON.stringify(value)).toEqual(expected);
      }
    },
  );

  it('report the same errors as ajv at run time on random values of every section', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), randomValue, (name, value) => {
        expect(verdict(generatedByName[name] as GeneratedValidator, value)).toEqual(
          verdict(compiledAtRunTime(name), value),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('no schema is compiled at run time', () => {
  it('parsing a document and validating every section never calls ajv’s compiler', () => {
    // Every Ajv compilation (compile, getSchema, validate with a schema) goes through this export.
    const compiler = createRequire(import.meta.url)('ajv/dist/compile/index.js') as {
      compileSchema: (...args: unknown[]) => unknown;
    };
    const compileSchema = vi.spyOn(compiler, 'compileSchema');
    new Ajv(ajvOptions).compile({ type: 'string' });
    expect(compileSchema, 'the spy sees a compilation').toHaveBeenCalled();
    compileSchema.mockClear();

    parseConfig('App:\n  RateLimit: { max_count: 10, interval: 1s }\n');
    configErrorOf(() => parseConfig('App:\n  RateLimit: { max_count: ten }\n'));
    for (const name of sectionNames) {
      const [valid] = samples[name].valid;
      validateSection(name, structuredClone(valid));
      configErrorOf(() => validateSection(name, structuredClone(samples[name].invalid[0])));
    }
    expect(compileSchema).not.toHaveBeenCalled();
  });

  it('the package’s run-time code imports nothing from ajv', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      logLevel: 'error',
    });
    const imported = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.map((i) => i.path),
    );
    expect(imported.filter((path) => /^ajv(\/|$)/.test(path))).toEqual([]);
    expect(imported.some((path) => path.endsWith('generated/validators.js'))).toBe(true);
  });

  it('the built ESM and CommonJS entry points report the same problems and load no ajv module', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      expect(existsSync(new URL(`../${file}`, import.meta.url)), `run pnpm run build`).toBe(true);
    }
    const text = 'App:\n  RateLimit: { max_count: ten, intervall: 1 }\n';
    const expected = configErrorOf(() => parseConfig(text)).message;
    const script = (load: string) => `
      (async () => {
        const { parseConfig } = await ${load};
        let message = '';
        try { parseConfig(${JSON.stringify(text)}); } catch (error) { message = error.message; }
        const ajv = Object.keys(require.cache).filter((path) => path.includes('/ajv/'));
        console.log(JSON.stringify({ message, ajv }));
      })();`;
    for (const load of ["import('./dist/index.js')", "require('./dist/index.cjs')"]) {
      const run = spawnSync(process.execPath, ['-e', script(load)], {
        cwd: packageDir,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout), load).toEqual({ message: expected, ajv: [] });
    }
  });
});
