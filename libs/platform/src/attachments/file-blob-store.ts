import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './blob-store.port';

/** Blobs as files under `root/<first two hex>/<sha256>`; written to a temporary name, then renamed (atomic). */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const dir = path.join(this.root, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temporary = path.join(dir, `.${sha256}.${randomUUID()}`);
    await writeFile(temporary, bytes);
    await rename(temporary, path.join(dir, sha256));
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path.join(this.root, sha256.slice(0, 2), sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
