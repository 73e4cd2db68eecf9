import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as osConstants } from 'node:os';
import type { Logger } from 'pino';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { PinoNestLogger } from '../logging/nest-logger';
import { requestLogging } from '../logging/request-logging.middleware';
import type { RequestGateSetup } from '../request-gate/install';
import type { Telemetry } from '../telemetry/start-telemetry';

export interface ServiceAppOptions {
  readonly logger: Logger;
  /**
   * Flushed and shut down when the app has closed (SIGTERM included): after the HTTP server has
   * drained and every module's shutdown hook has run, so spans those hooks make are exported too.
   */
  readonly telemetry?: Telemetry;
  /**
   * Close the app on SIGTERM/SIGINT, then end the process with that signal (default true). The
   * embedded platform runs several apps in one process and closes them itself, in order.
   */
  readonly shutdownHooks?: boolean;
  /** The request gate (requestGateSetup): installed right after request logging, before any body parser. */
  readonly requestGate?: RequestGateSetup;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

const profiling = () =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS?.split(/\s+/) ?? [])].some((flag) => /^--(cpu|heap)-prof\b/.test(flag));

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
  if (options.requestGate) {
    app.use(options.requestGate.middleware);
    app.useGlobalInterceptors(options.requestGate.interceptor);
  }
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
  closeWithTelemetry(app, options);
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}

/**
 * `app.close()` then shuts telemetry down, and SIGTERM/SIGINT (unless `shutdownHooks` is false)
 * close the app and end the process with the same signal. Not Nest's `enableShutdownHooks()`: Nest
 * calls the root module's onApplicationShutdown first, so a flush there loses the spans of every
 * other module's shutdown (the relay's last publish, the consumers' last commit). A second signal
 * while closing (Ctrl+C under npm delivers SIGINT twice) is ignored, as Nest's handler does: the
 * listeners stay until the close has settled.
 */
function closeWithTelemetry(app: INestApplication, options: ServiceAppOptions): void {
  // The class's own close: `app.close` read through NestFactory's proxy is a wrapper that looks the
  // method up again at call time, and would find the override below.
  const close = (Object.getPrototypeOf(app) as INestApplication).close;
  let telemetryDown: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  const unsubscribe = () => {
    for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing !== undefined) return;
    closing = (app.close as (signal?: string) => Promise<void>).call(app, signal).then(
      () => {
        unsubscribe();
        // Death by the signal writes no --cpu-prof/--heap-prof profile; an exit does, with the
        // status a shell gives a process the signal ended (128 + its number).
        if (profiling()) process.exit(128 + (osConstants.signals[signal] ?? 0));
        process.kill(process.pid, signal);
      },
      (error: unknown) => {
        options.logger.error({ err: error, signal }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Defined, not assigned: NestFactory's proxy turns an assignment into a silent no-op.
  Object.defineProperty(app, 'close', {
    configurable: true,
    value: async (...args: Parameters<INestApplication['close']>) => {
      try {
        await close.apply(app, args);
      } finally {
        telemetryDown ??= options.telemetry?.shutdown();
        await telemetryDown;
        // Closed by the code (tests, the embedded platform), not by a signal: no listener is left.
        if (closing === undefined) unsubscribe();
      }
    },
  });
  if (options.shutdownHooks !== false) for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
