import { schedulingOpenApi } from './scheduling.openapi';

describe('OpenAPI document', () => {
  const document = schedulingOpenApi();

  it('describes the booking body from the controller schema, intake included', () => {
    const body = (document.paths['/v1/appointments'] as { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } } })
      .post.requestBody.content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['providerId', 'slotStart', 'modality', 'patientState', 'intake', 'holdId', 'override']));
    expect(body.required).toEqual(expect.arrayContaining(['providerId', 'slotStart', 'modality', 'patientState', 'reason', 'intake']));
  });

  it('describes the billing facts and further providers of a booking, all optional', () => {
    const body = (document.paths['/v1/appointments'] as { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[]; items?: { pattern?: string } }>; required: string[] } }> } } })
      .post.requestBody.content['application/json']!.schema;
    expect(body.properties['visitPurpose']!.enum).toEqual(['mental-health', 'sud', 'esrd-home-dialysis', 'acute-stroke', 'other']);
    expect(body.properties['patientSetting']!.enum).toEqual(['home', 'facility']);
    expect(body.properties['serviceCodes']!.items!.pattern).toBe('^[0-9A-Z]{5}$');
    expect(Object.keys(body.properties)).toContain('additionalProviderIds');
    expect(body.required).not.toEqual(expect.arrayContaining(['serviceCodes']));
    expect(body.required).not.toContain('additionalProviderIds');
  });

  it('describes provider licences with expiry on registration and renewal', () => {
    const register = (document.paths['/v1/providers'] as { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }).post
      .requestBody.content['application/json']!.schema;
    expect(Object.keys(register.properties)).toEqual(expect.arrayContaining(['licensedStates', 'licences']));
    expect(Object.keys(document.paths)).toContain('/v1/providers/{providerId}/licences');
  });

  it('lists the FHIR views and requires an Idempotency-Key where the API does', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/fhir/R4/Slot', '/fhir/R4/Appointment', '/fhir/R4/Schedule/{id}']));
    const parameters = (document.paths['/v1/slot-holds'] as { post: { parameters: { name: string; required: boolean }[] } }).post.parameters;
    expect(parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: true })]);
  });

  it('describes the search of group sessions with free seats, with its query parameters', () => {
    const search = (document.paths['/v1/group-sessions'] as { get: { parameters: { name: string; required: boolean }[] } }).get;
    expect(search.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['specialty', 'modality', 'patientState', 'from', 'to', 'timeZone', 'limit']));
    expect(search.parameters.find((p) => p.name === 'specialty')!.required).toBe(true);
  });

  it('describes the patient contact, a channel needing its address', () => {
    const contact = document.paths['/v1/patients/{patientId}/contact'] as { put: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } }; delete: unknown; get: unknown };
    expect(Object.keys(contact.put.requestBody.content['application/json']!.schema.properties)).toEqual(['email', 'phone', 'channels', 'timeZone']);
    expect(contact.put.requestBody.content['application/json']!.schema.required).toEqual(['channels']);
    expect(contact.delete).toBeDefined();
    expect(contact.get).toBeDefined();
  });

  it('shows triage dispositions as response shapes, not errors: 201 booked with triage, 200 emergency or in person with alternatives', () => {
    const responses = (document.paths['/v1/appointments'] as unknown as { post: { responses: Record<string, { content?: Record<string, { schema: Record<string, any> }> }> } }).post.responses;
    const booked = responses['201']!.content!['application/json']!.schema;
    expect(booked.properties.triage.properties.disposition.enum).toEqual(['needs-review', 'virtual-ok', 'in-person']);
    expect(booked.properties.triage.properties.review.enum).toEqual(['pending', 'not-needed']);
    const [emergency, inPerson] = responses['200']!.content!['application/json']!.schema.oneOf;
    expect(emergency.properties.triage.properties.disposition.const).toBe('emergency');
    expect(Object.keys(emergency.properties.triage.properties)).toEqual(expect.arrayContaining(['crisis', 'guidance', 'matches']));
    expect(inPerson.properties.triage.properties.disposition.const).toBe('in-person');
    expect(Object.keys(inPerson.properties.alternatives.properties)).toEqual(expect.arrayContaining(['slots', 'waitlist', 'clinicAddress']));
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/triage-reviews', '/v1/appointments/{appointmentId}/triage-review']));
  });
});
