export * from './test-infrastructure.js';
export * from './isolation.js';
export * from './eventually.js';
export * from './dedicated-kafka.js';
