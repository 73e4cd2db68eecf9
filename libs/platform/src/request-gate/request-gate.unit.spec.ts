import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { SchemaValidator, isIsoDate, isIsoDateTime } from './json-schema';
import { type OpenApiDocument, matchOperation, operationsOf } from './openapi-operations';
import { MemoryBucketStore, clientAddress, rateLimitsFrom, rateLimitSettings } from './rate-limit';
import type { ExecutionContext } from '@nestjs/common';
import { of } from 'rxjs';
import { PrincipalRateLimitInterceptor } from './principal-rate-limit';
import { GATE_OPERATION, requestGate } from './request-gate';

const uuid = '0b6b6a52-8f8c-4a43-9f51-0f7b9c1d2e3f';
const document: OpenApiDocument = {
  paths: {
    '/v1/things/{thingId}': {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: {
        parameters: [
          { name: 'from', in: 'query', schema: { anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'date', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
      },
      put: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'on'],
                properties: { name: { type: 'string', maxLength: 10 }, on: { type: 'string', format: 'date' }, tags: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    '/v1/things/{thingId}/ping': { post: {} },
    '/v1/things/me/ping': { post: { 'x-carebridge-rate-limit': 'login' } },
    '/v1/photos': { post: { requestBody: { required: true, content: { 'image/png': {} } } } },
  },
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: { code?: string; errors?: { field: string; message: string }[] } | undefined;
  passed: boolean;
  parsed?: unknown;
}

/** Runs the gate on one request (a readable stream standing in for the socket) and captures the answer. */
async function run(
  gate: ReturnType<typeof requestGate>,
  request: { method: string; url: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const chunks = request.body === undefined ? [] : [Buffer.from(request.body)];
  const req = Object.assign(Readable.from(chunks), {
    method: request.method,
    url: request.url,
    headers: {
      ...(request.body !== undefined && { 'content-length': String(Buffer.byteLength(request.body)) }),
      ...request.headers,
    },
    socket: { remoteAddress: '10.0.0.1' },
  }) as unknown as IncomingMessage & { body?: unknown };
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
      end: (text?: string) => resolve({ status: res.statusCode, headers, body: text ? JSON.parse(text) : undefined, passed: false }),
    } as unknown as ServerResponse;
    gate(req, res, () => resolve({ status: 0, headers, body: undefined, passed: true, parsed: req.body }));
  });
}

const gate = requestGate({ service: 'test', document });
const json = { 'content-type': 'application/json' };

describe('request gate: parameters', () => {
  it('refuses a path id that is not a UUID, naming it, as problem+json', async () => {
    const answer = await run(gate, { method: 'GET', url: '/v1/things/not-a-uuid' });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body?.errors).toEqual([{ field: 'path.thingId', message: 'Must be a valid uuid' }]);
  });

  it.each([
    ['not-a-date', 'from=not-a-date'],
    ['an impossible date', 'from=2026-02-30'],
    ['a negative number', 'from=-1'],
    ['1e308', 'from=1e308'],
  ])('refuses %s where a date is declared', async (_, query) => {
    const answer = await run(gate, { method: 'GET', url: `/v1/things/${uuid}?${query}` });
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.field).toBe('query.from');
  });

  it('refuses a repeated parameter unless it is declared as an array', async () => {
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?from=2026-03-01&from=2026-03-02` })).body?.errors).toEqual([
      { field: 'query.from', message: 'Given more than once' },
    ]);
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?patient=a&patient=b` })).body?.errors).toEqual([
      { field: 'query.patient', message: 'Given more than once' },
    ]);
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?date=ge2026-03-01&date=lt2026-03-08` })).passed).toBe(true);
  });

  it('refuses NUL and control characters in any parameter, declared or not', async () => {
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?specialty=a%00b` })).body?.errors).toEqual([
      { field: 'query.specialty', message: 'Control characters are not allowed' },
    ]);
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}%00` })).status).toBe(400);
  });

  it('passes a valid request, coercing numbers, and ignores undeclared parameters with plain values', async () => {
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?from=2024-02-29&limit=10&other=x` })).passed).toBe(true);
    expect((await run(gate, { method: 'GET', url: `/v1/things/${uuid}?limit=1000` })).body?.errors?.[0]?.field).toBe('query.limit');
  });

  it('leaves paths that are not operations of the document to the app (404s, health)', async () => {
    expect((await run(gate, { method: 'GET', url: '/health/ready' })).passed).toBe(true);
  });
});

