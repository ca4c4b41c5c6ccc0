// ESLint 9 flat config. Deliberately not type-aware: type-aware rules need a full TypeScript
// program per run, which is minutes on a 2-core CI box; `npm run typecheck` covers types.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The dependency direction of docs/architecture.md, lower rank first. A lib may import libs of
// a lower rank; libs of the same rank (tenancy/auth, ingest/promql, notify/oncall, …) may import
// each other in one direction only, which Nx's circular-dependency check enforces.
const layerRank = {
  config: 0,
  db: 1,
  queue: 1,
  graphql: 1,
  tenancy: 2,
  auth: 2,
  tsdb: 3,
  ingest: 4,
  promql: 4,
  alerting: 5,
  probes: 5,
  notify: 6,
  oncall: 6,
};
const tag = (lib) => `layer:${lib}`;
const allLibTags = Object.keys(layerRank).map(tag);

const depConstraints = [
  ...Object.entries(layerRank).map(([lib, rank]) => ({
    sourceTag: tag(lib),
    // layer:testing is allowed here only so that a lib's own *.spec.ts / *.int-spec.ts can use
    // the fixtures; production files are kept off it by no-restricted-imports below.
    onlyDependOnLibsWithTags: [
      ...Object.entries(layerRank)
        .filter(([, r]) => r <= rank)
        .map(([l]) => tag(l)),
      'layer:testing',
    ],
  })),
  { sourceTag: 'layer:testing', onlyDependOnLibsWithTags: allLibTags },
  { sourceTag: 'layer:app', onlyDependOnLibsWithTags: [...allLibTags, 'layer:testing'] },
];

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/.nx/**',
      '.data/**',
      'coverage/**',
      'libs/db/src/generated/**',
      'apps/web/src/graphql/generated/**',
      'apps/web/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    plugins: { '@nx': nx },
    // Colleagues' disable comments for rules this config leaves off must not fail the build.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          depConstraints,
          // Tests inside a lib import @tocsin/testing, which imports that lib back; those
          // project-level cycles are expected and harmless.
          ignoredCircularDependencies: [['testing', '*']],
          // That check is for Angular's lazy-loaded routes; a test's `await import('@tocsin/db')`
          // would otherwise forbid every static import of db.
          checkDynamicDependenciesExceptions: ['.*'],
          allow: [],
        },
      ],
      // NestJS DI, Prisma JSON and GraphQL resolvers make `any` occasionally the honest type.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // Nest modules are empty classes carrying a decorator.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `let [value, keep] = …` where only one is reassigned is fine.
      'prefer-const': ['error', { destructuring: 'all' }],
      // prom-client's collect() callbacks get the metric as `this`, so the owner goes in `self`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // Prometheus' own time bounds (±2^63 ns) and float64 test vectors are deliberately
      // inexact literals.
      'no-loss-of-precision': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Fixtures are for tests only: production code of apps and libs must not reach them.
    files: ['apps/**/*.{ts,tsx}', 'libs/**/*.{ts,tsx}'],
    ignores: [...testFiles, 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tocsin/testing', '@tocsin/testing/*', '**/libs/testing/**'],
              message: '@tocsin/testing is for tests (*.spec.ts, *.int-spec.ts, test/) only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx,js,jsx,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: testFiles,
    languageOptions: { globals: { ...globals.jest } },
  },
  // Last, so formatting is Prettier's business alone.
  prettier,
);
