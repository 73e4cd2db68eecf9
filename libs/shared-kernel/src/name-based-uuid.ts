/**
 * A UUID derived from a name: the same name always gives the same id, on every replica and every
 * retry, so a command repeated (same Idempotency-Key, same redelivered event) names the same
 * records and appends nothing new.
 *
 * Layout of RFC 9562 §5.5 (version 5, SHA-1): the first 16 bytes of SHA-1 over the UTF-8 of
 * `name`, version nibble 5, variant bits 10. Unlike a true version 5 UUID, no namespace UUID is
 * hashed before the name; callers put their scope in the name instead (`carebridge:visits:...`).
 * Kept so because every stored event id, reading id, visit id and determination id was made this
 * way: changing it would rename them. SHA-1 here is a naming function, not a security measure.
 *
 * SHA-1 is written out (FIPS 180-4 §6.1) rather than taken from node:crypto because the shared
 * kernel imports no Node built-in at run time (.dependency-cruiser.js), so deciders may use it.
 */
export function nameBasedUuid(name: string): string {
  const [h0, h1, h2, h3] = sha1Words(paddedWords(name));
  const hi = hex8((h1! & 0xffff0fff) | 0x5000); // bytes 4-7; byte 6 carries the version, 5
  const mid = hex8((h2! & 0x3fffffff) | 0x80000000); // bytes 8-11; byte 8 carries the variant, 10
  return `${hex8(h0!)}-${hi.slice(0, 4)}-${hi.slice(4)}-${mid.slice(0, 4)}-${mid.slice(4)}${hex8(h3!)}`;
}

/** SHA-1 (FIPS 180-4 §6.1.2) of `message`: 20 bytes. */
export function sha1(message: Uint8Array): Uint8Array {
  const digest = new Uint8Array(20);
  const view = new DataView(digest.buffer);
  sha1Words(paddedBytes(message)).forEach((h, i) => view.setInt32(i * 4, h));
  return digest;
}

const hex8 = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');

const UTF8 = new TextEncoder();

/** The message as big-endian 32-bit words, padded (§5.1.1): a 1 bit, zeros, the length in bits as 64 bits. */
function paddedBytes(message: Uint8Array): Int32Array {
  const words = new Int32Array((((message.length + 8) >> 6) + 1) * 16);
  for (let i = 0; i < message.length; i++) words[i >> 2]! |= message[i]! << (24 - (i & 3) * 8);
  return withPadding(words, message.length);
}

/** The UTF-8 of `text` padded as above; ASCII (the common case) without an encoder in between. */
function paddedWords(text: string): Int32Array {
  const words = new Int32Array((((text.length + 8) >> 6) + 1) * 16);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A lone surrogate becomes U+FFFD, as with Node's Buffer and createHash.
    if (code > 0x7f) return paddedBytes(UTF8.encode(text));
    words[i >> 2]! |= code << (24 - (i & 3) * 8);
  }
  return withPadding(words, text.length);
}

function withPadding(words: Int32Array, byteLength: number): Int32Array {
  words[byteLength >> 2]! |= 0x80 << (24 - (byteLength & 3) * 8);
  words[words.length - 2] = Math.floor(byteLength / 0x20000000);
  words[words.length - 1] = byteLength * 8;
  return words;
}

// Round constants (§4.2.1) as signed 32-bit integers, so the rounds stay in integer arithmetic.
const K1 = 0x5a827999;
const K2 = 0x6ed9eba1;
const K3 = 0x8f1bbcdc | 0;
const K4 = 0xca62c1d6 | 0;

/** The hash computation of §6.1.2 over padded words: H0..H4. */
function sha1Words(words: Int32Array): Int32Array {
  const h = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);
  const w = new Int32Array(80);
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[block + t]!;
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    for (let t = 0; t < 80; t++) {
      let f: number;
      if (t < 20) f = (((b & c) | (~b & d)) + K1) | 0;
      else if (t < 40) f = ((b ^ c ^ d) + K2) | 0;
      else if (t < 60) f = (((b & c) | (b & d) | (c & d)) + K3) | 0;
      else f = ((b ^ c ^ d) + K4) | 0;
      const next = (((((a << 5) | (a >>> 27)) + f) | 0) + ((e + w[t]!) | 0)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    h[0]! += a;
    h[1]! += b;
    h[2]! += c;
    h[3]! += d;
    h[4]! += e;
  }
  return h;
}
