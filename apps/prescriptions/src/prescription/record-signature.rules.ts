import type { PrescriptionDraftedData } from './prescription.events';

/**
 * What the application signs when a prescription is signed (21 CFR 1311.120(b): the application
 * digitally signs the prescription record; paragraph to VERIFY). Not the SCRIPT XML: its renderer
 * needs envelope data this service does not hold (demographics, message ids) and is not yet
 * validated against the XSDs. We sign the canonical JSON (RFC 8785 JSON Canonicalization Scheme:
 * keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string serialisation)
 * of `{ format, newRx, signedAt, signedBy }`, where newRx is exactly the NewRx content recorded
 * in PrescriptionTransmitted. Verification recomputes it from the stored events.
 */
export const SIGNED_CONTENT_FORMAT = 'carebridge.newrx+jcs.v1';

export function signedNewRxContent(newRx: PrescriptionDraftedData, signedAt: string, signedBy: string): string {
  return canonicalJson({ format: SIGNED_CONTENT_FORMAT, newRx, signedAt, signedBy });
}

/** RFC 8785 canonical JSON for the JSON values our events hold (no NaN or Infinity; undefined members dropped). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON cannot represent a ${typeof value}`);
}
