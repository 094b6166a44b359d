import type { ContactCreationBatchV1, ContactCreationResultV1, ContactErasureRequestV1, ContactErasureResultV1 } from '@cds/contracts';
import { CrmEndpoint, parseItemResults, RetryableCrmError, type CrmClientOptions } from './crm-request.js';

/** `POST /internal/v1/contacts` (create-or-get by email, upsert mode) and `POST /internal/v1/contacts/erase` on the CRM, with the sync key. */
export class CrmContactsClient {
  private readonly creation: CrmEndpoint;
  private readonly erasure: CrmEndpoint;

  constructor(options: CrmClientOptions) {
    this.creation = new CrmEndpoint(options, '/internal/v1/contacts');
    this.erasure = new CrmEndpoint(options, '/internal/v1/contacts/erase');
  }

  async create(batch: ContactCreationBatchV1): Promise<ContactCreationResultV1> {
    return parseCreationResults(await this.creation.post(batch), batch.contacts.length);
  }

  async erase(request: ContactErasureRequestV1): Promise<ContactErasureResultV1> {
    return parseErasureResults(await this.erasure.post(request), request.contactIds);
  }
}

/** One result per contact, in order, naming the contact unless the email was erased: anything else is a CRM fault, retried. */
export function parseCreationResults(body: unknown, expected: number): ContactCreationResultV1 {
  return parseItemResults(
    body,
    expected,
    'requested contact',
    (result) => ((result.outcome === 'created' || result.outcome === 'existing') && typeof result.contactId === 'string') || (result.outcome === 'suppressed' && result.contactId === null),
  );
}

/** Every requested contact erased or absent: anything else is a CRM fault, retried (an erasure must not be taken as done on a guess). */
export function parseErasureResults(body: unknown, requested: readonly string[]): ContactErasureResultV1 {
  const results = (body as { results?: unknown } | null)?.results;
  const settled = new Set(
    Array.isArray(results)
      ? results
          .filter((result: { contactId?: unknown; outcome?: unknown }) => typeof result.contactId === 'string' && (result.outcome === 'erased' || result.outcome === 'absent'))
          .map((result: { contactId: string }) => result.contactId.toLowerCase())
      : [],
  );
  if (!requested.every((id) => settled.has(id.toLowerCase()))) throw new RetryableCrmError('CRM answered 2xx without settling every contact of the erasure');
  return body as ContactErasureResultV1;
}
