/**
 * Content-addressed storage of attachments (scheduling's intake photos, visits' files): the key is
 * the SHA-256 of the bytes, so storing before the event that names them is safe.
 */
export interface BlobStore {
  put(sha256: string, bytes: Buffer, contentType: string): Promise<void>;
  get(sha256: string): Promise<Buffer | undefined>;
}
