import { derivedUuid, visitIdForAppointment } from './visit.stream';

// Visit ids made before the shared kernel's nameBasedUuid (issue 17), computed by the copy it replaced.
describe('visit ids', () => {
  it('gives an appointment the visit id it had, whatever the case of the appointment id', () => {
    expect(visitIdForAppointment('0b7e3c2a-5d1f-4e8a-9c3b-2f6d8e1a4b70')).toBe('e52a1121-894d-5908-83bf-80df12303548');
    expect(visitIdForAppointment('0B7E3C2A-5D1F-4E8A-9C3B-2F6D8E1A4B70')).toBe('e52a1121-894d-5908-83bf-80df12303548');
  });

  it.each([
    ['follow-up', '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', '25867fab-e451-5897-bfc9-bbf046943ba1'],
    ['message:1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'idem-42', 'c26d88b7-e006-5324-ada7-c6f9ad1a0921'],
    ['urgent-care:Zoë', 'idem-42', '0a8665d8-04fb-5c6f-ad14-25a80c98dab0'],
  ])('derives %s / %s as before', (namespace, name, id) => {
    expect(derivedUuid(namespace, name)).toBe(id);
  });
});
