import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { RequestValidationError } from '@carebridge/platform';
import { InMemoryEventStore } from '@carebridge/event-store';
import { lastValueFrom, of } from 'rxjs';
import { AccessControlInterceptor, locatePatient } from './access-control.interceptor';
import { param, query, rule } from './access-policy';
import { AccessRecorder } from './access-recorder';

const provider = { id: 'prov-1', role: 'provider' as const, providerId: 'prov-1', scopes: [] };
const patient = { id: 'user-9', role: 'patient' as const, patientId: 'pat-1', scopes: [] };

function call(interceptor: AccessControlInterceptor, request: Record<string, unknown>) {
  const req = { method: 'GET', originalUrl: '/v1/devices/x', path: '/v1/devices/x', params: {}, query: {}, body: undefined, get: () => undefined, ...request };
  const context = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({ statusCode: 200 }) }) } as unknown as ExecutionContext;
  const handled = { calls: 0 };
  const next: CallHandler = { handle: () => (handled.calls++, of({ ok: true })) };
  return { handled, result: lastValueFrom(interceptor.intercept(context, next)) };
}

describe('AccessControlInterceptor (review findings)', () => {
  const store = new InMemoryEventStore();
  const interceptor = (lookup: (id: string) => Promise<string | undefined>) =>
    new AccessControlInterceptor({
      service: 'monitoring',
      policy: {
        'GET /v1/devices/{deviceId}': rule.patient(['patient', 'provider', 'ops'], param('deviceId', 'device')),
        'GET /v1/readings': rule.patient(['patient', 'provider'], query('patient')),
      },
      relationships: { has: async (providerId, patientId) => providerId === 'prov-1' && patientId === 'pat-1' },
      lookups: { device: lookup },
      recorder: new AccessRecorder(store),
    });

  it('refuses a provider when the resource names no patient it knows (fail closed), without calling the handler', async () => {
    const { handled, result } = call(interceptor(async () => undefined), { actor: provider, route: { path: '/v1/devices/:deviceId' }, params: { deviceId: 'd-1' } });
    await expect(result).rejects.toMatchObject({ status: 404, code: 'ACCESS.NOT_FOUND' });
    expect(handled.calls).toBe(0);
  });

  it('compares the looked-up patient case-insensitively', async () => {
    const { handled, result } = call(interceptor(async () => 'PAT-1'), { actor: patient, route: { path: '/v1/devices/:deviceId' }, params: { deviceId: 'd-1' } });
    await expect(result).resolves.toEqual({ ok: true });
    expect(handled.calls).toBe(1);
  });

  it('answers 400 naming the field for a repeated (array) patient query parameter instead of skipping the check', async () => {
    const { handled, result } = call(interceptor(async () => undefined), { actor: provider, route: { path: '/v1/readings' }, query: { patient: ['pat-1', 'pat-2'] } });
    await expect(result).rejects.toBeInstanceOf(RequestValidationError);
    await expect(result).rejects.toMatchObject({ errors: [{ field: 'query.patient' }] });
    expect(handled.calls).toBe(0);
  });

  it('locates the patient: missing is left to the handler; malformed is a 400; FHIR references are unwrapped', () => {
    const locator = query('patient');
    expect(locatePatient({ params: {}, query: {}, body: undefined } as never, locator)).toBeUndefined();
    expect(locatePatient({ params: {}, query: { patient: 'Patient/abc' }, body: undefined } as never, locator)).toBe('abc');
    for (const bad of ['', 'x'.repeat(201), 7, { id: 'a' }, ['a']]) {
      expect(() => locatePatient({ params: {}, query: { patient: bad }, body: undefined } as never, locator)).toThrow(RequestValidationError);
    }
    expect(() => locatePatient({ params: {}, query: {}, body: { patientId: 42 } } as never, { from: 'body', name: 'patientId' })).toThrow(/patientId/);
  });
});
