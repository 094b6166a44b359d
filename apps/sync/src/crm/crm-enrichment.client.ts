import type { EnrichmentBatchResultV1, EnrichmentBatchV1 } from '@cds/contracts';

/** The CRM could not take the batch now (overloaded, restarting, unreachable, misconfigured): send it again later. */
export class RetryableCrmError extends Error {
  constructor(message: string, readonly status: number | null = null) {
    super(message);
    this.name = 'RetryableCrmError';
  }
}

/** The CRM refused the batch for what it contains: sending it again cannot succeed. */
export class PermanentCrmError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'PermanentCrmError';
  }
}

export type CrmAnswerClass = 'ok' | 'retryable' | 'permanent';

/**
 * 2xx is an answer. 408/429 and 5xx say "not now". 401, 403 and 404 say the
 * bridge is misconfigured (wrong key or CRM_URL), not that the data is bad: they
 * are retried too, so a bad deployment stalls visibly instead of dead-lettering
 * every message. Any other 4xx refuses the content for good.
 */
export function classifyCrmStatus(status: number): CrmAnswerClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  if (status === 401 || status === 403 || status === 404) return 'retryable';
  if (status >= 400) return 'permanent';
  return 'retryable';
}

export interface CrmEnrichmentClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs?: number;
  /** Called once per request with its duration and how it ended. */
  readonly observe?: (seconds: number, outcome: CrmAnswerClass | 'error') => void;
  readonly fetch?: typeof fetch;
}

/** `POST /internal/v1/enrichment` on the CRM with the sync key. */
export class CrmEnrichmentClient {
  private readonly url: string;

  constructor(private readonly options: CrmEnrichmentClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/internal/v1/enrichment`;
  }

  async send(batch: EnrichmentBatchV1): Promise<EnrichmentBatchResultV1> {
    const started = performance.now();
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      text = await response.text();
    } catch (error) {
      this.options.observe?.((performance.now() - started) / 1000, 'error');
      throw new RetryableCrmError(`CRM unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verdict = classifyCrmStatus(response.status);
    this.options.observe?.((performance.now() - started) / 1000, verdict);
    if (verdict === 'retryable') throw new RetryableCrmError(`CRM answered ${response.status}: ${text.slice(0, 300)}`, response.status);
    if (verdict === 'permanent') throw new PermanentCrmError(`CRM refused the batch (${response.status}): ${text.slice(0, 500)}`, response.status);
    return parseResults(text, batch.updates.length);
  }
}

/** A 2xx whose body is not one result per update is a CRM fault: retried, never guessed at. */
export function parseResults(text: string, expected: number): EnrichmentBatchResultV1 {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new RetryableCrmError('CRM answered 2xx with a body that is not JSON');
  }
  const results = (body as { results?: unknown } | null)?.results;
  const valid =
    Array.isArray(results) &&
    results.length === expected &&
    results.every(
      (result: { index?: unknown; outcome?: unknown; contactId?: unknown }, position) =>
        result.index === position && ['applied', 'stale', 'not_found'].includes(result.outcome as string) && (result.contactId === null || typeof result.contactId === 'string'),
    );
  if (!valid) throw new RetryableCrmError(`CRM answered 2xx without one result per update (expected ${expected})`);
  return body as EnrichmentBatchResultV1;
}
