// Two tiers, one run: `npm test` runs both; `npm run test:unit` only the first.
//  - unit: pure code and the functions' flows on the in-memory store, in process: no synth, no
//    subprocess, no DynamoDB stand-in. A unit test that loads the CDK, spawns a process or starts
//    dynalite fails at once (moduleNameMapper points those at test/support/not-in-unit-tier.js).
//  - integration: the real parts, for the contracts: constructs synthesized in process, the real
//    `cdk synth` and CLI in subprocesses, the built bundles in fresh node processes, dynalite as
//    DynamoDB, the AWS stand-ins reached through AWS_ENDPOINT_URL_<SERVICE>.
/** What runs in the integration tier: whole folders under test/, and files that use the real parts. */
const INTEGRATION_DIRS = ['constructs', 'checks', 'e2e', 'bundles', 'cli'];
const INTEGRATION_FILES = [
  'index.test.ts',
  'docs.test.ts',
  'functions/escalation/index.test.ts',
  'functions/on-call.test.ts',
  'functions/notifier/app-table.test.ts',
  'functions/notifier/app-fuzz.test.ts',
  'functions/shared/incident-store.test.ts',
  'runbook/sre-guide-template.test.ts',
];
const regexpOf = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdk.out/'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  // A worker per core: jest's default keeps one core for itself, which on a 2-core machine runs the
  // suites one at a time, while many of them wait on a subprocess or a socket.
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION_DIRS.map((d) => `<rootDir>/test/${d}/`), ...INTEGRATION_FILES.map((f) => `<rootDir>/test/${regexpOf(f)}$`)],
      moduleNameMapper: {
        '^(aws-cdk-lib|constructs|cdk-nag|dynalite|child_process)(/.*)?$': '<rootDir>/test/support/not-in-unit-tier.js',
      },
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [...INTEGRATION_DIRS.map((d) => `<rootDir>/test/${d}/**/*.test.ts`), ...INTEGRATION_FILES.map((f) => `<rootDir>/test/${f}`)],
      // Builds dist/ if a source is newer (suites read it, none writes it) and makes the place the
      // example app's assembly is synthesized into, once, by the first suite that asks for it.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
