import type { ClinicalFinding, MedicationPrescribed } from './prescription.events';

/**
 * Checks run before signing: the patient's recorded allergies, duplicate therapy against the
 * patient's active prescriptions, and a small drug-drug interaction table. Data, not code: each
 * entry carries its public source. Codes are RxNorm ingredient (IN) concepts, matched on the
 * prescription's `ingredientRxcuis`.
 *
 * VERIFY: the RxNorm codes below were written from memory without access to RxNav; check each
 * against https://mor.nlm.nih.gov/RxNav before clinical use. The table is deliberately small:
 * it is an example of the mechanism, not a clinical knowledge base (use First Databank,
 * Medi-Span or the ONC high-priority list in production).
 */
export const INTERACTION_TABLE_VERSION = 'carebridge-ddi-2026-11-22';

export interface InteractionRule {
  readonly id: string;
  readonly a: { readonly rxcuis: readonly string[]; readonly label: string };
  readonly b: { readonly rxcuis: readonly string[]; readonly label: string };
  /** contraindicated: hard stop. major: the prescriber may override with a recorded reason. */
  readonly level: 'contraindicated' | 'major';
  readonly effect: string;
  readonly source: string;
}

const OPIOIDS = { rxcuis: ['7804', '5489', '1819'], label: 'opioid (oxycodone, hydrocodone, buprenorphine)' };
const BENZODIAZEPINES = { rxcuis: ['596', '3322', '6470', '2598'], label: 'benzodiazepine (alprazolam, diazepam, lorazepam, clonazepam)' };

export const INTERACTION_TABLE: readonly InteractionRule[] = [
  {
    id: 'DDI-OPIOID-BENZODIAZEPINE',
    a: OPIOIDS,
    b: BENZODIAZEPINES,
    level: 'major',
    effect: 'profound sedation, respiratory depression, coma and death',
    source: 'FDA Drug Safety Communication, 2016-08-31: boxed warning on concomitant opioid and benzodiazepine use',
  },
  {
    id: 'DDI-SILDENAFIL-NITRATE',
    a: { rxcuis: ['136411'], label: 'sildenafil' },
    b: { rxcuis: ['4917'], label: 'nitroglycerin' },
    level: 'contraindicated',
    effect: 'potentiated hypotension',
    source: 'FDA-approved labeling of Viagra (sildenafil), section 4 Contraindications: organic nitrates',
  },
  {
    id: 'DDI-SIMVASTATIN-CLARITHROMYCIN',
    a: { rxcuis: ['36567'], label: 'simvastatin' },
    b: { rxcuis: ['21212'], label: 'clarithromycin' },
    level: 'contraindicated',
    effect: 'myopathy and rhabdomyolysis (strong CYP3A4 inhibition)',
    source: 'FDA Drug Safety Communication, 2011-06-08: new restrictions, contraindications and dose limitations for Zocor (simvastatin)',
  },
];

export interface RecordedAllergy {
  readonly rxcui: string;
  readonly display: string;
  /** FHIR AllergyIntolerance.criticality: `high` is a hard stop, the others may be overridden. */
  readonly criticality: 'low' | 'high' | 'unable-to-assess';
}

export interface ActiveMedication {
  readonly prescriptionId: string;
  readonly name: string;
  readonly ingredientRxcuis: readonly string[];
}

export function clinicalFindings(
  medication: MedicationPrescribed,
  allergies: readonly RecordedAllergy[],
  active: readonly ActiveMedication[],
): ClinicalFinding[] {
  const findings: ClinicalFinding[] = [];
  const ingredients = new Set(medication.ingredientRxcuis);

  for (const allergy of allergies) {
    if (!ingredients.has(allergy.rxcui)) continue;
    findings.push({
      findingId: `allergy:${allergy.rxcui}`,
      kind: 'allergy',
      severity: allergy.criticality === 'high' ? 'hard-stop' : 'overridable',
      detail: `recorded allergy to ${allergy.display} (criticality ${allergy.criticality})`,
      source: 'patient allergy list',
    });
  }

  for (const other of active) {
    const shared = other.ingredientRxcuis.filter((code) => ingredients.has(code));
    if (shared.length === 0) continue;
    findings.push({
      findingId: `duplicate:${other.prescriptionId}`,
      kind: 'duplicate-therapy',
      severity: 'overridable',
      detail: `same ingredient as active prescription ${other.name}`,
      source: `active prescription ${other.prescriptionId}`,
    });
  }

  for (const rule of INTERACTION_TABLE) {
    for (const other of active) {
      const hit =
        (matches(rule.a.rxcuis, [...ingredients]) && matches(rule.b.rxcuis, other.ingredientRxcuis)) ||
        (matches(rule.b.rxcuis, [...ingredients]) && matches(rule.a.rxcuis, other.ingredientRxcuis));
      if (!hit) continue;
      findings.push({
        findingId: `interaction:${rule.id}:${other.prescriptionId}`,
        kind: 'interaction',
        severity: rule.level === 'contraindicated' ? 'hard-stop' : 'overridable',
        detail: `${rule.a.label} with ${rule.b.label} (${other.name}): ${rule.effect}`,
        source: rule.source,
      });
    }
  }
  return findings;
}

function matches(codes: readonly string[], ingredients: readonly string[]): boolean {
  return ingredients.some((code) => codes.includes(code));
}
