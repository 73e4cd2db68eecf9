import { openApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const doc = openApiDocument();

  it('describes the NewRx draft body with its required fields', () => {
    const schema = (doc.paths['/v1/prescriptions'] as any).post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['prescriptionId', 'patientId', 'encounter']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['medication', 'sig', 'quantity', 'daysSupply', 'refills']));
  });

  it('requires an Idempotency-Key on every command', () => {
    const commands = Object.values(doc.paths).flatMap((item) => Object.entries(item).filter(([method]) => method !== 'get').map(([, op]) => op as any));
    expect(commands.filter((op) => !op.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key'))).toEqual([]);
  });
});
