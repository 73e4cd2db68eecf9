import { ProblemException } from '@carebridge/platform';
import { PURPOSES_OF_USE, type PurposeOfUse } from './access.events';

export const PURPOSE_OF_USE_HEADER = 'x-purpose-of-use';
export const BREAK_GLASS_REASON_HEADER = 'x-break-glass-reason';

export interface StatedPurpose {
  readonly purpose: PurposeOfUse;
  /** EMERGENCY with a reason: break-the-glass. */
  readonly breakGlassReason?: string;
}

/**
 * `X-Purpose-Of-Use` (HL7 v3 PurposeOfUse: TREAT, PAYMENT, OPERATIONS, PATIENT-REQUEST,
 * EMERGENCY; default TREAT, or PATIENT-REQUEST for a patient). EMERGENCY needs
 * `X-Break-Glass-Reason` (1 to 500 characters). A 400 names the header.
 */
export function parsePurposeOfUse(header: string | undefined, reasonHeader: string | undefined, role: string): StatedPurpose {
  const raw = header?.trim().toUpperCase();
  if (raw === undefined || raw === '') return { purpose: role === 'patient' ? 'PATIENT-REQUEST' : 'TREAT' };
  const purpose = PURPOSES_OF_USE.find((p) => p === raw);
  if (!purpose) {
    throw new ProblemException(400, 'ACCESS.PURPOSE_INVALID', `X-Purpose-Of-Use must be one of ${PURPOSES_OF_USE.join(', ')}.`);
  }
  if (purpose !== 'EMERGENCY') return { purpose };
  const reason = reasonHeader?.trim() ?? '';
  if (reason.length === 0 || reason.length > 500) {
    throw new ProblemException(400, 'ACCESS.BREAK_GLASS_REASON_REQUIRED', 'X-Break-Glass-Reason is required with X-Purpose-Of-Use: EMERGENCY (1 to 500 characters).');
  }
  return { purpose, breakGlassReason: reason };
}
