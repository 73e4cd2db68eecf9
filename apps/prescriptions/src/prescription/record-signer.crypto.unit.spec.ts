import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { amoxicillin, ids, oxycodone } from './prescription.fixtures';
import type { PrescriptionDraftedData } from './prescription.events';
import { canonicalJson, signedNewRxContent } from './record-signature.rules';
import { jwkThumbprint, RecordSigner } from './record-signer.crypto';

const signedAt = '2026-11-22T15:00:00.000Z';

/** Every leaf of a JSON value with a changed copy of the whole value at that leaf. */
function tamperedCopies(value: unknown, path: string[] = []): { path: string; copy: unknown }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => tamperedCopies(item, [...path, String(i)]).map((t) => ({ path: t.path, copy: value.map((v, j) => (j === i ? t.copy : v)) })));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => tamperedCopies(v, [...path, key]).map((t) => ({ path: t.path, copy: { ...value, [key]: t.copy } })));
  }
  const changed = typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : value === null ? 'x' : `${String(value)}x`;
  return [{ path: path.join('.'), copy: changed }];
}

describe('record signature (ES256 over the canonical NewRx JSON)', () => {
  const signer = new RecordSigner();

  it('canonicalises JSON as RFC 8785 does for our values: sorted keys, no whitespace, undefined dropped', () => {
    expect(canonicalJson({ b: [1, 'x', null, true], a: { d: 1.5, c: 'é"' }, e: undefined })).toBe('{"a":{"c":"é\\"","d":1.5},"b":[1,"x",null,true]}');
  });

  it('signs content whose digest is the SHA-256 of its UTF-8 bytes, verifiable with the JWKS key', () => {
    const content = signedNewRxContent(oxycodone, signedAt, ids.prescriber);
    const record = signer.sign(content);
    expect(record).toMatchObject({ format: 'carebridge.newrx+jcs.v1', algorithm: 'ES256', keyId: signer.keyId });
    expect(record.digest.value).toBe(createHash('sha256').update(content, 'utf8').digest('hex'));
    const jwk = signer.jwks().keys[0]!;
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(content), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(record.signature, 'base64url'))).toBe(true);
    expect(signer.verify(content, record)).toEqual({ valid: true, digest: record.digest.value });
  });

  it('uses the RFC 7638 JWK thumbprint as key id', () => {
    const jwk = signer.jwks().keys[0]!;
    const expected = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
    expect([signer.keyId, jwk.kid]).toEqual([expected, expected]);
  });

  it.each([
    ['amoxicillin', amoxicillin],
    ['oxycodone', oxycodone],
  ])('fails verification when any NewRx field of %s is changed', (_name, rx) => {
    const record = signer.sign(signedNewRxContent(rx, signedAt, ids.prescriber));
    const copies = tamperedCopies(rx);
    expect(copies.length).toBeGreaterThan(15);
    const accepted = copies.filter(({ copy }) => signer.verify(signedNewRxContent(copy as PrescriptionDraftedData, signedAt, ids.prescriber), record).valid);
    expect(accepted.map((c) => c.path)).toEqual([]);
  });

  it('fails on the signature when the content and the recorded digest were both changed', () => {
    const record = signer.sign(signedNewRxContent(amoxicillin, signedAt, ids.prescriber));
    const forged = signedNewRxContent({ ...amoxicillin, quantity: { value: 300, unit: 'capsule' } }, signedAt, ids.prescriber);
    const digest = createHash('sha256').update(forged).digest('hex');
    expect(signer.verify(forged, { ...record, digest: { algorithm: 'SHA-256', value: digest } })).toEqual({ valid: false, digest, reason: 'bad-signature' });
  });

  it('fails when the signing time or the signer changed', () => {
    const record = signer.sign(signedNewRxContent(amoxicillin, signedAt, ids.prescriber));
    expect(signer.verify(signedNewRxContent(amoxicillin, '2026-11-22T15:00:01.000Z', ids.prescriber), record).valid).toBe(false);
    expect(signer.verify(signedNewRxContent(amoxicillin, signedAt, ids.otherProvider), record).valid).toBe(false);
  });

  it('does not verify a record signed by a key it does not know', () => {
    const other = new RecordSigner();
    const content = signedNewRxContent(amoxicillin, signedAt, ids.prescriber);
    expect(signer.verify(content, other.sign(content))).toMatchObject({ valid: false, reason: 'unknown-key' });
  });

  it('signs with a configured PKCS#8 PEM key, and verifies an earlier key given as a public PEM', () => {
    const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const earlier = new RecordSigner();
    const content = signedNewRxContent(amoxicillin, signedAt, ids.prescriber);
    const oldRecord = earlier.sign(content);
    const earlierPem = createPublicKey({ key: earlier.jwks().keys[0]!, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
    const configured = new RecordSigner({ privateKeyPem: current.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, verificationKeyPems: [earlierPem] });
    expect([configured.generated, configured.keyId]).toEqual([false, jwkThumbprint(current.publicKey)]);
    expect(configured.verify(content, oldRecord).valid).toBe(true);
    expect(configured.verify(content, configured.sign(content)).valid).toBe(true);
  });

  it('refuses a signing key that is not P-256', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => new RecordSigner({ privateKeyPem: ed })).toThrow(/P-256/);
  });
});
