import { schedulingOpenApi } from './openapi';

describe('OpenAPI document', () => {
  const document = schedulingOpenApi();

  it('describes the booking body from the controller schema, intake included', () => {
    const body = (document.paths['/v1/appointments'] as { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } } })
      .post.requestBody.content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['providerId', 'slotStart', 'modality', 'patientState', 'intake', 'holdId', 'override']));
    expect(body.required).toEqual(expect.arrayContaining(['providerId', 'slotStart', 'modality', 'patientState', 'reason', 'intake']));
  });

  it('lists the FHIR views and requires an Idempotency-Key where the API does', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/fhir/R4/Slot', '/fhir/R4/Appointment', '/fhir/R4/Schedule/{id}']));
    const parameters = (document.paths['/v1/slot-holds'] as { post: { parameters: { name: string; required: boolean }[] } }).post.parameters;
    expect(parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: true })]);
  });
});
