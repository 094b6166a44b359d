// Shared Jest settings. NestJS 12 is ESM-only, so tests run as native ESM
// (node --experimental-vm-modules) through ts-jest in transpile-only mode.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const workspaceRoot = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('jest').Config} */
export const basePreset = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: path.join(workspaceRoot, 'tsconfig.jest.json') },
    ],
  },
  moduleNameMapper: {
    // Workspace libraries resolve to their sources, so tests never need a build.
    '^@cds/([a-z-]+)$': path.join(workspaceRoot, 'libs/$1/src/index.ts'),
    // Its ESM build imports JSON without an import attribute, which Jest warns about on every load.
    '^libphonenumber-js$': path.join(workspaceRoot, 'node_modules/libphonenumber-js/index.cjs'),
    // ESM sources import './x.js'; the file on disk is './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: [path.join(workspaceRoot, 'libs/testing/src/setup-reflect-metadata.ts')],
};

/** Unit tests of one project: no infrastructure, no global set-up. */
export function unitTestConfig(projectDir) {
  return {
    ...basePreset,
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
  };
}

export { workspaceRoot };
