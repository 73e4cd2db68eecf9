import { monitoringOpenApi } from './openapi';

describe('OpenAPI document', () => {
  const doc = monitoringOpenApi();

  it('is OpenAPI 3.1 with the batch, device and FHIR paths', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/readings/batch', '/v1/devices/{deviceId}/readings', '/v1/patients/{patientId}/readings/live', '/v1/fhir/Observation']),
    );
  });

  it('takes request bodies from the zod schemas the controllers parse with', () => {
    const batch = doc.paths['/v1/readings/batch'].post.requestBody!.content['application/json'].schema as unknown as { properties: { readings: { maxItems: number } } };
    expect(batch.properties.readings.maxItems).toBe(1_000);
    const reading = doc.components.schemas.Reading as unknown as { required: string[] };
    expect(reading.required).toEqual(expect.arrayContaining(['deviceId', 'type', 'measuredAt']));
  });
});
