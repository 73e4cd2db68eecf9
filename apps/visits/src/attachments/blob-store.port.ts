/** Content-addressed storage of visit attachments (same port as scheduling's intake photos): the key is the SHA-256 of the bytes. */
export interface BlobStore {
  put(sha256: string, bytes: Buffer, contentType: string): Promise<void>;
  get(sha256: string): Promise<Buffer | undefined>;
}
