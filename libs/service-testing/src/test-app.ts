import type { DynamicModule, INestApplication } from '@nestjs/common';
import { createServiceApp, JsonLogger, loadEnv, type ServiceEnv, type ServiceHttpOptions } from '@cds/service-kit';

export interface RunningTestApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` of the app's real HTTP server. */
  readonly url: string;
  close(): Promise<void>;
}

/** A service's env as its main.ts would load it, from the given variables only. */
export function testEnv<E extends ServiceEnv>(schema: new () => E, variables: Record<string, string>): E {
  return loadEnv(schema, { LOG_LEVEL: 'error', ...variables });
}

/** Boots a service module exactly as main.ts does, on a free port of 127.0.0.1. */
export async function startTestApp(service: string, createModule: (logger: JsonLogger) => DynamicModule, http?: ServiceHttpOptions): Promise<RunningTestApp> {
  const logger = new JsonLogger(service, (process.env['CDS_TEST_LOG_LEVEL'] as 'error' | undefined) ?? 'error');
  const app = await createServiceApp(createModule(logger), logger, http);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
