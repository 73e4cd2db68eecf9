import { type PayerConnection, PayerUnreachableError } from './payer-connection.port';

/** Real-time 270/271 over HTTP POST (X12 in the body), as clearing houses offer it. */
export class HttpPayerConnection implements PayerConnection {
  constructor(private readonly options: { readonly url: string; readonly timeoutMs?: number; readonly headers?: Record<string, string> }) {}

  async exchange(inquiry270: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/edi-x12', ...this.options.headers },
        body: inquiry270,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // A person reads this: say what happened, not the exception's class name.
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      throw new PayerUnreachableError(timedOut ? `no answer from the payer's eligibility service within ${Math.round((this.options.timeoutMs ?? 10_000) / 1000)} s` : "the payer's eligibility service could not be reached");
    }
    if (!response.ok) throw new PayerUnreachableError(`the payer's eligibility service answered with an error (HTTP ${response.status})`);
    return response.text();
  }
}
