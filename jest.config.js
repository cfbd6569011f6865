'use strict';
// Three suites: unit (*.spec.ts, no I/O), int (*.int-spec.ts, real Postgres + Redis, one schema and
// queue prefix per file) and e2e (*.e2e-spec.ts, real service processes from dist/).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@paperwire/testing/jest$': '<rootDir>/libs/testing/src/jest.ts',
    '^@paperwire/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,services,tools}/**/*.int-spec.ts'],
      // Every response an in-process api sends is checked against its OpenAPI document.
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/contract-jest-setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{libs,services,tools}/**/*.e2e-spec.ts'],
      // In-process apps of e2e specs (reader pages) are held to the contract too.
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/contract-jest-setup.ts'],
    },
  ],
};
