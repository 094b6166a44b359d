import type { EnrichmentBatchResultV1, EnrichmentBatchV1 } from '@cds/contracts';
import { CrmEndpoint, parseItemResults, type CrmClientOptions } from './crm-request.js';

export { classifyCrmStatus, PermanentCrmError, RetryableCrmError, type CrmAnswerClass } from './crm-request.js';
export type CrmEnrichmentClientOptions = CrmClientOptions;

/** `POST /internal/v1/enrichment` on the CRM with the sync key. */
export class CrmEnrichmentClient {
  private readonly endpoint: CrmEndpoint;

  constructor(options: CrmEnrichmentClientOptions) {
    this.endpoint = new CrmEndpoint(options, '/internal/v1/enrichment');
  }

  async send(batch: EnrichmentBatchV1): Promise<EnrichmentBatchResultV1> {
    return parseResults(await this.endpoint.post(batch), batch.updates.length);
  }
}

/** A 2xx whose body is not one result per update is a CRM fault: retried, never guessed at. */
export function parseResults(body: unknown, expected: number): EnrichmentBatchResultV1 {
  return parseItemResults(body, expected, 'update', (result) => ['applied', 'stale', 'not_found'].includes(result.outcome as string) && (result.contactId === null || typeof result.contactId === 'string'));
}
