import { createServer } from 'node:http';
import { findFreePort } from '@cds/local-infra';

export interface RefusingCrmProxy {
  readonly url: string;
  /** Profiles whose updates the proxy refuses (422), as a CRM refusing their content would. */
  readonly refusedProfiles: Set<string>;
  close(): Promise<void>;
}

/** An HTTP proxy in front of the CRM that passes everything on but the updates of the profiles it is told to refuse. */
export async function startRefusingCrmProxy(crmUrl: string): Promise<RefusingCrmProxy> {
  const refusedProfiles = new Set<string>();
  const proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const updates = request.method === 'POST' && body ? ((JSON.parse(body) as { updates?: { profileId: string }[] }).updates ?? []) : [];
      if (updates.some((update) => refusedProfiles.has(update.profileId))) {
        response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 422, message: 'refused by the test proxy' }));
        return;
      }
      const headers = { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' };
      void fetch(`${crmUrl}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, body: body || undefined })
        .then(async (answer) => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()))
        .catch(() => response.writeHead(502).end());
    });
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, refusedProfiles, close: () => new Promise((resolve) => proxy.close(() => resolve())) };
}
