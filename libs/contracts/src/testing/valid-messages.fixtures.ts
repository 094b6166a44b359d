// One valid plain value per contract, for the contracts' own specs. Tests build
// invalid values from these with `withPath`, so each case changes one thing.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { profileInsightsV1 } from '../cdp-profile-insights/profile-insights.v1.js';
import { profileErasedV1 } from '../cdp-profiles/profile-erased.v1.js';
import { profileMergedV1 } from '../cdp-profiles/profile-merged.v1.js';
import { rawEventV1 } from '../cdp-raw-events/raw-event.v1.js';
import { segmentMembershipChangedV1 } from '../cdp-segment-membership/segment-membership-changed.v1.js';
import { contactChangedV1 } from '../crm-contact-changes/contact-changed.v1.js';
import { ContractViolationError } from '../contract-violation.error.js';
import { parseContractValue, type MessageContract } from '../message-contract.js';
import { contractJsonSchema } from '../schema/contract-json-schema.js';
import { compileContractSchemaValidator } from '../schema/schema-validator.js';

export type Plain = Record<string, unknown>;

export const PROFILE_ID = '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c';
export const SEGMENT_ID = '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f';
export const SOURCE_ID = 'a3bb189e-8bf9-3888-9912-ace4e6543002';

export const validIdentifiers = (): Plain => ({
  userIds: ['u-1'],
  emails: ['jane@example.com'],
  crmContactIds: ['5f0c9a3e-2b1d-4e8f-a7c6-9d8e7f6a5b4c'],
});

export const validInsightValues = (): Plain => ({
  currency: 'EUR',
  lifetimeValue: 420.5,
  unconvertedRevenue: [{ currency: 'JPY', amount: 3000 }],
  orderCount: 3,
  averageOrderValue: 140.17,
  firstOrderAt: '2025-02-01T09:30:00.000Z',
  lastOrderAt: '2026-10-30T18:05:12.120Z',
  daysSinceLastOrder: 24,
  lastSeenAt: '2026-11-22T21:00:00.000Z',
  channels: ['web', 'email'],
  topViewedCategory: 'Shoes',
  topPurchasedCategory: 'Boots',
  emailOpens30d: 4,
  emailClicks30d: 1,
  rfm: { recency: 4, frequency: 3, monetary: 5, segment: 'champions', scoredAt: '2026-11-23T00:00:00.000Z' },
  predictedLifetimeValue: 310,
  probabilityAlive: 0.82,
  churnRisk: 0.18,
  purchaseProbability30d: 0.35,
});

export const validProfileInsights = (): Plain => ({
  schemaVersion: 1,
  profileId: PROFILE_ID,
  version: 7,
  computedAt: '2026-11-23T10:00:00.000Z',
  identifiers: validIdentifiers(),
  insights: validInsightValues(),
  segments: [{ segmentId: SEGMENT_ID, key: 'high-value', name: 'High value customers', enteredAt: '2026-11-01T00:00:00.000Z' }],
  consent: [{ purpose: 'marketing', granted: true, updatedAt: '2026-06-01T12:00:00.000Z' }],
});

export const validSegmentMembershipChange = (): Plain => ({
  schemaVersion: 1,
  profileId: PROFILE_ID,
  identifiers: validIdentifiers(),
  segmentId: SEGMENT_ID,
  segmentKey: 'high-value',
  segmentName: 'High value customers',
  change: 'entered',
  occurredAt: '2026-11-23T10:00:00.000Z',
  profileVersion: 7,
});

export const validRawEvent = (): Plain => ({
  schemaVersion: 1,
  messageId: 'msg-1',
  sourceId: SOURCE_ID,
  type: 'track',
  event: 'Order Completed',
  userId: 'u-1',
  properties: { revenue: 42 },
  context: { ip: '127.0.0.1' },
  timestamp: '2026-11-23T10:00:00.000Z',
  receivedAt: '2026-11-23T10:00:01.000Z',
});

