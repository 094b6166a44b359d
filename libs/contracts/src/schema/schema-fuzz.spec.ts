import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { isISO8601 } from 'class-validator';
import { profileInsightsV1 } from '../cdp-profile-insights/profile-insights.v1.js';
import { rawEventV1 } from '../cdp-raw-events/raw-event.v1.js';
import { DATE_TIME_PATTERN } from './constraint-schemas.js';
import { isContractDateTime } from './schema-validator.js';
import { MISSING, validProfileInsights, validRawEvent, verdictsOf, withPath, type Plain, type Verdicts } from '../testing/valid-messages.fixtures.js';

/** xorshift32: a fixed seed makes every run try the same values, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

// Values the schema deliberately refuses although class-validator accepts them
// (see the schema descriptions): a case holding one is only held to "schema
// valid implies class-validator valid".
const GAP_DATES = ['2026-11-23', '2026-11-23T10:00Z', '2026-W47-1', '2026-11-23T10:00:00+0100'];

const DATES = ['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00+02:00', '2026-01-01T00:00:00.123456Z', 'yesterday', '2026-02-30T10:00:00Z', '2026-11-23t10:00:00z', '2016-12-31T23:59:60Z', '', null, 1732356000000, ...GAP_DATES];
const OBJECTS = [{}, { a: 1 }, [], ['a'], null, 'x', 3];
const IDS = ['u-1', 'x'.repeat(256), '', 'x'.repeat(257), null, {}, [], 42, 0];

interface FieldPool {
  readonly valid: readonly unknown[];
  readonly any: readonly unknown[];
}

const RAW_FIELDS: Readonly<Record<string, FieldPool>> = {
  schemaVersion: { valid: [1], any: [1, 2, '1', null, MISSING] },
  messageId: { valid: ['m-1', 'm'.repeat(200)], any: ['', 'm'.repeat(201), 7, null, MISSING] },
  sourceId: { valid: ['a3bb189e-8bf9-3888-9912-ace4e6543002', '00000000-0000-0000-0000-000000000000'], any: ['web', '6f1c2d1e-8a4b-0c5d-9e6f-0a1b2c3d4e5f', 'A3BB189E-8BF9-3888-9912-ACE4E6543002', null, MISSING] },
  type: { valid: ['track', 'identify', 'page', 'screen', 'group', 'alias'], any: ['click', '', 'TRACK', 3, null, MISSING] },
  event: { valid: ['Order Completed', MISSING], any: ['', 'e'.repeat(200), 'e'.repeat(201), 42, null, {}] },
  name: { valid: [MISSING, 'Home'], any: [null, '', 'n'.repeat(500), 'n'.repeat(501), 5] },
  userId: { valid: ['u-1', MISSING], any: IDS },
  anonymousId: { valid: ['a-1', MISSING], any: IDS },
  previousId: { valid: [MISSING, 'p-1'], any: IDS },
  groupId: { valid: [MISSING, 'g-1'], any: IDS },
  traits: { valid: [MISSING, { plan: 'pro' }], any: OBJECTS },
  properties: { valid: [MISSING, { revenue: 42 }], any: OBJECTS },
  context: { valid: [MISSING, { ip: '127.0.0.1' }], any: OBJECTS },
  integrations: { valid: [MISSING], any: OBJECTS },
  timestamp: { valid: ['2026-11-23T10:00:00.000Z'], any: [...DATES, MISSING] },
  originalTimestamp: { valid: [MISSING], any: DATES },
  sentAt: { valid: [MISSING], any: DATES },
  receivedAt: { valid: ['2026-11-23T10:00:01.000Z'], any: [...DATES, MISSING] },
  writeKey: { valid: [MISSING], any: ['k', null] },
};

const pick = <T>(next: () => number, values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;

/** A raw event whose every field is mostly valid, sometimes anything from its pool. */
function rawEventCandidate(next: () => number): Plain {
  const plain: Plain = {};
  for (const [field, pool] of Object.entries(RAW_FIELDS)) {
    const value = next() < 0.9 ? pick(next, pool.valid) : pick(next, pool.any);
    if (value !== MISSING) plain[field] = structuredClone(value);
  }
  return plain;
}

