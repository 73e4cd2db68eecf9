import { Controller, Get, Param } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { captureLogger, startTestApp } from '../test-support';
import { PinoNestLogger } from './nest-logger';
import { getCorrelationId } from './request-context';

@Controller('appointments')
class AppointmentsController {
  @Get(':id')
  async get(@Param('id') id: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { id, correlationId: getCorrelationId() };
  }
}

describe('createLogger', () => {
  it('writes JSON with a level name and the service', () => {
    const { logger, lines } = captureLogger();

    logger.info({ appointmentId: 'a-1' }, 'booked');

    expect(lines[0]).toMatchObject({ level: 'info', service: 'platform-spec', appointmentId: 'a-1', msg: 'booked' });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('redacts credentials in headers', () => {
    const { logger, lines } = captureLogger();

    logger.info({ req: { headers: { authorization: 'Bearer eyJ...', cookie: 'sid=1', accept: 'application/json' } } });

    expect(lines[0]?.req).toEqual({
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', accept: 'application/json' },
    });
  });

  it('redacts clinical free text at any of the first levels', () => {
    const { logger, lines } = captureLogger();

    logger.info({
      notes: 'top',
      visit: { notes: 'one', vitals: { freeText: 'two', pulse: 72 } },
      command: { data: { intake: { notes: 'three' } } },
    });

    expect(lines[0]).toMatchObject({
      notes: '[REDACTED]',
      visit: { notes: '[REDACTED]', vitals: { freeText: '[REDACTED]', pulse: 72 } },
      command: { data: { intake: { notes: '[REDACTED]' } } },
    });
  });

  it('honours the level', () => {
    const { logger, lines } = captureLogger();
    logger.level = 'warn';

    logger.info('hidden');
    logger.warn('shown');

    expect(lines.map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('request logging', () => {
  const { logger, lines } = captureLogger();
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await startTestApp({ controllers: [AppointmentsController] }, logger);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    lines.length = 0;
  });

  const requestLines = () => lines.filter((line) => line.msg === 'request completed');

  it('echoes the caller’s correlation id and exposes it to the handler', async () => {
    const response = await request(app.getHttpServer())
      .get('/appointments/a-1')
      .set('x-correlation-id', 'portal-7f3a');

    expect(response.headers['x-correlation-id']).toBe('portal-7f3a');
    expect(response.body).toEqual({ id: 'a-1', correlationId: 'portal-7f3a' });
  });

  it('makes a UUID when the caller sends none', async () => {
    const response = await request(app.getHttpServer()).get('/appointments/a-1');

    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    expect(response.body.correlationId).toBe(response.headers['x-correlation-id']);
  });

  it('replaces a correlation id that could inject into logs or headers', async () => {
    const response = await request(app.getHttpServer())
      .get('/appointments/a-1')
      .set('x-correlation-id', 'a b"c');

    expect(response.headers['x-correlation-id']).not.toBe('a b"c');
  });

  it('logs one line per request with the route template, status and duration', async () => {
    await request(app.getHttpServer()).get('/appointments/a-1?patient=p-1').set('x-correlation-id', 'c-1');

    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 'debug',
        method: 'GET',
        route: '/appointments/:id',
        status: 200,
        durationMs: expect.any(Number),
        correlationId: 'c-1',
      }),
    ]);
    expect(requestLines()[0]?.durationMs).toBeGreaterThanOrEqual(4);
  });

  it('logs unmatched paths too, at info as every 4xx', async () => {
    await request(app.getHttpServer()).get('/nowhere');

    expect(requestLines()).toEqual([expect.objectContaining({ level: 'info', route: '/nowhere', status: 404 })]);
  });

  it('writes no line for a successful request when the level is info', async () => {
    logger.level = 'info';
    try {
      await request(app.getHttpServer()).get('/appointments/a-1');
      await request(app.getHttpServer()).get('/nowhere');
    } finally {
      logger.level = 'debug';
    }

    expect(requestLines()).toEqual([expect.objectContaining({ level: 'info', status: 404 })]);
  });
});

describe('PinoNestLogger', () => {
  it('keeps Nest’s context and stack as fields', () => {
    const { logger, lines } = captureLogger();
    const nest = new PinoNestLogger(logger);
    const stack = 'Error: boom\n    at main (main.ts:1:1)';

    nest.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    nest.error('Unhandled', stack, 'ExceptionsHandler');
    nest.error('Without context', stack);
    nest.verbose('detail');

    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'RouterExplorer', msg: 'Mapped {/health/live, GET} route' }),
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', stack, msg: 'Unhandled' }),
      expect.objectContaining({ level: 'error', stack, msg: 'Without context' }),
    ]);
    expect(lines[2]).not.toHaveProperty('context');
  });

  it('logs an Error as err', () => {
    const { logger, lines } = captureLogger();

    new PinoNestLogger(logger).error(new Error('boom'), 'Bootstrap');

    expect(lines[0]).toMatchObject({ context: 'Bootstrap', msg: 'boom', err: { message: 'boom', type: 'Error' } });
  });
});
