/** The CRM could not take the request now (overloaded, restarting, unreachable, misconfigured): send it again later. */
export class RetryableCrmError extends Error {
  constructor(message: string, readonly status: number | null = null) {
    super(message);
    this.name = 'RetryableCrmError';
  }
}

/** The CRM refused the request for what it contains: sending it again cannot succeed. */
export class PermanentCrmError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'PermanentCrmError';
  }
}

export type CrmAnswerClass = 'ok' | 'retryable' | 'permanent';

/** One item's result in a batch endpoint's answer, as received (not yet checked). */
export interface CrmItemResult {
  readonly index?: unknown;
  readonly outcome?: unknown;
  readonly contactId?: unknown;
}

/**
 * A batch endpoint's 2xx answer: one result per item, `index` = the item's position, each passing the endpoint's own
 * outcome check. Anything else is a CRM fault, retried, never guessed at.
 */
export function parseItemResults<T>(body: unknown, expected: number, item: string, validOutcome: (result: CrmItemResult) => boolean): T {
  const results = (body as { results?: unknown } | null)?.results;
  const valid =
    Array.isArray(results) &&
    results.length === expected &&
    results.every((result: CrmItemResult | null, position) => typeof result === 'object' && result !== null && result.index === position && validOutcome(result));
  if (!valid) throw new RetryableCrmError(`CRM answered 2xx without one result per ${item} (expected ${expected})`);
  return body as T;
}

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

export interface CrmClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs?: number;
  /** Called once per request with its duration and how it ended. */
  readonly observe?: (seconds: number, outcome: CrmAnswerClass | 'error') => void;
  readonly fetch?: typeof fetch;
}

/** One internal endpoint of the CRM, called with the sync key: POSTs JSON and returns the parsed 2xx body, or throws a classified error. */
export class CrmEndpoint {
  private readonly url: string;

  constructor(
    private readonly options: CrmClientOptions,
    path: string,
  ) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  async post(body: unknown): Promise<unknown> {
    const started = performance.now();
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
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
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RetryableCrmError('CRM answered 2xx with a body that is not JSON');
    }
  }
}
