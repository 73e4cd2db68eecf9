import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { HealthModule } from '../health/health.module';
import { captureLogger } from '../test-support';
import { createServiceApp } from './create-service-app';

@Controller('visits')
class VisitsController {
  @Get()
  list() {
    throw new Error('database exploded');
  }
}

@Module({ imports: [HealthModule.register({ checks: [] })], controllers: [VisitsController] })
class VisitsModule {}

describe('createServiceApp', () => {
  it('wires JSON logging, correlation ids and problem+json into a new app', async () => {
    const { logger, lines } = captureLogger();
    const app = await createServiceApp(VisitsModule, { logger });
    await app.init();
    try {
      const live = await request(app.getHttpServer()).get('/health/live');
      const failed = await request(app.getHttpServer()).get('/visits');

      expect(live.status).toBe(200);
      expect(live.headers['x-powered-by']).toBeUndefined();
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(failed.body.correlationId).toBe(failed.headers['x-correlation-id']);
      expect(lines).toContainEqual(expect.objectContaining({ context: 'RoutesResolver', level: 'info' }));
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'request completed', route: '/visits', status: 500 }),
      );
    } finally {
      await app.close();
    }
  });

  it('flushes telemetry when the app closes', async () => {
    const telemetry = { flush: jest.fn(async () => undefined), shutdown: jest.fn(async () => undefined) };
    const listenersBefore = process.listeners('SIGTERM').length;
    const app = await createServiceApp(VisitsModule, { logger: captureLogger().logger, telemetry });
    await app.init();
    expect(process.listeners('SIGTERM')).toHaveLength(listenersBefore + 1);

    await app.close();
    await app.close();

    expect(telemetry.shutdown).toHaveBeenCalledTimes(1);
    expect(process.listeners('SIGTERM')).toHaveLength(listenersBefore);
  });
});
