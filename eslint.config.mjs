// Lint: typescript-eslint's recommended rules, plus the layers of lib/ (docs/design/layout.md): what
// each folder may import, so the CDK stays out of the Lambda bundles and the pure layers stay pure,
// each function's folder stays its own, and no import cycle forms anywhere in lib/.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const CDK = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
/** The layers that may load the CDK. */
const CDK_LAYERS = ['constructs', 'checks'];
/** The layers the Lambda bundles never hold (with the CDK layers): build-time and CLI code. */
const BUILD_LAYERS = ['cli', 'runbook', 'postmortem', 'alarm-rules', 'policy', 'assembly'];
/** The Lambda functions, one folder each under lib/functions, and what they share. */
const FUNCTIONS = ['notifier', 'interactivity', 'escalation', 'handoff'];

/** `no-restricted-imports` patterns forbidding the given lib/ layers, from a file `depth` folders below lib/. */
const layers = (names, depth, message) => ({ group: names.map((n) => `${'../'.repeat(depth)}${n}/*`), message });
const cdkPaths = (message) => CDK.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'cdk.out/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', '.bench-tmp/**', 'test/fixtures/**/cdk.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Tests read synthesized templates, which are untyped JSON by nature.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // No import cycles in lib/: each module's dependencies can be read top-down.
    files: ['lib/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import-x/extensions': ['.ts'] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...[1, 2].map((depth) => ({
    // Only lib/constructs and lib/checks may load the CDK; the pure layers never import those two.
    files: [`lib/${'*/'.repeat(depth)}*.ts`],
    ignores: CDK_LAYERS.map((l) => `lib/${l}/**`),
    rules: {
      'no-restricted-imports': ['error', {
        paths: cdkPaths('Only lib/constructs and lib/checks may import the CDK.'),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'Only lib/constructs and lib/checks may import the CDK.' },
          layers(CDK_LAYERS, depth, 'The pure layers never import the CDK layers (lib/constructs, lib/checks).'),
        ],
      }],
    },
  })),
  {
    // What the Lambda bundles hold: core, notification and the functions. core and notification
    // are the lower layers: they import no function.
    files: ['lib/core/**/*.ts', 'lib/notification/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...CDK, 'yaml', 'markdown-it'].map((name) => ({ name, message: 'The Lambda bundles hold only core, notification and function code.' })),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'The Lambda bundles hold only core, notification and function code.' },
          layers([...CDK_LAYERS, ...BUILD_LAYERS, 'functions', 'health'], 1, 'core and notification are the lower layers: they import neither build-time code, the on-call numbers nor the functions.'),
        ],
      }],
    },
  },
  {
    // The on-call numbers: pure, over core and notification, for the CLI's report and the functions alike.
    files: ['lib/health/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...CDK, 'yaml', 'markdown-it'].map((name) => ({ name, message: 'lib/health is pure: the functions bundle it.' })),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'lib/health is pure: the functions bundle it.' },
          layers([...CDK_LAYERS, ...BUILD_LAYERS, 'functions'], 1, 'lib/health imports only core and notification: the CLI and the functions both import it.'),
        ],
      }],
    },
  },
  {
    files: ['lib/functions/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...CDK, 'yaml', 'markdown-it'].map((name) => ({ name, message: 'The Lambda bundles hold only core, notification and function code.' })),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'The Lambda bundles hold only core, notification and function code.' },
          layers([...CDK_LAYERS, ...BUILD_LAYERS], 2, 'The Lambda bundles hold only core, notification and function code.'),
          layers(FUNCTIONS, 1, 'lib/functions/shared is what the functions share: it imports none of them.'),
        ],
      }],
    },
  },
  ...FUNCTIONS.map((fn) => ({
    // Each function's folder is its own: it imports lib/functions/shared, never another function.
    files: [`lib/functions/${fn}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...CDK, 'yaml', 'markdown-it'].map((name) => ({ name, message: 'The Lambda bundles hold only core, notification and function code.' })),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'The Lambda bundles hold only core, notification and function code.' },
          layers([...CDK_LAYERS, ...BUILD_LAYERS], 2, 'The Lambda bundles hold only core, notification and function code.'),
          layers(FUNCTIONS.filter((f) => f !== fn), 1, `lib/functions/${fn} imports lib/functions/shared, never another function's folder.`),
        ],
      }],
    },
  })),
);
