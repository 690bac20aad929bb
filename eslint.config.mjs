// Lint: typescript-eslint's recommended rules, plus the layering rule that keeps the CDK out of
// the Lambda bundle.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CDK = ['aws-cdk-lib', 'constructs', 'cdk-nag'];

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
    // The layers (SPEC §2): only lib/constructs and lib/checks may load the CDK. Everything else
    // (the pure core, runbooks, alarm rules, notifications, escalation, the Lambda handler and the
    // CLI) is plain TypeScript that the Lambda bundle and the CLI load without aws-cdk-lib.
    files: ['lib/**/*.ts'],
    ignores: ['lib/constructs/**', 'lib/checks/**', 'lib/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: CDK.map((name) => ({ name, message: 'Only lib/constructs and lib/checks may import the CDK (SPEC §2 layers).' })),
        patterns: [
          { group: ['aws-cdk-lib/*'], message: 'Only lib/constructs and lib/checks may import the CDK (SPEC §2 layers).' },
          { group: ['**/constructs/*', '**/checks/*'], message: 'The pure layers never import the CDK layers (lib/constructs, lib/checks).' },
        ],
      }],
    },
  },
  {
    // The Lambda handler bundles only what it runs: the core and the notification layer.
    files: ['lib/handler/**/*.ts', 'lib/notification/**/*.ts', 'lib/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...CDK, 'yaml', 'markdown-it'].map((name) => ({ name, message: 'The Lambda bundle holds only core, notification and handler code.' })),
        patterns: [
          { group: ['aws-cdk-lib/*', '**/constructs/*', '**/checks/*', '**/cli/*', '**/runbook/*', '**/alarm-rules/*', '**/escalation/*'],
            message: 'The Lambda bundle holds only core, notification and handler code.' },
        ],
      }],
    },
  },
);
