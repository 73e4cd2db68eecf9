// Proof before the copy is deleted (issue 17 item 5): the old helper and the shared one agree.
import { nameBasedUuid } from '@carebridge/shared-kernel';
import { deterministicEventId } from './handle';

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

it('deterministicEventId gives the id nameBasedUuid gives for carebridge:<stream>:<command>:<index>', () => {
  const names = sampleNames();
  for (const [i, stream] of names.entries()) {
    const command = names[(i * 7) % names.length]!;
    expect(deterministicEventId(stream, command, i % 5)).toBe(nameBasedUuid(`carebridge:${stream}:${command}:${i % 5}`));
  }
});
