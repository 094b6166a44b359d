export * from './test-infrastructure.js';
export * from './isolation.js';
