import { Body, Controller, ForbiddenException, Get, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainError, type DomainErrorKind, RuleViolation } from '@carebridge/shared-kernel';
import request from 'supertest';
import { z } from 'zod';
import { captureLogger, startTestApp } from '../test-support';
import { ZodValidationPipe, parseBody } from '../validation/parse-body';
import { problemType } from './problem';

class SlotTakenError extends DomainError {
  readonly code = 'APPOINTMENT.SLOT_TAKEN';
  override readonly kind = 'conflict';
  constructor() {
    super('The slot was booked by someone else');
  }
}

/** Shaped like libs/event-store's error, which does not extend DomainError. */
class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor() {
    super('Stream appointment-1 is at version 3, expected 2');
    this.name = 'WrongExpectedVersionError';
  }
}

const bookAppointmentBody = z.object({
  slotId: z.uuid(),
  intake: z.object({ reason: z.string().min(1), symptoms: z.array(z.string()) }),
});

let nextError: unknown;

@Controller()
class ProbeController {
  @Get('fail')
  fail() {
    throw nextError;
  }

  @Post('appointments')
  book(@Body(new ZodValidationPipe(bookAppointmentBody)) body: z.infer<typeof bookAppointmentBody>) {
    return { slotId: body.slotId };
  }

  @Post('visits')
  open(@Body() body: unknown) {
    return parseBody(z.object({ appointmentId: z.uuid() }), body);
  }
}

describe('problem+json', () => {
  const { logger, lines } = captureLogger();
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await startTestApp({ controllers: [ProbeController] }, logger);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    lines.length = 0;
  });

  function failWith(error: unknown) {
    nextError = error;
    return request(app.getHttpServer()).get('/fail?patientId=p-1').set('x-correlation-id', 'corr-1');
  }

  it.each<[DomainErrorKind, number]>([
    ['invalid', 400],
    ['forbidden', 403],
    ['not-found', 404],
    ['conflict', 409],
    ['rule', 422],
  ])('maps a %s domain error to %i', async (kind, status) => {
    const response = await failWith(new RuleViolation('VISIT.ALREADY_ENDED', 'The visit has ended', {}, kind));

    expect(response.status).toBe(status);
    expect(response.body.code).toBe('VISIT.ALREADY_ENDED');
  });

  it('writes a complete problem document for a domain error', async () => {
    const response = await failWith(new SlotTakenError());

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'https://carebridge.dev/problems/appointment/slot_taken',
      title: 'Conflict',
      status: 409,
      detail: 'The slot was booked by someone else',
      instance: '/fail',
      code: 'APPOINTMENT.SLOT_TAKEN',
      correlationId: 'corr-1',
    });
  });

  it('maps the event store’s version conflict to 409 without naming the stream', async () => {
    const response = await failWith(new WrongExpectedVersionError());

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('EVENT_STORE.WRONG_EXPECTED_VERSION');
    expect(response.body.detail).not.toContain('appointment-1');
  });

  it('maps a serialization failure that outlived the retries to 503 with Retry-After', async () => {
    const response = await failWith(Object.assign(new Error('could not serialize access'), { code: '40001' }));

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.code).toBe('DATABASE.CONTENTION');
    expect(response.body.detail).not.toContain('serialize');
  });

  it('maps other errors that carry a code and a kind', async () => {
    const duplicate = Object.assign(new Error('duplicate event ids'), {
      code: 'EVENT_STORE.DUPLICATE_EVENT_ID',
      kind: 'conflict',
    });

    expect((await failWith(duplicate)).status).toBe(409);
  });

  it('keeps the status of a Nest HttpException', async () => {
    const response = await failWith(new ForbiddenException('Not your patient'));

    expect(response.body).toMatchObject({ status: 403, code: 'HTTP.FORBIDDEN', detail: 'Not your patient' });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await request(app.getHttpServer()).get('/nowhere');

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'HTTP.NOT_FOUND', instance: '/nowhere' });
  });

  it('hides an unexpected error from the client and logs it with its stack', async () => {
    const response = await failWith(new TypeError("Cannot read properties of undefined (reading 'patient')"));

    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      type: problemType('INTERNAL.UNEXPECTED'),
      title: 'Internal Server Error',
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
      correlationId: 'corr-1',
    });
    expect(JSON.stringify(response.body)).not.toContain('patient');
    const logged = lines.find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({ level: 'error', correlationId: 'corr-1', err: { type: 'TypeError' } });
    expect(String((logged?.err as { stack?: string }).stack)).toContain('TypeError');
  });

  it('names each invalid field of a body checked by ZodValidationPipe', async () => {
    const response = await request(app.getHttpServer())
      .post('/appointments')
      .send({ slotId: 'not-a-uuid', intake: { symptoms: ['cough', 7] } });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'REQUEST.INVALID',
      type: 'https://carebridge.dev/problems/request/invalid',
      errors: [
        { field: 'slotId', message: 'Invalid UUID' },
        { field: 'intake.reason', message: 'Required' },
        { field: 'intake.symptoms[1]', message: 'Invalid input: expected string, received number' },
      ],
    });
    expect(response.body.detail).toContain('intake.reason: Required');
  });

  it('passes a valid body through the pipe, parsed', async () => {
    const slotId = '0b7c6a4e-3f1d-4c7a-9a51-2f1f0c8d9e10';
    const response = await request(app.getHttpServer())
      .post('/appointments')
      .send({ slotId, intake: { reason: 'rash', symptoms: [] }, extra: true });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ slotId });
  });

  it('reports parseBody failures the same way, naming the body itself when it is not an object', async () => {
    const response = await request(app.getHttpServer())
      .post('/visits')
      .set('content-type', 'application/json')
      .send('[]');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: '(body)', message: 'Invalid input: expected object, received array' },
    ]);
  });

  it('answers malformed JSON (which Nest turns into a BadRequestException) with a 400 problem', async () => {
    const response = await request(app.getHttpServer())
      .post('/visits')
      .set('content-type', 'application/json')
      .send('{"appointmentId":');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('HTTP.BAD_REQUEST');
    expect(response.headers['x-correlation-id']).toBe(response.body.correlationId);
  });
});
