import { generateKeyPairSync } from 'node:crypto';
import { JwtVerifier } from './jwt-verifier';
import { DevTokenIssuer } from './dev-token-issuer';

// Issue 21 finding 7: development tokens died with every restart (a new key pair per start).
describe('a development token issuer with a kept key', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('accepts after a restart the tokens it minted before', async () => {
    const before = await DevTokenIssuer.create({ privateKeyPem: pem });
    const token = await before.mint({ sub: 'patient-1', role: 'patient', patientId: 'patient-1' }, { expiresIn: '1h' });

    const after = await DevTokenIssuer.create({ privateKeyPem: pem });
    const actor = await new JwtVerifier(after.authOptions()).verify(`Bearer ${token}`);

    expect(actor).toMatchObject({ id: 'patient-1', role: 'patient' });
    expect(after.jwks()).toEqual(before.jwks());
    expect(JSON.stringify(after.jwks())).not.toContain('"d"');
  });

  it('without a kept key, a restart invalidates earlier tokens', async () => {
    const token = await (await DevTokenIssuer.create()).mint({ sub: 'patient-1', role: 'patient' });
    await expect(new JwtVerifier((await DevTokenIssuer.create()).authOptions()).verify(`Bearer ${token}`)).rejects.toThrow();
  });
});
