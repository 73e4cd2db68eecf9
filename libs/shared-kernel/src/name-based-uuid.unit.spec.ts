import { nameBasedUuid, sha1 } from './name-based-uuid';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('nameBasedUuid', () => {
  // FIPS 180-2 Appendix A (one block, two blocks, a million bytes) and RFC 3174 §7.3.
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'a49b2446a02c645bf419f995b67091253a04a259',
    ],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
  ])('hashes %j as SHA-1 does', (message, digest) => {
    expect(hex(sha1(ascii(message)))).toBe(digest);
  });

  it('hashes a million bytes as SHA-1 does', () => {
    expect(hex(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('is the first 16 bytes of the digest with version 5 and variant 10', () => {
    // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c ...: byte 6 0x81 -> 0x51, byte 8 0xba stays.
    expect(nameBasedUuid('abc')).toBe('a9993e36-4706-516a-ba3e-25717850c26c');
    expect(nameBasedUuid('')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('hashes the UTF-8 of the name, a lone surrogate as U+FFFD (as Node does)', () => {
    // SHA-1 of the UTF-8 bytes 5a 6f c3 ab 20 f0 9f 92 8a = c86a08bd6d69b0d7afc6bba9d84078a6298d0cb6.
    expect(nameBasedUuid('Zoë 💊')).toBe('c86a08bd-6d69-50d7-afc6-bba9d84078a6');
    expect(nameBasedUuid('\ud800')).toBe(nameBasedUuid('\ufffd'));
  });

  it('gives one id per name', () => {
    const ids = new Set(Array.from({ length: 2_000 }, (_, i) => nameBasedUuid(`carebridge:stream-${i}:command:0`)));
    expect(ids.size).toBe(2_000);
  });
});
