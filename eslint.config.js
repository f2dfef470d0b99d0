// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Time comes from one injected clock (src/common/clock.ts): a read of the machine's time
 * anywhere else makes a result depend on the day it runs. Durations use `monotonicMs`.
 */
const SQL_CLOCK = '/\\bnow\\(\\)|\\b(current_(timestamp|date|time)|localtime(stamp)?|(clock|statement|transaction)_timestamp)\\b/i';
const CLOCK_READS = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "Date.now(): ask the injected clock for a date, or monotonicMs() for a duration (src/common/clock.ts)" },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date(): ask the injected clock (src/common/clock.ts)' },
  { selector: "CallExpression[callee.name='Date']", message: 'Date(): ask the injected clock (src/common/clock.ts)' },
  { selector: `TemplateElement[value.raw=${SQL_CLOCK}]`, message: "SQL's clock: pass the time from the injected clock as a parameter (src/common/clock.ts)" },
  { selector: `Literal[value=${SQL_CLOCK}]`, message: "SQL's clock: pass the time from the injected clock as a parameter (src/common/clock.ts)" },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', 'console/src/generated/', 'console/dist/', 'data/', 'coverage/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-syntax': ['error', ...CLOCK_READS],
    },
  },
  // A connector knows the hub only through the connector SDK, and the upstream world its sandbox
  // serves; it never imports the store, the demo or a test's helpers.
  {
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '/(src/(?!ingest/sdk\\.js$|world/index\\.js$)|test/)',
          message: 'a connector imports only the connector SDK (src/ingest/sdk.ts) and the upstream world (src/world/index.ts)',
        }],
      }],
    },
  },
  // The upstream world knows nothing of the hub that reads it.
  {
    files: ['src/world/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/store/**', '**/graphql/**', '**/ingest/**', '**/demo/**', '**/risk/**', '**/monitoring/**', '**/origination/**', '**/connectors/**', 'kysely', 'pg'],
          message: 'the upstream world is pure data about enterprises: it knows nothing of the hub',
        }],
      }],
    },
  },
  // The one module that reads the machine's time; and the migrations that gave columns the
  // server's clock as a default, history that 0014-times-from-the-clock undoes.
  {
    files: ['src/common/clock.ts', 'eslint.config.js', 'src/store/migrations/000{1,2,6}-*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
