export * from './test-infrastructure.js';
export * from './isolation.js';
export * from './test-app.js';
export * from './service-foundation.suite.js';
