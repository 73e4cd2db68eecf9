import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnPlatform, type SpawnedPlatform } from '../testing/spawn-platform';

/**
 * Issue 14, finding 4: services named the patient from different claims (`sub` in prescriptions,
 * `patient_id` elsewhere), so a token whose two claims differ read different patients in different
 * services. The patient is the `patient_id` claim everywhere (libs/platform's actor.patientId);
 * `sub` is only who signed in.
 */
let dataDir: string;
let platform: SpawnedPlatform;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-identity-'));
  platform = await spawnPlatform(dataDir, ['--no-seed']);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function devToken(query: string): Promise<string> {
  return ((await (await fetch(`${platform.url}/dev/token?${query}`)).json()) as { token: string }).token;
}

async function call(method: string, route: string, token: string, body?: unknown) {
  const response = await fetch(`${platform.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

describe('one patient identity across services (issue 14)', () => {
  it('reads the same patient in prescriptions as in scheduling when the token says sub != patient_id', async () => {
    const patientId = randomUUID();
    const account = randomUUID(); // who signed in, e.g. a caregiver's account
    const patient = await devToken(`role=patient&sub=${account}&patientId=${patientId}`);
    const ops = await devToken('role=ops');
    const ncpdpId = String(1_000_000 + Math.floor(Math.random() * 8_999_999));
    const listing = {
      pharmacyId: randomUUID(),
      ncpdpId,
      npi: '1234567893',
      name: `Corner Pharmacy ${ncpdpId}`,
      address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' },
      hours: { '1': { opens: '09:00', closes: '18:00' } },
      acceptsEPrescribing: true,
      scriptVersions: ['2023011'],
    };
    expect((await call('POST', '/prescriptions/v1/pharmacies', ops, listing)).status).toBe(201);

    // Scheduling: the patient of patient_id.
    const contact = { email: 'pat@example.org', channels: ['email'] };
    expect((await call('PUT', `/scheduling/v1/patients/${patientId}/contact`, patient, contact)).status).toBe(200);
    expect((await call('GET', `/scheduling/v1/patients/${patientId}/contact?purpose=patient-access`, patient)).body).toMatchObject({ patientId, email: 'pat@example.org' });
    expect((await call('PUT', `/scheduling/v1/patients/${account}/contact`, patient, contact)).status).toBeGreaterThanOrEqual(403);

    // Prescriptions: the same patient, not the one `sub` names.
    const chose = await call('PUT', `/prescriptions/v1/patients/${patientId}/preferred-pharmacy`, patient, { ncpdpId });
    expect([chose.status, chose.body.code]).toEqual([200, undefined]);
    const profile = await call('GET', `/prescriptions/v1/patients/${patientId}/medication-profile`, patient);
    expect([profile.status, profile.body.patientId, profile.body.preferredPharmacy?.ncpdpId]).toEqual([200, patientId, ncpdpId]);
    const bySub = await call('GET', `/prescriptions/v1/patients/${account}/medication-profile`, patient);
    expect([bySub.status, bySub.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    const pharmacyBySub = await call('PUT', `/prescriptions/v1/patients/${account}/preferred-pharmacy`, patient, { ncpdpId });
    expect([pharmacyBySub.status, pharmacyBySub.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
  });
});
