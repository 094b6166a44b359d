/** The fields of an enrichment block the timeline summarises (a subset of ContactEnrichmentV1). */
export interface EnrichmentView {
  readonly currency: string;
  readonly lifetimeValue: number;
  readonly churnRisk?: number | null;
  readonly segments: readonly { readonly key: string; readonly name: string }[];
}

// Churn risk moves a little with every day; only a move across one of these bands is news to a rep.
const CHURN_BANDS = [0.3, 0.7];

/**
 * What a rep reads on the contact's timeline when the CDP's view of the
 * customer changes: summarised insight changes ("Entered segment High value",
 * "LTV 120.00 → 480.00 EUR"), never the events behind them.
 */
export function summarizeEnrichmentChange(before: EnrichmentView | null, after: EnrichmentView | null): string[] {
  if (after === null) return before === null ? [] : ['CDP enrichment cleared (the customer asked to be forgotten)'];
  const lines: string[] = [];
  const had = new Map((before?.segments ?? []).map((segment) => [segment.key, segment.name]));
  const has = new Map(after.segments.map((segment) => [segment.key, segment.name]));
  for (const [key, name] of has) if (!had.has(key)) lines.push(`Entered segment ${name}`);
  for (const [key, name] of had) if (!has.has(key)) lines.push(`Left segment ${name}`);
  const ltvBefore = before?.lifetimeValue ?? 0;
  if (ltvBefore !== after.lifetimeValue) lines.push(`LTV ${ltvBefore.toFixed(2)} → ${after.lifetimeValue.toFixed(2)} ${after.currency}`);
  const band = (risk: number | null | undefined): number => (risk === null || risk === undefined ? -1 : CHURN_BANDS.filter((edge) => risk >= edge).length);
  if (band(before?.churnRisk) !== band(after.churnRisk) && after.churnRisk !== null && after.churnRisk !== undefined) {
    lines.push(`Churn risk ${before?.churnRisk === null || before?.churnRisk === undefined ? 'unknown' : before.churnRisk.toFixed(2)} → ${after.churnRisk.toFixed(2)}`);
  }
  return lines;
}
