import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { configureServiceApp } from './bootstrap/create-service-app';
import { type Logger, createLogger } from './logging/logger';

/** A logger whose JSON lines land in `lines`, for specs. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'platform-spec',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** A Nest app set up the way `createServiceApp` sets up a service, not listening. */
export async function startTestApp(
  metadata: ModuleMetadata,
  logger: Logger = captureLogger().logger,
): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), { logger });
  await app.init();
  return app;
}
