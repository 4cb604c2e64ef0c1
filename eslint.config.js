// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Deep imports bypass a package's `exports` map and its layer: import the package itself.
const deepImports = {
  group: ['@cs/*/src', '@cs/*/src/*', '@cs/*/dist', '@cs/*/dist/*'],
  message: 'Import the package entry point, never its src/ or dist/.',
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', 'docs/api/**'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // Keep disableTypeChecked's parser options (no project service for plain JavaScript).
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
  },
  {
    // Tests exercise the API with loose values on purpose.
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // One way to write a test: `it(...)` (and `it.each`, `it.skipIf`, ...), never `test(...)`.
      'no-restricted-imports': [
        'error',
        {
          patterns: [deepImports],
          paths: [
            {
              name: 'vitest',
              importNames: ['test'],
              message: 'Write tests with `it` (it.each, it.skipIf, ...), not `test`.',
            },
          ],
        },
      ],
    },
  },
);