const ID_FIELDS = ['userId', 'anonymousId', 'previousId', 'groupId'];

/** Where the schema is knowingly stricter (its descriptions say so). */
function rawEventGap(plain: Plain): boolean {
  const numericId = ID_FIELDS.some((field) => typeof plain[field] === 'number');
  const dateGap = ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt'].some((field) => GAP_DATES.includes(plain[field] as string));
  // class-validator skips a ValidateIf field entirely when its condition is false.
  const skipped =
    (plain['type'] !== 'track' && 'event' in plain) ||
    (plain['type'] !== 'alias' && plain['anonymousId'] !== undefined && 'userId' in plain) ||
    (plain['type'] !== 'alias' && 'previousId' in plain) ||
    (plain['type'] !== 'group' && 'groupId' in plain);
  return numericId || dateGap || skipped;
}

interface Tally {
  valid: number;
  invalid: number;
  gaps: number;
  failures: { plain: Plain; verdicts: Verdicts; gap: boolean }[];
}

/**
 * `gap`: the value holds something the schema knowingly refuses. `emailEdge`: an
 * email that a generic `format: email` takes and isEmail does not; only the
 * compiled validator (which applies isEmail) is held to soundness then.
 */
function check(tally: Tally, verdicts: Verdicts, plain: Plain, gap: boolean, emailEdge = false): void {
  if (verdicts.classValidator) tally.valid += 1;
  else tally.invalid += 1;
  if (gap) tally.gaps += 1;
  // The pre-check's promise: the schema never accepts what the contract refuses.
  const sound = (!verdicts.compiled || verdicts.classValidator) && (emailEdge || !verdicts.generic || verdicts.classValidator);
  // Outside the documented gaps they agree exactly.
  const exact = gap || (verdicts.compiled === verdicts.classValidator && (emailEdge || verdicts.generic === verdicts.classValidator));
  if (!sound || !exact) tally.failures.push({ plain, verdicts, gap });
}

