import { canonicalJson, contentHash, contentHashes } from './hash-chain';

describe('canonical JSON and content hashes', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"z":1}]},"b":1}',
    );
  });

  it('hashes an append the same way, whether events are hashed one by one or together', () => {
    const metadata = { correlationId: 'c', actor: { role: 'provider', id: 'p' }, occurredAt: '2026-11-22T10:00:00.000Z' };
    const events = [
      { eventId: '0B7C1A5E-1C5B-4A53-9F55-1E0F1E2C3D4E', type: 'VitalsRecorded', schemaVersion: 2, data: { z: 1, a: 'é😀', n: [1.5, -0, 1e21] } },
      { eventId: '6f1c1d1e-8a8b-4c4d-9e9f-0a1b2c3d4e5f', type: 'NoteAdded', schemaVersion: 1, data: null },
    ];
    expect(contentHashes(events, metadata)).toEqual(events.map((e) => contentHash({ ...e, metadata })));
  });
});
