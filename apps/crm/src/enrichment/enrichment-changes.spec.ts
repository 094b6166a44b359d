import { describe, expect, it } from '@jest/globals';
import { summarizeEnrichmentChange, type EnrichmentView } from './enrichment-changes.js';

const base: EnrichmentView = { currency: 'EUR', lifetimeValue: 120, churnRisk: 0.1, segments: [{ key: 'winter-jacket-browsers', name: 'Winter-jacket browsers' }] };

describe('summarizeEnrichmentChange', () => {
  it('names segments entered and left, and the LTV move with its currency', () => {
    const after = { ...base, lifetimeValue: 480, segments: [{ key: 'high-value-customers', name: 'High value' }] };
    expect(summarizeEnrichmentChange(base, after)).toEqual(['Entered segment High value', 'Left segment Winter-jacket browsers', 'LTV 120.00 → 480.00 EUR']);
  });

  it('reports churn risk only when it crosses a band a rep cares about', () => {
    expect(summarizeEnrichmentChange(base, { ...base, churnRisk: 0.2 })).toEqual([]);
    expect(summarizeEnrichmentChange(base, { ...base, churnRisk: 0.75 })).toEqual(['Churn risk 0.10 → 0.75']);
  });

  it('summarises a first enrichment from nothing, and a clearing', () => {
    expect(summarizeEnrichmentChange(null, base)).toEqual(['Entered segment Winter-jacket browsers', 'LTV 0.00 → 120.00 EUR', 'Churn risk unknown → 0.10']);
    expect(summarizeEnrichmentChange(base, null)).toEqual(['CDP enrichment cleared (the customer asked to be forgotten)']);
  });

  it('says nothing when nothing a rep sees changed', () => {
    expect(summarizeEnrichmentChange(base, { ...base })).toEqual([]);
  });
});
