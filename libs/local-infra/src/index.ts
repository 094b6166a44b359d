export * from './net/free-port.js';
export * from './repo/repo-root.js';
export * from './postgres/local-postgres.js';
export * from './kafka/local-kafka.js';
export * from './services/service-process.js';
