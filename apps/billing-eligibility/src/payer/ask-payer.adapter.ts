import type { PayerAnswer } from '../rules/payer-answer.rules';
import { build270, type EligibilityInquiry } from '../x12/x12-270.mapping';
import { costShareFor, parse271 } from '../x12/x12-271.mapping';
import { matchingResponse, responseMismatches } from '../x12/x12-271-match.mapping';
import { type PayerConnection, PayerUnreachableError } from './payer-connection.port';

/**
 * Sends the 270, parses the 271 and reduces it to the answer for one service type. A 271 that
 * does not answer this 270 (another trace or subscriber) is a `mismatch`: its word is not used.
 */
export async function askPayer(connection: PayerConnection, inquiry: EligibilityInquiry, serviceType: string): Promise<PayerAnswer> {
  const controlNumber = String(inquiry.interchangeControlNumber).padStart(9, '0');
  let text: string;
  try {
    text = await connection.exchange(build270(inquiry), controlNumber);
  } catch (error) {
    if (error instanceof PayerUnreachableError) return { status: 'unreachable', detail: error.message };
    throw error;
  }
  const response = matchingResponse(inquiry, parse271(text));
  const mismatches = responseMismatches(inquiry, response);
  if (mismatches.length > 0) return { status: 'mismatch', controlNumber: response.interchangeControlNumber, mismatches };
  return { ...costShareFor(response, serviceType), controlNumber: response.interchangeControlNumber };
}
