import { access, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type PayerConnection, PayerUnreachableError } from './payer-connection.port';

/**
 * Batch-style exchange through folders (an SFTP mount, a clearing house's drop box): the 270 is
 * written to `outbox/<control>.270` (via a temporary name, so the reader never sees half a file)
 * and the answer is awaited as `inbox/<control>.271`.
 */
export class FileDropPayerConnection implements PayerConnection {
  constructor(
    private readonly options: { readonly outbox: string; readonly inbox: string; readonly timeoutMs?: number; readonly pollMs?: number },
  ) {}

  async exchange(inquiry270: string, controlNumber: string): Promise<string> {
    const name = controlNumber.replace(/[^A-Za-z0-9_-]/g, '');
    const target = path.join(this.options.outbox, `${name}.270`);
    await writeFile(`${target}.part`, inquiry270, 'utf8');
    await rename(`${target}.part`, target);
    const answer = path.join(this.options.inbox, `${name}.271`);
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      try {
        await access(answer);
        return await readFile(answer, 'utf8');
      } catch {
        if (Date.now() > deadline) throw new PayerUnreachableError(`no ${name}.271 in the inbox before the timeout`);
        await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 200));
      }
    }
  }
}
