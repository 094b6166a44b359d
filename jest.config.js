// The whole suite: unit, integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts)
// tests of every project, sharing one real Postgres and one real Kafka broker that
// the global set-up starts and the global teardown stops. They run from the build
// (npm test builds first): Jest loads global hooks outside its ESM transform.
import { basePreset, workspaceRoot } from './jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...basePreset,
  rootDir: workspaceRoot,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  testMatch: ['**/src/**/*.spec.ts', '**/src/**/*.int-spec.ts', '**/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/libs/testing/dist/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/dist/global-teardown.js',
  testTimeout: 60_000,
  // kafkajs clients whose broker a test killed on purpose keep reconnect timers
  // alive after close; the global teardown has stopped every server by then, so
  // nothing real is left behind when Jest exits.
  forceExit: true,
};
