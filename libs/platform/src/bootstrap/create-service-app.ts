import {
  type DynamicModule,
  type INestApplication,
  Inject,
  Module,
  type OnApplicationShutdown,
  Optional,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { PinoNestLogger } from '../logging/nest-logger';
import { requestLogging } from '../logging/request-logging.middleware';
import type { Telemetry } from '../telemetry/start-telemetry';

export interface ServiceAppOptions {
  readonly logger: Logger;
  /** Flushed when the app shuts down (SIGTERM included), once the HTTP server has stopped. */
  readonly telemetry?: Telemetry;
  /**
   * Close the app on SIGTERM/SIGINT (default true). The embedded platform runs several apps in
   * one process and closes them itself, in order.
   */
  readonly shutdownHooks?: boolean;
}

const TELEMETRY = Symbol('TELEMETRY');

// Nest's signal handler re-raises the signal once the app has closed, so the flush must run
// inside the app's lifecycle. onApplicationShutdown comes after the HTTP server has drained;
// Nest calls the root module's first, so spans made in other modules' shutdown hooks are lost.
@Module({})
class ServiceRootModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(TELEMETRY) private readonly telemetry?: Telemetry) {}

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry?.shutdown();
  }
}

/** Creates a service's Nest app with the platform's logging, error mapping and shutdown hooks. */
export async function createServiceApp(
  module: Type | DynamicModule,
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [module],
    providers: options.telemetry ? [{ provide: TELEMETRY, useValue: options.telemetry }] : [],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: new PinoNestLogger(options.logger),
  });
  return configureServiceApp(app, options);
}

/** The same set-up for an app made elsewhere, e.g. by `Test.createTestingModule(...).createNestApplication()`. */
export function configureServiceApp<A extends INestApplication>(app: A, options: ServiceAppOptions): A {
  app.useLogger(new PinoNestLogger(options.logger));
  app.use(requestLogging(options.logger));
  // JSON with a structured-syntax suffix (RFC 6839): FHIR clients send `application/fhir+json`.
  // Wrapped under another name: Nest skips its own parser when it finds one called `jsonParser`,
  // and plain `application/json` stays with Nest's (and a service's `useBodyParser` limit).
  // Required here, not at the top: telemetry instruments `http` and `express` only when loaded
  // after it starts, and this module is imported before main.ts starts telemetry.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { json } = require('express') as typeof import('express');
  const suffixedJson = json({ type: (req) => /^application\/[a-z0-9.-]+\+json\b/i.test(req.headers['content-type'] ?? ''), limit: '100kb' });
  app.use(function structuredSyntaxJson(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) {
    suffixedJson(req as never, res as never, next);
  });
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}
