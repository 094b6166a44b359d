import { classifyCrmStatus, CrmEnrichmentClient, parseResults, PermanentCrmError, RetryableCrmError } from './crm-enrichment.client.js';

const batch = { updates: [{ email: 'ana@example.com', profileId: '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11', version: 1, enrichment: null }] };

function clientAnswering(answer: () => Promise<Response>): CrmEnrichmentClient {
  return new CrmEnrichmentClient({ baseUrl: 'http://crm.test/', apiKey: 'key-123456', fetch: (() => answer()) as typeof fetch, timeoutMs: 50 });
}

describe('classifyCrmStatus', () => {
  it.each([200, 201, 204])('%i is an answer', (status) => expect(classifyCrmStatus(status)).toBe('ok'));
  it.each([408, 429, 500, 502, 503, 504, 401, 403, 404])('%i is retried', (status) => expect(classifyCrmStatus(status)).toBe('retryable'));
  it.each([400, 409, 413, 422])('%i is a permanent refusal', (status) => expect(classifyCrmStatus(status)).toBe('permanent'));
});

describe('CrmEnrichmentClient', () => {
  it('posts to the internal endpoint with the sync key and returns the results', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const client = new CrmEnrichmentClient({
      baseUrl: 'http://crm.test/',
      apiKey: 'key-123456',
      fetch: (async (url: string, init: RequestInit) => {
        seen = { url, init };
        return new Response(JSON.stringify({ results: [{ index: 0, outcome: 'applied', contactId: 'c-1' }] }), { status: 200 });
      }) as unknown as typeof fetch,
    });
    await expect(client.send(batch)).resolves.toEqual({ results: [{ index: 0, outcome: 'applied', contactId: 'c-1' }] });
    expect(seen?.url).toBe('http://crm.test/internal/v1/enrichment');
    expect((seen?.init.headers as Record<string, string>)['authorization']).toBe('Bearer key-123456');
  });

  it('turns 503, network errors and timeouts into retryable errors', async () => {
    await expect(clientAnswering(async () => new Response('busy', { status: 503 })).send(batch)).rejects.toBeInstanceOf(RetryableCrmError);
    await expect(clientAnswering(() => Promise.reject(new TypeError('fetch failed'))).send(batch)).rejects.toBeInstanceOf(RetryableCrmError);
    const hanging = new CrmEnrichmentClient({
      baseUrl: 'http://crm.test',
      apiKey: 'key-123456',
      timeoutMs: 20,
      fetch: ((_url: string, init: RequestInit) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as unknown as typeof fetch,
    });
    await expect(hanging.send(batch)).rejects.toBeInstanceOf(RetryableCrmError);
  });

  it('turns a 400 into a permanent error', async () => {
    await expect(clientAnswering(async () => new Response('{"message":"bad"}', { status: 400 })).send(batch)).rejects.toBeInstanceOf(PermanentCrmError);
  });

  it('retries a 2xx without one result per update', async () => {
    expect(() => parseResults({ results: [] }, 1)).toThrow(RetryableCrmError);
    await expect(clientAnswering(async () => new Response('not json', { status: 200 })).send(batch)).rejects.toBeInstanceOf(RetryableCrmError);
  });
});
