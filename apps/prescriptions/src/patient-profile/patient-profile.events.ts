/** Events of a `patient-profile-<patientId>` stream: what prescribing needs to know about a patient. */

export interface AllergyRecordedData {
  readonly patientId: string;
  /** RxNorm ingredient concept of the allergen. */
  readonly rxcui: string;
  readonly display: string;
  /** FHIR AllergyIntolerance.criticality. */
  readonly criticality: 'low' | 'high' | 'unable-to-assess';
}

export type PatientProfileEvent =
  | { readonly type: 'PreferredPharmacyChosen'; readonly data: { readonly patientId: string; readonly pharmacyId: string; readonly ncpdpId: string } }
  | { readonly type: 'AllergyRecorded'; readonly data: AllergyRecordedData }
  | { readonly type: 'AllergyRemoved'; readonly data: { readonly patientId: string; readonly rxcui: string; readonly reason: string } };
