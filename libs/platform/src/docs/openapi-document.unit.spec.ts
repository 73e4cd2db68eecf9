import { z } from 'zod';
import { type ApiOperation, openApiDocument } from './openapi-document';

const body = z.object({ reason: z.string().min(1) });
const answer = z.looseObject({ appointmentId: z.uuid() });
const operations: ApiOperation[] = [
  { method: 'post', path: '/v1/appointments/{appointmentId}/cancel', operationId: 'cancelAppointment', summary: 'Cancel', body, responses: { 200: { description: 'Cancelled', schema: answer } } },
  { method: 'get', path: '/v1/pharmacies/{ncpdpId}', operationId: 'getPharmacy', summary: 'One pharmacy', pathParameters: { ncpdpId: { type: 'string', pattern: '^\\d{7}$' } }, responses: { 200: { description: 'OK' } } },
];
type Operation = { operationId: string; parameters: { name: string; in: string; required: boolean; schema: unknown }[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
const doc = openApiDocument({ title: 'Test', version: '1', description: 'A test service', operations }) as unknown as {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  paths: Record<string, Record<string, Operation>>;
};

describe('openApiDocument', () => {
  it('gives every operation its operationId and declares each template variable as a required path parameter', () => {
    const cancel = doc.paths['/v1/appointments/{appointmentId}/cancel']!.post!;
    expect(cancel.operationId).toBe('cancelAppointment');
    expect(cancel.parameters).toEqual([{ name: 'appointmentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
    expect(doc.paths['/v1/pharmacies/{ncpdpId}']!.get!.parameters[0]!.schema).toEqual({ type: 'string', pattern: '^\\d{7}$' });
  });

  it('takes the request body and the answer from the zod schemas', () => {
    const cancel = doc.paths['/v1/appointments/{appointmentId}/cancel']!.post!;
    expect(cancel.requestBody).toEqual({ required: true, content: { 'application/json': { schema: expect.objectContaining({ required: ['reason'] }) } } });
    expect(cancel.responses['200']!.content!['application/json']!.schema).toEqual(expect.objectContaining({ properties: { appointmentId: expect.objectContaining({ format: 'uuid' }) } }));
  });

  it('answers errors with the one shared problem+json schema, 413 and 415 where a body is taken', () => {
    expect(Object.keys(doc.components.schemas.Problem!.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']));
    const cancel = doc.paths['/v1/appointments/{appointmentId}/cancel']!.post!;
    expect(Object.keys(cancel.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(cancel.responses['409']!.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    expect(Object.keys(doc.paths['/v1/pharmacies/{ncpdpId}']!.get!.responses)).not.toContain('415');
  });

  it('answers errors under a FHIR base with the shared OperationOutcome schema in application/fhir+json, declared only where one is documented', () => {
    expect(doc.components.schemas.OperationOutcome).toBeUndefined();
    const fhir = openApiDocument({
      title: 'T',
      version: '1',
      description: 'd',
      operations: [...operations, { method: 'get', path: '/fhir/R4/Coverage', operationId: 'searchCoverage', summary: 'Search', responses: { 200: { description: 'Bundle', schema: answer, mediaType: 'application/fhir+json' } }, problems: [400, 406] }],
    }) as unknown as typeof doc;
    const search = fhir.paths['/fhir/R4/Coverage']!.get!;
    expect(search.responses['200']!.content).toEqual({ 'application/fhir+json': { schema: expect.any(Object) } });
    expect(search.responses['406']!.content).toEqual({ 'application/fhir+json': { schema: { $ref: '#/components/schemas/OperationOutcome' } } });
    expect(Object.keys(fhir.components.schemas.OperationOutcome!.properties)).toEqual(['resourceType', 'issue']);
    expect(fhir.paths['/v1/appointments/{appointmentId}/cancel']!.post!.responses['409']!.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
  });

  it('refuses an operationId or a route declared twice', () => {
    const twice = (changes: Partial<ApiOperation>) => () => openApiDocument({ title: 'T', version: '1', description: 'd', operations: [operations[0]!, { ...operations[0]!, ...changes }] });
    expect(twice({ path: '/v1/other' })).toThrow(/operationId cancelAppointment is used twice/);
    expect(twice({ operationId: 'another' })).toThrow(/POST \/v1\/appointments\/\{appointmentId\}\/cancel is declared twice/);
  });
});
