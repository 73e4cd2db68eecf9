import { documentOperations, openApiTemplate, withAccessPolicy } from './access-policy';
import { patientIdsIn } from './access-control.interceptor';
import { parsePurposeOfUse } from './purpose-of-use';

describe('access policy helpers', () => {
  it('maps Express routes to OpenAPI templates and lists a document’s operations', () => {
    expect(openApiTemplate('/v1/devices/:deviceId/assignments/:assignmentId/end')).toBe('/v1/devices/{deviceId}/assignments/{assignmentId}/end');
    expect(documentOperations({ paths: { '/v1/a/{id}': { get: {}, patch: {}, parameters: [] } } })).toEqual(['GET /v1/a/{id}', 'PATCH /v1/a/{id}']);
  });

  it('marks the document with x-roles, x-phi and x-relationship', () => {
    const doc = withAccessPolicy({ paths: { '/v1/a': { get: { summary: 'a' } } } }, { 'GET /v1/a': { roles: ['patient'], phi: true, relationship: 'care' } });
    expect(doc.paths['/v1/a']!.get).toEqual({ summary: 'a', 'x-roles': ['patient'], 'x-phi': true, 'x-relationship': 'care' });
  });

  it('finds the patient ids an answer carries, FHIR references included', () => {
    const ids = patientIdsIn({ items: [{ patientId: 'P-1' }, { subject: { reference: 'Patient/p-2' } }, { note: 'patientId: p-3' }] });
    expect([...ids].sort()).toEqual(['p-1', 'p-2']);
  });
});

describe('X-Purpose-Of-Use', () => {
  it('defaults to TREAT, or PATIENT-REQUEST for a patient', () => {
    expect(parsePurposeOfUse(undefined, undefined, 'provider')).toEqual({ purpose: 'TREAT' });
    expect(parsePurposeOfUse('', undefined, 'patient')).toEqual({ purpose: 'PATIENT-REQUEST' });
    expect(parsePurposeOfUse('payment', undefined, 'payer')).toEqual({ purpose: 'PAYMENT' });
  });

  it('needs a reason with EMERGENCY (break-the-glass), and refuses codes it does not know, naming the header', () => {
    expect(parsePurposeOfUse('EMERGENCY', ' unconscious in the ED ', 'provider')).toEqual({ purpose: 'EMERGENCY', breakGlassReason: 'unconscious in the ED' });
    expect(() => parsePurposeOfUse('EMERGENCY', undefined, 'provider')).toThrow(/X-Break-Glass-Reason is required/);
    expect(() => parsePurposeOfUse('MARKETING', undefined, 'provider')).toThrow(/X-Purpose-Of-Use must be one of/);
  });
});
