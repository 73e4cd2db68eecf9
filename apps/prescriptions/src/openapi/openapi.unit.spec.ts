import { openApiDocument } from './prescriptions.openapi';

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

describe('OpenAPI document: EPCS and record signatures', () => {
  const doc = openApiDocument();

  it('lists the prescriber-credential and signature endpoints', () => {
    for (const path of [
      '/v1/prescribers/{providerId}/identity-proofing',
      '/v1/prescribers/{providerId}/dea-registrations/{deaNumber}',
      '/v1/prescribers/{providerId}/state-licences/{state}',
      '/v1/prescribers/{providerId}/epcs-access/approvals',
      '/v1/prescribers/{providerId}/epcs-access/revocation',
      '/v1/prescribers/{providerId}/credential',
      '/v1/prescriptions/{prescriptionId}/signature',
      '/v1/prescriptions/{prescriptionId}/signature/verification',
      '/v1/prescription-signing-keys',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
  });

  it('describes the identity-proofing body with its assurance levels', () => {
    const schema = (doc.paths['/v1/prescribers/{providerId}/identity-proofing'] as any).put.requestBody.content['application/json'].schema;
    expect(schema.properties.assuranceLevel.enum).toEqual(['IAL1', 'IAL2', 'IAL3']);
  });
});
