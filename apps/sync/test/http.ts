// Plain HTTP against a service of the stack, as its clients call it: no service code is imported.

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One JSON request; an empty answer body reads as `{}`. */
export async function call(url: string, authorization: string | null, method: string, route: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The body of an answer that must have `status`; anything else fails the set-up step named `what`. */
export function expectStatus(answer: Answer, status: number, what: string): Record<string, unknown> {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The CDP's collection API credentials, as a source's SDK sends them. */
export const basicAuth = (writeKey: string): string => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

/** Sum of a Prometheus series of the service at `url`, optionally only over the lines whose labels include `label`. */
export async function metric(url: string, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const [series, value] = line.split(' ');
    if (!series || series.startsWith('#')) continue;
    if ((series === name || series.startsWith(`${name}{`)) && series.includes(label)) sum += Number(value);
  }
  return sum;
}
