import { hotp, matchingStep, totp } from './totp.crypto';

// RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1 rows) test vectors.
const rfcSecret = Buffer.from('12345678901234567890', 'ascii');

describe('one-time codes', () => {
  it('matches the RFC 4226 HOTP test vectors', () => {
    expect([0n, 1n, 2n, 9n].map((c) => hotp(rfcSecret, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('matches the RFC 6238 TOTP test vector at 59 s (last 6 of 94287082)', () => {
    expect(totp(rfcSecret, new Date(59_000))).toBe('287082');
  });

  it('matches the RFC 6238 TOTP test vector at 1111111109 s (last 6 of 07081804)', () => {
    expect(totp(rfcSecret, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('accepts the previous step for clock drift', () => {
    const at = new Date(1_111_111_109_000);
    expect(matchingStep(rfcSecret, totp(rfcSecret, new Date(at.getTime() - 30_000)), at)).toBeDefined();
  });

  it('refuses a code two steps old', () => {
    const at = new Date(1_111_111_109_000);
    expect(matchingStep(rfcSecret, totp(rfcSecret, new Date(at.getTime() - 60_000)), at)).toBeUndefined();
  });
});