describe('request gate: bodies', () => {
  it('refuses unknown fields, naming them', async () => {
    const answer = await run(gate, { method: 'PUT', url: `/v1/things/${uuid}`, headers: json, body: JSON.stringify({ name: 'a', on: '2026-03-01', admin: true }) });
    expect(answer.body?.errors).toEqual([{ field: 'body.admin', message: 'Unknown field' }]);
  });

  it('refuses an impossible calendar date and a too long string', async () => {
    const answer = await run(gate, { method: 'PUT', url: `/v1/things/${uuid}`, headers: json, body: JSON.stringify({ name: 'x'.repeat(11), on: '2026-02-31' }) });
    expect(answer.body?.errors?.map((e) => e.field).sort()).toEqual(['body.name', 'body.on']);
  });

  it('refuses malformed JSON, deep nesting and NUL in strings with 400, before parsing costs anything', async () => {
    const put = (body: string) => run(gate, { method: 'PUT', url: `/v1/things/${uuid}`, headers: json, body });
    expect((await put('{"name": ')).body?.errors).toEqual([{ field: 'body', message: 'Malformed JSON' }]);
    expect((await put(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).body?.errors?.[0]?.message).toMatch(/Nested more than 32/);
    expect((await put(JSON.stringify({ name: 'a\u0000b', on: '2026-03-01' }))).body?.errors).toEqual([
      { field: 'body.name', message: 'Control characters and unpaired surrogates are not allowed' },
    ]);
  });

  it('parses a valid JSON body once and hands it on', async () => {
    const answer = await run(gate, { method: 'PUT', url: `/v1/things/${uuid}`, headers: json, body: JSON.stringify({ name: 'a', on: '2024-02-29', tags: ['x'] }) });
    expect(answer).toMatchObject({ passed: true, parsed: { name: 'a', on: '2024-02-29', tags: ['x'] } });
  });

  it('answers 413 over the size limit and 415 for another media type', async () => {
    const small = requestGate({ service: 'test', document, limits: { jsonBodyBytes: 50 } });
    expect((await run(small, { method: 'PUT', url: `/v1/things/${uuid}`, headers: json, body: JSON.stringify({ name: 'a', on: '2026-03-01', tags: ['x'.repeat(60)] }) })).status).toBe(413);
    expect((await run(gate, { method: 'PUT', url: `/v1/things/${uuid}`, headers: { 'content-type': 'text/plain' }, body: 'hello' })).status).toBe(415);
  });

  it('refuses any body on an operation that takes none, and accepts none', async () => {
    expect((await run(gate, { method: 'POST', url: `/v1/things/${uuid}/ping`, headers: json, body: '{}' })).body?.code).toBe('REQUEST.BODY_NOT_ALLOWED');
    expect((await run(gate, { method: 'POST', url: `/v1/things/${uuid}/ping` })).passed).toBe(true);
  });

  it('leaves an upload unread (the handler reads it after authentication), checking type and declared size only', async () => {
    const answer = await run(gate, { method: 'POST', url: '/v1/photos', headers: { 'content-type': 'image/png' }, body: 'PNG...' });
    expect(answer).toMatchObject({ passed: true, parsed: undefined });
    expect((await run(gate, { method: 'POST', url: '/v1/photos', headers: { 'content-type': 'text/html' }, body: '<html>' })).status).toBe(415);
  });
});

describe('request gate: per-address rate limit', () => {
  it('answers 429 with Retry-After once the bucket is empty, then lets requests through again as it refills', async () => {
    let now = 1_000_000;
    const limits = rateLimitsFrom(
      rateLimitSettings.parse({ RATE_LIMIT_PER_ADDRESS_BURST: '3', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '60' }),
    );
    const limited = requestGate({ service: 'test', document, rateLimits: limits, buckets: new MemoryBucketStore(), now: () => now });
    const get = () => run(limited, { method: 'GET', url: `/v1/things/${uuid}` });
    for (let i = 0; i < 3; i++) expect((await get()).passed).toBe(true);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body?.code).toBe('RATE_LIMIT.EXCEEDED');
    now += 1_000;
    expect((await get()).passed).toBe(true);
  });

  it('gives the login class its own, stricter bucket', async () => {
    const limits = rateLimitsFrom(rateLimitSettings.parse({ RATE_LIMIT_LOGIN_BURST: '1', RATE_LIMIT_LOGIN_PER_MINUTE: '1' }));
    const limited = requestGate({ service: 'test', document, rateLimits: limits, buckets: new MemoryBucketStore(), now: () => 0 });
    expect((await run(limited, { method: 'POST', url: '/v1/things/me/ping' })).passed).toBe(true);
    expect((await run(limited, { method: 'POST', url: '/v1/things/me/ping' })).status).toBe(429);
    expect((await run(limited, { method: 'GET', url: `/v1/things/${uuid}` })).passed).toBe(true);
  });
});

