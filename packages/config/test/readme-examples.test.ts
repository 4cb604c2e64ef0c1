import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index';

// Every YAML example of the package README must load as written (its {{ }} intact: prettier once
// rewrote them into { { } }, which is no template).
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/** Values the schemas accept, for the variables that need a shape. */
const VALUES: Record<string, string> = {
  ROLE_ARN: 'arn:aws:iam::123456789012:role/App',
  REGION: 'eu-west-3',
  REDIS_URL: 'redis://localhost:6379',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
};

describe('the YAML examples of the README', () => {
  it('there are examples with templates, and no {{ }} was rewritten', () => {
    expect(blocks.filter((b) => b.includes('{{')).length).toBeGreaterThanOrEqual(2);
    expect(readme).not.toMatch(/\{ \{ *[A-Z_]/);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %i loads', (_n, block) => {
    const names = [...block.matchAll(/\{\{-?\s*([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string);
    const env = Object.fromEntries(names.map((n) => [n, VALUES[n] ?? `${n.toLowerCase()}-value`]));
    expect(() => parseConfig(block, { env })).not.toThrow();
  });

  it('the templating example gives the values its comments promise', () => {
    const block = blocks.find((b) => b.includes('default_region')) as string;
    expect(parseConfig(block, { env: { PROFILE: 'Ops', STAGE: 'PROD', MAX_COUNT: '40' } })).toEqual(
      {
        SessionParameters: { profile_name: 'ops', region_name: 'eu-west-1' },
        RateLimit: { max_count: 40, interval: 1, block: true },
      },
    );
    expect(parseConfig(block, { env: { REGION: 'us-east-2' } })).toEqual({
      SessionParameters: { profile_name: 'dev', region_name: 'us-east-2' },
      RateLimit: { max_count: 5, interval: 1 },
    });
  });
});
