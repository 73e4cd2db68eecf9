/** Exchanges an X12 270 for a 271 with a payer (or its clearing house). */
export interface PayerConnection {
  exchange(inquiry270: string, controlNumber: string): Promise<string>;
}

export const PAYER_CONNECTION = Symbol('PAYER_CONNECTION');

/** The payer could not be reached or did not answer in time: the determination says `unknown`. */
export class PayerUnreachableError extends Error {
  readonly code = 'PAYER.UNREACHABLE';
  constructor(message: string) {
    super(message);
    this.name = 'PayerUnreachableError';
  }
}
