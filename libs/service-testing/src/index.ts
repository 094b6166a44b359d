export * from './test-app.js';
export * from './service-foundation.suite.js';