describe('pieces', () => {
  it('knows real calendar dates', () => {
    expect([isIsoDate('2024-02-29'), isIsoDate('2026-02-29'), isIsoDate('2026-02-30'), isIsoDate('2026-13-01')]).toEqual([true, false, false, false]);
    expect([isIsoDateTime('2026-03-01T10:00:00Z'), isIsoDateTime('2026-02-31T10:00:00Z'), isIsoDateTime('2026-03-01T25:00:00Z')]).toEqual([true, false, false]);
  });

  it('treats fields of every part of an allOf as known', () => {
    const schema = { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'number' } } }] };
    const validator = new SchemaValidator();
    expect(validator.validate(schema, { a: 'x', b: 1 }, 'body')).toEqual([]);
    expect(validator.validate(schema, { a: 'x', c: 1 }, 'body')).toEqual([{ field: 'body.c', message: 'Unknown field' }]);
    expect(validator.validate({ type: 'object', additionalProperties: { type: 'number' } }, { any: 1 }, 'body')).toEqual([]);
  });

  it('matches the most specific path first', () => {
    const operations = operationsOf(document);
    expect(matchOperation(operations, 'POST', '/v1/things/me/ping')?.operation.rateLimit).toBe('login');
    expect(matchOperation(operations, 'POST', `/v1/things/${uuid}/ping`)?.operation.rateLimit).toBe('default');
  });

  it('matches paths case-insensitively, as Express routes them (review finding: `/V1/...` skipped the gate)', () => {
    const operations = operationsOf(document);
    expect(matchOperation(operations, 'POST', '/V1/Things/ME/ping')?.operation.rateLimit).toBe('login');
    expect(matchOperation(operations, 'POST', `/V1/THINGS/${uuid}/PING/`)?.operation.template).toBe(matchOperation(operations, 'POST', `/v1/things/${uuid}/ping`)?.operation.template);
  });

  it('reads the client address behind N trusted proxies from the right of X-Forwarded-For', () => {
    const req = (xff?: string) => ({ socket: { remoteAddress: '10.0.0.9' }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;
    expect(clientAddress(req('6.6.6.6, 1.2.3.4'), 0)).toBe('10.0.0.9');
    expect(clientAddress(req('6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(req('spoofed, 1.2.3.4, 10.1.1.1'), 2)).toBe('1.2.3.4');
    expect(clientAddress(req(), 1)).toBe('10.0.0.9');
  });
});

describe('per-principal rate limit (after authentication)', () => {
  const limits = rateLimitsFrom(
    rateLimitSettings.parse({ RATE_LIMIT_PER_PRINCIPAL_BURST: '2', RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '60', RATE_LIMIT_LOGIN_BURST: '1', RATE_LIMIT_LOGIN_PER_MINUTE: '1' }),
  );
  const context = (actorId: string, rateLimit?: string) =>
    ({
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ actor: { id: actorId, role: 'provider' }, [GATE_OPERATION]: rateLimit && { rateLimit } }) }),
    }) as unknown as ExecutionContext;
  const next = { handle: () => of('handled') };

  it('limits each caller on its own bucket, and one-time-code operations on the strict one', async () => {
    const interceptor = new PrincipalRateLimitInterceptor('test', limits, new MemoryBucketStore(), () => 0);
    await expect(interceptor.intercept(context('a'), next)).resolves.toBeDefined();
    await expect(interceptor.intercept(context('a'), next)).resolves.toBeDefined();
    await expect(interceptor.intercept(context('a'), next)).rejects.toMatchObject({ code: 'RATE_LIMIT.EXCEEDED', headers: { 'retry-after': '1' } });
    await expect(interceptor.intercept(context('b'), next)).resolves.toBeDefined();
    await expect(interceptor.intercept(context('c', 'one-time-code'), next)).resolves.toBeDefined();
    await expect(interceptor.intercept(context('c', 'one-time-code'), next)).rejects.toMatchObject({ code: 'RATE_LIMIT.EXCEEDED', headers: { 'retry-after': '60' } });
  });
});
