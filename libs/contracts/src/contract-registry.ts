import { profileInsightsV1 } from './cdp-profile-insights/profile-insights.v1.js';
import { profileErasedV1 } from './cdp-profiles/profile-erased.v1.js';
import { profileMergedV1 } from './cdp-profiles/profile-merged.v1.js';
import { rawEventV1 } from './cdp-raw-events/raw-event.v1.js';
import { segmentMembershipChangedV1 } from './cdp-segment-membership/segment-membership-changed.v1.js';
import { contactChangedV1 } from './crm-contact-changes/contact-changed.v1.js';
import type { MessageContract } from './message-contract.js';

/**
 * Every message contract of the stack: the generated JSON Schemas and AsyncAPI
 * document list exactly these, so a new contract is added here.
 */
export const ALL_CONTRACTS: readonly MessageContract<object>[] = [
  rawEventV1,
  profileInsightsV1,
  segmentMembershipChangedV1,
  profileMergedV1,
  profileErasedV1,
  contactChangedV1,
];