export const validContactChange = (): Plain => ({
  schemaVersion: 1,
  changeId: '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
  changeType: 'updated',
  contactId: '5f0c9a3e-2b1d-4e8f-a7c6-9d8e7f6a5b4c',
  version: 3,
  occurredAt: '2026-11-23T10:00:00.000Z',
  email: 'jane@example.com',
});

export const validProfileMerge = (): Plain => ({
  schemaVersion: 1,
  mergeId: '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
  survivorProfileId: PROFILE_ID,
  mergedProfileIds: ['5f0c9a3e-2b1d-4e8f-a7c6-9d8e7f6a5b4c'],
  identifiers: validIdentifiers(),
  survivorVersion: 8,
  occurredAt: '2026-11-23T10:00:00.000Z',
});

export const validProfileErasure = (): Plain => ({
  schemaVersion: 1,
  erasureId: '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
  profileId: PROFILE_ID,
  mergedProfileIds: [],
  identifiers: validIdentifiers(),
  requestedAt: '2026-11-23T10:00:00.000Z',
});

export const VALID_SAMPLES: ReadonlyMap<MessageContract<object>, () => Plain> = new Map<MessageContract<object>, () => Plain>([
  [rawEventV1, validRawEvent],
  [profileInsightsV1, validProfileInsights],
  [segmentMembershipChangedV1, validSegmentMembershipChange],
  [profileMergedV1, validProfileMerge],
  [profileErasedV1, validProfileErasure],
  [contactChangedV1, validContactChange],
]);

const REMOVE = Symbol('remove');
/** Marks a key for removal in `withPath`. */
export const MISSING: typeof REMOVE = REMOVE;

/**
 * A deep copy of `plain` with the value at `path` (`insights.rfm.recency`,
 * `segments.0.key`) replaced, or removed for MISSING.
 */
export function withPath(plain: Plain, path: string, value: unknown): Plain {
  const copy = structuredClone(plain);
  const keys = path.split('.');
  const last = keys.pop();
  if (last === undefined) throw new Error('empty path');
  let parent: Record<string, unknown> = copy;
  for (const key of keys) {
    const next = parent[key];
    if (typeof next !== 'object' || next === null) throw new Error(`${path}: ${key} is not an object`);
    parent = next as Record<string, unknown>;
  }
  // An array loses the element (JSON has no holes); an object loses the key.
  if (value === REMOVE && Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (value === REMOVE) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** The contract's violations for `plain` (empty when it is valid). */
export function violationsOf(contract: MessageContract<object>, plain: unknown): readonly string[] {
  try {
    parseContractValue(contract, plain);
    return [];
  } catch (error) {
    if (error instanceof ContractViolationError) return error.violations;
    throw error;
  }
}

// A generic draft-07 validator with the standard formats (ajv-formats), as a data
// team's tool would read the published schema files; compileContractSchemaValidator
// adds class-validator's own format checks on top.
const genericAjv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
addFormats.default(genericAjv);
const genericValidators = new Map<MessageContract<object>, (value: unknown) => boolean>();

export function genericSchemaValidator(contract: MessageContract<object>): (value: unknown) => boolean {
  let validator = genericValidators.get(contract);
  if (!validator) {
    const validate = genericAjv.compile(contractJsonSchema(contract));
    validator = (value: unknown): boolean => validate(value);
    genericValidators.set(contract, validator);
  }
  return validator;
}

export interface Verdicts {
  readonly classValidator: boolean;
  readonly compiled: boolean;
  readonly generic: boolean;
}

/** What each of the three checks says about one value. */
export function verdictsOf(contract: MessageContract<object>, plain: unknown): Verdicts {
  return {
    classValidator: violationsOf(contract, plain).length === 0,
    compiled: compileContractSchemaValidator(contract)(plain),
    generic: genericSchemaValidator(contract)(plain),
  };
}
