import { monitoringOpenApi } from './monitoring.openapi';

type Operation = { operationId: string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

describe('OpenAPI document', () => {
  const doc = monitoringOpenApi() as unknown as { openapi: string; paths: Record<string, Record<string, Operation>> };

  it('is OpenAPI 3.1 with the batch, device and FHIR paths', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/readings/batch', '/v1/devices/{deviceId}/readings', '/v1/patients/{patientId}/readings/live', '/v1/fhir/Observation']),
    );
  });

  it('takes request bodies from the zod schemas the controllers parse with', () => {
    const batch = doc.paths['/v1/readings/batch']!.post!.requestBody!.content['application/json']!.schema as { properties: { readings: { minItems: number; maxItems: number } } };
    expect(batch.properties.readings).toMatchObject({ minItems: 1, maxItems: 1_000 });
  });

  it('declares the path parameters of monitoring operations (Redocly: path-parameters-defined)', () => {
    const adjust = doc.paths['/v1/patients/{patientId}/care-plan/rules/{ruleId}']!.put! as unknown as { parameters: { name: string; in: string }[] };
    expect(adjust.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['patientId', 'ruleId']);
  });
});
