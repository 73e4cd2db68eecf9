import type { ActorRole } from '@carebridge/shared-kernel';

/** HL7 v3 PurposeOfUse codes a caller may state (X-Purpose-Of-Use). */
export const PURPOSES_OF_USE = ['TREAT', 'PAYMENT', 'OPERATIONS', 'PATIENT-REQUEST', 'EMERGENCY'] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** How the request ended, from its HTTP status. */
export type AccessOutcome = 'granted' | 'denied' | 'not-found' | 'invalid' | 'failed';

/**
 * One access to PHI (a read, a list, a search, a download, or a write that touches a patient's
 * record), recorded in the service's hash-chained `access-<service>-<yyyy-mm-dd>` stream so
 * `npm run audit:verify` covers it. HIPAA 164.312(b) audit controls, 164.528 accounting of disclosures.
 */
export interface AccessRecordedData {
  readonly service: string;
  readonly actor: { readonly id: string; readonly role: ActorRole };
  readonly purpose: PurposeOfUse;
  /** The patients whose data the request reached or asked for (a list records those it returned). */
  readonly patientIds: readonly string[];
  /** `GET /v1/devices/{deviceId}`: the operation of the access policy table. */
  readonly operation: string;
  /** The resource the request named: the path with its ids. */
  readonly resource: string;
  readonly outcome: AccessOutcome;
  readonly status: number;
  readonly breakTheGlass: boolean;
  /** The reason given with an emergency (break-the-glass) access. */
  readonly reason?: string;
  readonly correlationId: string;
  readonly at: string;
}

export type AccessRecorded = { readonly type: 'AccessRecorded'; readonly data: AccessRecordedData };

export function outcomeOf(status: number): AccessOutcome {
  if (status < 400) return 'granted';
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status < 500) return 'invalid';
  return 'failed';
}
