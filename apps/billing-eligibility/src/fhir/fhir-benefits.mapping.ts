import type { CostShareBenefit, Determination } from '../eligibility/eligibility.events';

// FHIR R4 CoverageEligibilityResponse.insurance.item: network, unit and benefit.type are bound to
// these HL7 code systems (example strength: a code outside them is allowed, e.g. out-of-pocket).
const BENEFIT_TYPE = 'http://terminology.hl7.org/CodeSystem/benefit-type';
const BENEFIT_NETWORK = 'http://terminology.hl7.org/CodeSystem/benefit-network';
const BENEFIT_UNIT = 'http://terminology.hl7.org/CodeSystem/benefit-unit';
/** Cost-share kinds HL7's benefit-type has no code for (X12 EB01 G, out of pocket). */
export const CAREBRIDGE_BENEFIT_TYPE = 'https://carebridge.dev/fhir/CodeSystem/benefit-type';

const TYPE: Readonly<Record<CostShareBenefit['kind'], { system: string; code: string; display: string }>> = {
  copay: { system: BENEFIT_TYPE, code: 'copay', display: 'Copayment per service' },
  coinsurance: { system: BENEFIT_TYPE, code: 'copay-percent', display: 'Copayment Percent per service' },
  deductible: { system: BENEFIT_TYPE, code: 'deductible', display: 'Deductible' },
  'out-of-pocket': { system: CAREBRIDGE_BENEFIT_TYPE, code: 'out-of-pocket', display: 'Out-of-pocket maximum' },
};

/** One FHIR `insurance.item.benefit`: the amount is the 271's (a `remaining` one is what is left, said in the type's text). */
function fhirBenefit(b: CostShareBenefit) {
  const allowed =
    b.percent !== undefined
      ? Number.isInteger(b.percent)
        ? { allowedUnsignedInt: b.percent }
        : { allowedString: `${b.percent}%` }
      : { allowedMoney: { value: b.amount!, currency: 'USD' } };
  return {
    type: { coding: [TYPE[b.kind]], text: b.period === undefined ? b.kind : `${b.kind} (${b.period.replace(/-/g, ' ')})` },
    ...allowed,
  };
}

/**
 * The cost share of a determination as the item fields FHIR groups benefits by: one group per
 * network and unit (individual, family), each with its benefits; one empty group when the 271
 * gave none (or no 271 was exchanged), so every service code still has its item.
 */
export function benefitGroups(costShare: Determination['costShare']): Record<string, unknown>[] {
  const benefits = costShare?.benefits ?? [];
  if (benefits.length === 0) return [{}];
  const groups = new Map<string, CostShareBenefit[]>();
  for (const b of benefits) {
    const key = `${b.network ?? ''}|${b.coverageLevel ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  return [...groups.values()].map((group) => {
    const { network, coverageLevel } = group[0]!;
    return {
      ...((network === 'in' || network === 'out') && { network: { coding: [{ system: BENEFIT_NETWORK, code: network }] } }),
      ...((coverageLevel === 'individual' || coverageLevel === 'family') && { unit: { coding: [{ system: BENEFIT_UNIT, code: coverageLevel }] } }),
      ...(coverageLevel !== undefined && coverageLevel !== 'individual' && coverageLevel !== 'family' && { unit: { text: `X12 coverage level ${coverageLevel}` } }),
      ...(network === 'not-applicable' && { network: { text: 'network not applicable' } }),
      benefit: group.map(fhirBenefit),
    };
  });
}
