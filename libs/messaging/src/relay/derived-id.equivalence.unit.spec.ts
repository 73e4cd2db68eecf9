// Proof before the copy is deleted (issue 17 item 5): the old helper and the shared one agree.
import { nameBasedUuid } from '@carebridge/shared-kernel';
import type { RecordedEvent } from '@carebridge/event-store';
import { envelopeFor } from './outgoing';

/** Names of every shape the old helper saw, reproducibly: uuids, mixed case, non-ASCII, lone surrogates, all lengths up to 3 SHA-1 blocks. */
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

it('the relay derives the id of the n-th record of a stored event as nameBasedUuid of <eventId>:<n>', () => {
  for (const [i, eventId] of sampleNames().entries()) {
    const index = 1 + (i % 4);
    const event = { eventId, metadata: { occurredAt: '2026-12-07T10:00:00.000Z', correlationId: 'c', actor: { id: 'a', role: 'system' } } } as unknown as RecordedEvent;
    expect(envelopeFor(event, index).id).toBe(nameBasedUuid(`${eventId}:${index}`));
  }
});
