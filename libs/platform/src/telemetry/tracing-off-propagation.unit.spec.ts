import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { commandMetadata } from '../http/command-metadata';
import { requestLogging } from '../logging/request-logging.middleware';
import { startTelemetry } from './start-telemetry';

// Issue 18: the embedded profile runs with TRACE_EXPORTER=none, and its events carried no
// traceparent, so a trace stopped at the first service. With tracing off there is no span, yet a
// request still has a trace context: the caller's, or a new one (not sampled: nothing records it).
const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

describe('trace context of commands with tracing off (the embedded profile)', () => {
  const telemetry = startTelemetry({ serviceName: 'tracing-off-propagation', exporter: 'none' });
  afterAll(() => telemetry.shutdown());
  const app = express()
    .use(requestLogging(pino({ level: 'silent' })))
    .post('/commands', (_req, res) => {
      res.json(commandMetadata({ id: 'user-1', role: 'provider' }, new Date('2026-12-07T10:00:00Z')));
    });

  it("carries the caller's traceparent into the command, so the stored event and its messages continue the trace", async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { body } = await request(app).post('/commands').set('traceparent', caller).expect(200);
    expect(body.traceparent).toBe(caller);
  });

  it('starts a trace of its own (not sampled) when the caller sent none, one per request', async () => {
    const first = (await request(app).post('/commands').expect(200)).body.traceparent as string;
    const second = (await request(app).post('/commands').expect(200)).body.traceparent as string;
    expect(first).toMatch(W3C);
    expect(W3C.exec(first)![3]).toBe('00');
    expect(W3C.exec(first)![1]).not.toBe(W3C.exec(second)![1]);
  });

  it.each([
    ['not W3C', 'hello'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  ])('replaces a traceparent that is %s with a new trace', async (_what, offered) => {
    const { body } = await request(app).post('/commands').set('traceparent', offered).expect(200);
    expect(body.traceparent).toMatch(W3C);
    expect(body.traceparent).not.toBe(offered);
  });
});