describe('schema pre-check against class-validator, on generated values', () => {
  it('raw events: schema-valid implies class-validator-valid, and outside the documented gaps they agree', () => {
    const next = random(20261123);
    const tally: Tally = { valid: 0, invalid: 0, gaps: 0, failures: [] };
    for (let index = 0; index < 8_000; index += 1) {
      const plain = rawEventCandidate(next);
      check(tally, verdictsOf(rawEventV1, plain), plain, rawEventGap(plain));
    }
    expect(tally.failures.slice(0, 3).map((failure) => JSON.stringify(failure))).toEqual([]);
    // Not vacuous: plenty of each outcome, the conditional rules included.
    expect(tally.valid).toBeGreaterThan(1_000);
    expect(tally.invalid).toBeGreaterThan(1_000);
    expect(tally.gaps).toBeGreaterThan(500);
  });

  it('raw events: every type with and without each conditional field', () => {
    const tally: Tally = { valid: 0, invalid: 0, gaps: 0, failures: [] };
    const choices = [MISSING, 'x-1', null, 5];
    for (const type of ['track', 'identify', 'page', 'screen', 'group', 'alias']) {
      for (const event of choices)
        for (const userId of choices)
          for (const anonymousId of choices)
            for (const previousId of choices)
              for (const groupId of choices) {
                let plain: Plain = { ...validRawEvent(), type };
                for (const [field, value] of Object.entries({ event, userId, anonymousId, previousId, groupId })) plain = withPath(plain, field, value);
                check(tally, verdictsOf(rawEventV1, plain), plain, rawEventGap(plain));
              }
    }
    expect(tally.failures.slice(0, 3).map((failure) => JSON.stringify(failure))).toEqual([]);
    expect(tally.valid).toBeGreaterThan(100);
  });

  it('profile insights: one to three random changes to a valid snapshot', () => {
    const paths = [
      'version', 'profileId', 'computedAt', 'identifiers', 'identifiers.emails', 'identifiers.userIds', 'insights', 'insights.currency', 'insights.lifetimeValue',
      'insights.orderCount', 'insights.unconvertedRevenue', 'insights.unconvertedRevenue.0', 'insights.unconvertedRevenue.0.currency', 'insights.averageOrderValue', 'insights.firstOrderAt', 'insights.daysSinceLastOrder', 'insights.channels', 'insights.topViewedCategory',
      'insights.emailOpens30d', 'insights.rfm', 'insights.rfm.recency', 'insights.rfm.segment', 'insights.rfm.scoredAt', 'insights.probabilityAlive', 'insights.churnRisk',
      'segments', 'segments.0', 'segments.0.key', 'segments.0.enteredAt', 'consent', 'consent.0.granted', 'properties', 'insights.properties',
    ];
    const values = [
      MISSING, null, -1, 0, 0.5, 1, 1.5, 5, 6, '', 'x', 'EUR', 'eur', 'high-value', 'High Value', true, [], {}, ['web'], [1], ['jane@example.com'], ['jane@example.c'],
      ['jäne@example.com'], 'x'.repeat(201), '2026-11-23T10:00:00.000Z', '2026-11-23', '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f', [[]],
    ];
    const next = random(7);
    const tally: Tally = { valid: 0, invalid: 0, gaps: 0, failures: [] };
    for (let index = 0; index < 2_000; index += 1) {
      let plain = validProfileInsights();
      let gap = false;
      let emailEdge = false;
      for (let change = 0, changes = 1 + Math.floor(next() * 3); change < changes; change += 1) {
        const value = pick(next, values);
        try {
          plain = withPath(plain, pick(next, paths), value);
        } catch {
          continue; // the path's parent was replaced by an earlier change
        }
        gap ||= value === '2026-11-23' || (Array.isArray(value) && value.includes('jäne@example.com'));
        emailEdge ||= Array.isArray(value) && value.includes('jane@example.c');
      }
      check(tally, verdictsOf(profileInsightsV1, plain), plain, gap, emailEdge);
    }
    expect(tally.failures.slice(0, 3).map((failure) => JSON.stringify(failure))).toEqual([]);
    expect(tally.valid).toBeGreaterThan(60);
    expect(tally.invalid).toBeGreaterThan(1_000);
  });

  it('date-times: the fast check is exactly pattern + JSON Schema date-time + strict IsISO8601', () => {
    const ajv = new Ajv();
    addFormats.default(ajv);
    const rfc3339 = ajv.compile({ type: 'string', format: 'date-time' });
    const pattern = new RegExp(DATE_TIME_PATTERN);
    const next = random(3339);
    const two = (max: number): string => String(Math.floor(next() * (max + 1))).padStart(2, '0');
    const disagreements: string[] = [];
    let accepted = 0;
    for (let index = 0; index < 30_000; index += 1) {
      const year = pick(next, ['0999', '1000', '1900', '2000', '2023', '2024', '2100', '9999', String(1000 + Math.floor(next() * 9000))]);
      const time = `${two(25)}:${two(61)}${pick(next, [`:${two(61)}`, ':59', ':00', ''])}${pick(next, ['', '.5', '.123456', ','])}`;
      const zone = pick(next, ['Z', 'z', '', `+${two(25)}:${two(61)}`, `-${two(23)}:${two(59)}`, `+${two(23)}${two(59)}`, '+05']);
      const value = `${year}-${two(13)}-${two(32)}${pick(next, ['T', 'T', 't', ' '])}${time}${zone}`;
      const expected = pattern.test(value) && rfc3339(value) && isISO8601(value, { strict: true });
      if (isContractDateTime(value) !== expected) disagreements.push(value);
      if (expected) accepted += 1;
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    for (const leapDay of ['2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z']) expect(isContractDateTime(leapDay)).toBe(true);
    for (const notLeap of ['2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2100-02-29T00:00:00Z']) expect(isContractDateTime(notLeap)).toBe(false);
  });
});
