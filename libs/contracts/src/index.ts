export * from './contract-violation.error.js';
export * from './message-contract.js';
export * from './topics/topic-definition.js';
export * from './crm-contact-changes/contact-changed.v1.js';
export * from './cdp-raw-events/raw-event.v1.js';
export * from './cdp-profiles/profile-identifiers.v1.js';
export * from './cdp-profiles/profile-merged.v1.js';
export * from './cdp-profiles/profile-erased.v1.js';
