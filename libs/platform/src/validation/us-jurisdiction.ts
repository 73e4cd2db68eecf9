import { isUsJurisdiction } from '@carebridge/shared-kernel';
import { z } from 'zod';

/**
 * A USPS code of a US state, DC or inhabited territory (NY, DC, PR...): where a patient is, or where
 * a licence or registration is held. Any other text is a 400 naming the field, not a rule answer
 * about a place that does not exist.
 */
export const usJurisdictionCode = z
  .string()
  .refine(isUsJurisdiction, 'must be the USPS code of a US state, DC or territory (e.g. NY, DC, PR)');
