/**
 * Tokens already verified, with what they proved, until they expire: an ES256 signature check
 * costs more CPU than a by-id read's SQL, and a client sends the same token for its whole life.
 * Bounded: past `maxEntries` the least recently used token is forgotten (and verified again if it
 * comes back). Keyed by the whole token, so a token that differs in any byte is a miss.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly expiresAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError('maxEntries must be a whole number >= 0');
  }

  get size(): number {
    return this.entries.size;
  }

  /** What `token` proved, if it was verified and has not expired since. */
  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.entries.set(token, entry); // most recently used goes last
    return entry.value;
  }

  /** Remembers a verified token until `expiresAtMs` (its `exp`, in milliseconds). */
  set(token: string, value: T, expiresAtMs: number): void {
    if (this.maxEntries === 0 || this.now() >= expiresAtMs) return;
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAtMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
