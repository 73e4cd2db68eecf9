import { createHash } from 'node:crypto';
import { nameBasedUuid } from '@carebridge/shared-kernel';
import { deterministicEventId } from './handle';

// Ids the store made before the shared kernel's nameBasedUuid (issue 17), computed by the copy it replaced.
describe('deterministicEventId', () => {
  it.each([
    ['appointment-0b7e3c2a-5d1f-4e8a-9c3b-2f6d8e1a4b70', '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e', 0, '888e1c79-c9ec-5168-9714-8e37ae341d56'],
    ['provider-day-8c4f1e2d-3b5a-4978-a6c5-d4e3f2a1b0c9-2026-12-07', 'appointment:6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e', 0, '9571d22e-56f1-5af8-b528-b5915991475b'],
    ['visit-1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'event:7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', 2, 'dd891afc-4759-5745-8a11-372b77540b9d'],
  ])('keeps the id of %s, command %s, event %i', (streamId, commandId, index, id) => {
    expect(deterministicEventId(streamId, commandId, index)).toBe(id);
  });
});

// The algorithm every derived id in the store was made with (event ids, reading ids, visit ids,
// determination ids, the relay's record ids): SHA-1 by node:crypto, first 16 bytes, version 5.
describe('nameBasedUuid, against node:crypto', () => {
  it('gives the id the stored ids were made with, for names of every shape', () => {
    for (const name of sampleNames()) expect(nameBasedUuid(name)).toBe(sha1Layout(name));
  });
});

function sha1Layout(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Names of every shape, reproducibly: uuids, mixed case, non-ASCII, lone surrogates, all lengths up to 3 SHA-1 blocks. */
function sampleNames(count = 600): string[] {
  let seed = 17;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = ['a', 'Z', '0', '-', ':', ' ', 'é', 'ß', '中', '💊', '\ud800', '\udfff', '\u0000', '/'];
  const names = ['', 'a', '3F0A2B4C-1111-4222-8333-444455556666', '3f0a2b4c-1111-4222-8333-444455556666', 'Zoë 💊'];
  for (let length = 0; length < 200; length++) names.push('x'.repeat(length));
  while (names.length < count) {
    const length = Math.floor(next() * 180);
    names.push(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
  }
  return names;
}
