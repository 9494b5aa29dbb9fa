const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@switchboard/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@switchboard/platform/testing$': '<rootDir>/libs/platform/src/testing/index.ts',
    '^@switchboard/platform/tracing$': '<rootDir>/libs/platform/src/observability/tracing.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};
export default {
  // A safety limit, not a speed check: the two lanes of `npm test` share two cores, and a file's
  // beforeAll starts an api and a worker while the other lane keeps the cores busy.
  testTimeout: 120_000,
  reporters: ['<rootDir>/test/support/summary-reporter.cjs', 'default'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
    // The unit specs grouped into a few files by run-tests.mjs (one module graph per group).
    { ...common, displayName: 'unit-grouped', testMatch: ['<rootDir>/.jest-bundles/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
