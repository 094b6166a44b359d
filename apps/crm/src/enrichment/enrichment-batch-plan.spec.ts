import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { planEnrichmentBatch, type EnrichableContact } from './enrichment-batch-plan.js';

const PROFILE = '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f';
const ANA = '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c';
const BEN = '1c0f9e8d-7c6b-4a5f-9e3d-2c1b0a9f8e7d';

function update(fields: Partial<EnrichmentUpdateV1> & { ltv?: number; segments?: string[] }): EnrichmentUpdateV1 {
  const { ltv = 10, segments = [], ...rest } = fields;
  return {
    profileId: PROFILE,
    version: 1,
    enrichment: { currency: 'EUR', lifetimeValue: ltv, orderCount: 1, segments: segments.map((key) => ({ key, name: key, enteredAt: '2026-11-23T10:00:00.000Z' })), consent: [] },
    ...rest,
  } as unknown as EnrichmentUpdateV1;
}

const ana: EnrichableContact = { id: ANA, email: 'ana@example.com', enrichment: null, enrichmentVersion: 0 };
const ben: EnrichableContact = { id: BEN, email: 'ben@example.com', enrichment: null, enrichmentVersion: 5 };

describe('planEnrichmentBatch', () => {
  it('applies newer versions by contact id or by email, refuses older ones as stale and unknown contacts as not found', () => {
    const plan = planEnrichmentBatch(
      [update({ contactId: ANA, version: 2 }), update({ email: 'BEN@example.com', version: 5 }), update({ email: 'nobody@example.com', version: 9 })],
      [ana, ben],
    );
    expect(plan.results).toEqual([
      { index: 0, outcome: 'applied', contactId: ANA },
      { index: 1, outcome: 'stale', contactId: BEN },
      { index: 2, outcome: 'not_found', contactId: null },
    ]);
    expect(plan.writes.map((write) => [write.contactId, write.version])).toEqual([[ANA, 2]]);
  });

  it('treats two updates of one contact in one batch as sent one after the other: one write, each change on the timeline once', () => {
    const plan = planEnrichmentBatch(
      [update({ contactId: ANA, version: 2, ltv: 50, segments: ['vip'] }), update({ contactId: ANA, version: 1, ltv: 5 }), update({ email: 'ana@example.com', version: 3, ltv: 80, segments: ['vip'] })],
      [ana],
    );
    expect(plan.results.map((result) => result.outcome)).toEqual(['applied', 'stale', 'applied']);
    expect(plan.writes).toEqual([expect.objectContaining({ contactId: ANA, version: 3, segmentKeys: ['vip'], profileId: PROFILE })]);
    expect(plan.timeline.map((entry) => entry.summary)).toEqual(['Entered segment vip', 'LTV 0.00 → 50.00 EUR', 'LTV 50.00 → 80.00 EUR']);
  });

  it('clears a block with a null enrichment and says so on the timeline', () => {
    const enriched: EnrichableContact = { ...ana, enrichment: { currency: 'EUR', lifetimeValue: 10, segments: [] }, enrichmentVersion: 3 };
    const plan = planEnrichmentBatch([{ contactId: ANA, profileId: PROFILE, version: 4, enrichment: null } as unknown as EnrichmentUpdateV1], [enriched]);
    expect(plan.writes).toEqual([{ contactId: ANA, enrichment: null, version: 4, profileId: null, segmentKeys: [] }]);
    expect(plan.timeline.map((entry) => entry.summary)).toEqual(['CDP enrichment cleared (the customer asked to be forgotten)']);
  });
});
