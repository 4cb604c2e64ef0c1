import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isConfigError, parseConfig, sectionNames, validateSection } from '../src/index';

// Random documents and random values into every section: only ConfigError ever comes out, and no
// secret of the environment appears in any message or warning.

const SECRET_NAMES = ['SECRET_A', 'SECRET_B', 'SECRET_C'] as const;

// Secrets with the characters that mean something in YAML, Jinja and JSON paths.
const secretArbitrary = fc
  .string({
    unit: fc.constantFrom(...'abcXYZ019:#&*!|>-[]{}\'",.%@`?/\\ \t'.split('')),
    minLength: 6,
    maxLength: 24,
  })
  .map((s) => `SECRETFIXTURE-Q${s}Z`);

const envArbitrary = fc.record({
  SECRET_A: secretArbitrary,
  SECRET_B: secretArbitrary,
  SECRET_C: secretArbitrary,
});

const placeholder = fc.constantFrom(
  ...SECRET_NAMES.map((n) => `{{${n}}}`),
  ...SECRET_NAMES.map((n) => `{{ ${n} | default('d') }}`),
  '{{ MISSING_VAR }}',
  "{{ MISSING_VAR | default('x') }}",
);

// Raw text from YAML-heavy pieces: structure, anchors, aliases, merge keys, section names.
const rawDocument = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: placeholder },
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          ...sectionNames,
          'YourApp',
          'max_count',
          'interval',
          'block',
          'RoleArn',
          'aws_secret_access_key',
          'Partitions',
          'aws',
          'Regions',
          'include',
          ': ',
          ':',
          '\n',
          '\n  ',
          '\n    ',
          '- ',
          '&a ',
          '*a',
          '<<: *a',
          '[',
          ']',
          '{',
          '}',
          ', ',
          '# c',
          '"',
          "'",
          '|',
          '>',
          '!!str ',
          '%',
          '~',
          'True',
          '10',
          '-1',
          'x',
          '{%',
          '%}',
          '{{',
          '}}',
        ),
      },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

// Random values, whose strings are sometimes placeholders, dumped as YAML under a section name.
const leafWithPlaceholders = fc.oneof(
  placeholder,
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 100_000 }),
  fc.boolean(),
  fc.constant(null),
);
const { value: randomValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafWithPlaceholders,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'max_count',
          'maxCount',
          'interval',
          'block',
          'Account',
          'RoleArn',
          'SessionParameters',
          'Partitions',
          'aws',
          'us-east-1',
          'RegionalAccounts',
          'Filter',
        ),
        placeholder,
        fc.string({ maxLength: 6 }),
      ),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
}));
const structuredDocument = fc
  .tuple(fc.constantFrom(...sectionNames), randomValue, fc.boolean())
  .map(([section, value, nested]) => {
    const document = nested ? { YourApp: { [section]: value } } : { [section]: value };
    return yaml.dump(document, { lineWidth: -1 });
  });

function assertSafe(run: () => unknown, secrets: readonly string[]): void {
  const warnings: string[] = [];
  try {
    run();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    for (const secret of secrets) {
      expect(error.message).not.toContain(secret);
      for (const problem of error.problems) {
        expect(JSON.stringify(problem)).not.toContain(JSON.stringify(secret).slice(1, -1));
      }
    }
  }
  for (const secret of secrets) for (const w of warnings) expect(w).not.toContain(secret);
}

describe('random input', () => {
  it('random YAML-like documents give a configuration or a ConfigError, never a secret', () => {
    fc.assert(
      fc.property(rawDocument, envArbitrary, (text, env) => {
        const warnings: string[] = [];
        assertSafe(
          () => parseConfig(text, { env, logger: { warn: (m) => warnings.push(m) } }),
          Object.values(env),
        );
        for (const secret of Object.values(env)) {
          for (const w of warnings) expect(w).not.toContain(secret);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('random values in every section give a configuration or a ConfigError, never a secret', () => {
    fc.assert(
      fc.property(structuredDocument, envArbitrary, (text, env) => {
        assertSafe(() => parseConfig(text, { env }), Object.values(env));
      }),
      { numRuns: 400 },
    );
  });

  it('random values given to validateSection of every section give a value or a ConfigError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sectionNames), randomValue, (section, value) => {
        assertSafe(() => validateSection(section, value), []);
      }),
      { numRuns: 400 },
    );
  });
});
