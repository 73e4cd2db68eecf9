import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { PinoNestLogger } from '../logging/nest-logger';
import { requestLogging } from '../logging/request-logging.middleware';

export interface ServiceAppOptions {
  readonly logger: Logger;
}

/** Creates a service's Nest app with the platform's logging, error mapping and shutdown hooks. */
export async function createServiceApp(
  module: Type | DynamicModule,
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: new PinoNestLogger(options.logger),
  });
  return configureServiceApp(app, options);
}

/** The same set-up for an app made elsewhere, e.g. by `Test.createTestingModule(...).createNestApplication()`. */
export function configureServiceApp<A extends INestApplication>(app: A, options: ServiceAppOptions): A {
  app.useLogger(new PinoNestLogger(options.logger));
  app.use(requestLogging(options.logger));
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}
