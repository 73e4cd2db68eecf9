import { z } from 'zod';

/**
 * What the prescriptions handlers answer (their return values and the views they return), as zod
 * schemas for the OpenAPI document. Objects are open (`looseObject`): a field added to an answer is
 * not a breaking change. The access policy matrix test validates every 2xx answer it gets against
 * these (apps/prescriptions/test/access-policy.int.spec.ts).
 */
const uuid = z.uuid();
const status = z.string();

export const pharmacyListed = z.looseObject({ ncpdpId: z.string(), pharmacyId: z.string() });
export const pharmacyChanged = z.looseObject({ ncpdpId: z.string() });
export const pharmacy = z.looseObject({ ncpdpId: z.string(), name: z.string() });
export const pharmacies = z.looseObject({ items: z.array(pharmacy) });
export const scriptMessages = z.looseObject({
  ncpdpId: z.string(),
  messages: z.array(
    z.looseObject({ position: z.int(), messageId: z.string(), message: z.string(), scriptVersion: z.string(), prescriptionId: z.string(), sentAt: z.string(), contentType: z.literal('application/xml'), xml: z.string() }),
  ),
  next: z.int().describe('The cursor for the next call (`after`)'),
});

export const horizon = z.looseObject({
  today: z.string(),
  windowDays: z.int(),
  endingWithoutSuccessor: z.array(z.unknown()),
  ruleSets: z.array(z.looseObject({ ruleSetId: z.string(), title: z.string(), effectiveFrom: z.string(), status: z.enum(['final', 'proposed']), sources: z.array(z.unknown()) })),
});

export const preferredPharmacy = z.looseObject({ patientId: uuid, preferredPharmacy: z.looseObject({ ncpdpId: z.string(), name: z.string() }) });
export const allergyRecorded = z.looseObject({ patientId: uuid, rxcui: z.string() });
export const medicationProfile = z.looseObject({ patientId: uuid, preferredPharmacy: z.looseObject({}).nullable(), allergies: z.array(z.unknown()) });

export const oneTimeCodeEnrolment = z.looseObject({ secret: z.string(), otpauthUri: z.string().describe('otpauth:// URI for an authenticator app') });
export const credentialChange = z.looseObject({ providerId: uuid, epcsAccess: z.string().describe('none, pending, granted or revoked') });
export const credential = z.looseObject({
  providerId: uuid,
  identityProofing: z.looseObject({}).nullable(),
  deaRegistrations: z.array(z.unknown()),
  stateLicences: z.array(z.unknown()),
  epcsAccess: z.looseObject({ status: z.string() }),
});

export const prescriptionStatus = z.looseObject({ prescriptionId: uuid, status });
export const checked = z.looseObject({ prescriptionId: uuid, status, findings: z.array(z.unknown()) });
export const signed = z.looseObject({ prescriptionId: uuid, status, pharmacyNcpdpId: z.string().nullable().optional() });
export const renewalRequested = z.looseObject({ prescriptionId: uuid, renewalRequestId: uuid });
export const renewalAnswered = z.looseObject({ prescriptionId: uuid, renewalRequestId: uuid, decision: z.string(), status });
export const pharmacyMessageAccepted = z.looseObject({ prescriptionId: uuid, messageId: z.string(), status });
export const changeAnswered = z.looseObject({ prescriptionId: uuid, changeRequestId: uuid, status });

export const prescription = z.looseObject({
  prescriptionId: uuid,
  status,
  rx: z.looseObject({}),
  findings: z.array(z.looseObject({ findingId: z.string(), kind: z.string(), severity: z.string() })),
  signedAt: z.string().nullable(),
  pharmacy: z.looseObject({ pharmacyId: z.string(), ncpdpId: z.string() }).nullable(),
  fills: z.array(z.unknown()),
  renewals: z.array(z.unknown()),
  changeRequests: z.array(z.unknown()),
  cancel: z.looseObject({}).nullable(),
});
export const prescriptions = z.looseObject({ items: z.array(prescription) });

export const signature = z.looseObject({ prescriptionId: uuid, signedBy: z.string(), signedAt: z.string(), keyId: z.string(), signedContent: z.string() });
export const verification = z.looseObject({ prescriptionId: uuid, valid: z.boolean(), reason: z.string().optional(), keyId: z.string(), recordedDigest: z.string(), recomputedDigest: z.string() });
export const jwks = z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })) });
