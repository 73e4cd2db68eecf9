// Two tiers (STYLE.md §5): unit specs are pure and fast; integration and e2e specs talk to a real
// PostgreSQL, Kafka and Redis, from testcontainers or deploy/local (tools/jest/global-setup.ts).
const fs = require('node:fs');
const path = require('node:path');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['<rootDir>/tools/jest/swc-transformer.js', { ...swcrc, swcrc: false }],
    '/node_modules/(@nestjs|jose)/.+\\.js$': [
      '<rootDir>/tools/jest/swc-transformer.js',
      { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript' } } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  // apps/ appears with the first service; jest refuses a root that does not exist.
  roots: ['apps', 'libs'].filter((dir) => fs.existsSync(path.join(__dirname, dir))).map((dir) => `<rootDir>/${dir}`),
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-setup.ts'],
      // PostgreSQL, Kafka and Redis from CAREBRIDGE_TEST_INFRA=containers|local|auto (README, Tests).
      globalSetup: '<rootDir>/tools/jest/global-setup.ts',
      globalTeardown: '<rootDir>/tools/jest/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
};
