import { availableParallelism } from 'node:os';

/** @type {import('jest').Config} */
export default {
  // The suites wait on sockets, child processes and the database more than on the CPU: two
  // workers even on two cores, where Jest's default (cores - 1) would run one file at a time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{src,test,connectors}/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/data/', '<rootDir>/scratch/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 60000,
};
