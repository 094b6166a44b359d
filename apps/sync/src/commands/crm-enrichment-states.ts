import { RetryableCrmError } from '../crm/crm-enrichment.client.js';

/** One live CRM contact's enrichment, as `GET /internal/v1/enrichment` lists it. */
export interface ContactEnrichmentState {
  readonly contactId: string;
  readonly email: string | null;
  /** Null when the contact carries no enrichment. */
  readonly profileId: string | null;
  readonly version: number;
  readonly syncedAt: string | null;
}

const PAGE_SIZE = 1000;

/** Every live contact's enrichment state, page after page, with the sync key. */
export async function listEnrichmentStates(baseUrl: string, apiKey: string): Promise<ContactEnrichmentState[]> {
  const states: ContactEnrichmentState[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/internal/v1/enrichment?${query}`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (response.status !== 200) throw new RetryableCrmError(`CRM answered ${response.status} to GET /internal/v1/enrichment: ${text.slice(0, 300)}`, response.status);
    const page = JSON.parse(text) as { data: ContactEnrichmentState[]; nextCursor: string | null };
    states.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return states;
}
