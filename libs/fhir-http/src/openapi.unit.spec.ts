import { z } from 'zod';
import { openApiDocument } from '@carebridge/platform';
import type { FhirServerSpec } from './fhir-server';
import { fhirOperations } from './openapi';

const SPEC: FhirServerSpec = {
  service: 'test',
  bases: ['/fhir', '/fhir/R4'],
  description: 'A test server',
  resources: [
    { type: 'Claim', interactions: ['create'], summary: 'a claim', documentation: 'Claims' },
    {
      type: 'Coverage',
      interactions: ['read', 'search-type'],
      summary: 'coverages',
      documentation: 'Coverages',
      searchParams: [{ name: 'patient', type: 'reference', target: 'Patient', required: true, documentation: 'Patient/<id> or the id' }],
    },
  ],
};
const creates = { Claim: { body: z.object({ resourceType: z.literal('Claim') }), answer: z.looseObject({ resourceType: z.literal('ClaimResponse') }) } };

type Operation = { operationId: string; security?: unknown[]; parameters?: { name: string; in: string; required: boolean; schema: { pattern?: string } }[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };

describe('fhirOperations', () => {
  const operations = fhirOperations(SPEC, creates);
  const doc = openApiDocument({ title: 'T', version: '1', description: 'd', operations }) as unknown as { paths: Record<string, Record<string, Operation>> };

  it('gives every interaction of the spec one operation at each base, with a unique operationId', () => {
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path} ${o.operationId}`)).toEqual([
      'GET /fhir/metadata fhirMetadataRead',
      'POST /fhir/Claim fhirClaimCreate',
      'GET /fhir/Coverage fhirCoverageSearch',
      'GET /fhir/Coverage/{id} fhirCoverageRead',
      'GET /fhir/R4/metadata fhirR4MetadataRead',
      'POST /fhir/R4/Claim fhirR4ClaimCreate',
      'GET /fhir/R4/Coverage fhirR4CoverageSearch',
      'GET /fhir/R4/Coverage/{id} fhirR4CoverageRead',
    ]);
  });

  it('answers in application/fhir+json, errors as the shared OperationOutcome', () => {
    const search = doc.paths['/fhir/R4/Coverage']!.get!;
    expect(Object.keys(search.responses['200']!.content!)).toEqual(['application/fhir+json']);
    for (const status of ['400', '401', '403', '404', '406', '429']) {
      expect(search.responses[status]!.content).toEqual({ 'application/fhir+json': { schema: { $ref: '#/components/schemas/OperationOutcome' } } });
    }
    const create = doc.paths['/fhir/Claim']!.post!;
    expect(Object.keys(create.requestBody!.content)).toEqual(['application/fhir+json']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '413', '415', '422']));
    expect(doc.paths['/fhir/metadata']!.get!.security).toEqual([]);
  });

  it('declares the search parameters with their reference pattern, and the id pattern of a read', () => {
    const patient = doc.paths['/fhir/Coverage']!.get!.parameters!.find((p) => p.name === 'patient')!;
    expect(patient.required).toBe(true);
    expect(new RegExp(patient.schema.pattern!).test('Patient/0b8f3c2e-5d1a-4c3e-9f6a-2b7d8e9f0a1b')).toBe(true);
    expect(new RegExp(patient.schema.pattern!).test('Practitioner/0b8f3c2e-5d1a-4c3e-9f6a-2b7d8e9f0a1b')).toBe(false);
    expect(doc.paths['/fhir/Coverage']!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['query:patient', 'query:_count', 'query:_offset', 'query:_format', 'header:Prefer']);
    expect(doc.paths['/fhir/Coverage/{id}']!.get!.parameters![0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { pattern: expect.any(String) } });
  });

  it('refuses a create without its body and answer schemas', () => {
    expect(() => fhirOperations(SPEC)).toThrow(/FHIR Claim create needs its body and answer schemas/);
  });
});
