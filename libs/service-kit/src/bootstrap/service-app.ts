import { ValidationPipe, type DynamicModule, type INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '../config/load-config.js';
import type { ServiceEnv } from '../config/service-env.js';
import { BodyParserErrorFilter } from '../http/body-parser-error.filter.js';
import { JsonLogger } from '../logging/json-logger.js';

export interface ServiceHttpOptions {
  /** Largest JSON body accepted, e.g. '500kb' (body-parser syntax). Default 100kb. */
  readonly jsonBodyLimit?: string;
  /** Last step before the app listens, for what only one service serves (e.g. its OpenAPI document). */
  readonly configureApp?: (app: INestApplication) => void;
}

/** Builds a service's Nest application with the stack's HTTP conventions. */
export async function createServiceApp(module: DynamicModule, logger: JsonLogger, http: ServiceHttpOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, abortOnError: false });
  app.useBodyParser('json', { limit: http.jsonBodyLimit ?? '100kb' });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new BodyParserErrorFilter(app.get(HttpAdapterHost).httpAdapter));
  http.configureApp?.(app);
  return app;
}

export interface ServiceEntryPoint<E extends ServiceEnv> {
  readonly service: string;
  loadEnv(): E;
  createModule(env: E, logger: JsonLogger): DynamicModule;
  readonly http?: ServiceHttpOptions;
}

/** The `main` of every service: validated config or exit 1, then listen. */
export async function runService<E extends ServiceEnv>(entry: ServiceEntryPoint<E>): Promise<void> {
  let env: E;
  try {
    env = entry.loadEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    new JsonLogger(entry.service, 'info').pino.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
  const logger = new JsonLogger(entry.service, env.LOG_LEVEL);
  try {
    const app = await createServiceApp(entry.createModule(env, logger), logger, entry.http);
    // SIGTERM / SIGINT close the app: consumers stop, producers flush, pools close.
    app.enableShutdownHooks();
    await app.listen(env.PORT, env.HOST);
    logger.pino.info({ url: `http://${env.HOST}:${env.PORT}` }, `${entry.service} listening`);
  } catch (error) {
    logger.pino.fatal({ err: error }, `${entry.service} failed to start`);
    process.exit(1);
  }
}
