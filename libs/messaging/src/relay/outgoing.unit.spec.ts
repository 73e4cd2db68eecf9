import type { RecordedEvent } from '@carebridge/event-store';
import { envelopeFor } from './outgoing';

const stored = (eventId: string) =>
  ({ eventId, metadata: { occurredAt: '2026-12-07T10:00:00.000Z', correlationId: 'c-1', actor: { id: 'a-1', role: 'system' } } }) as unknown as RecordedEvent;

// Ids the relay sent before the shared kernel's nameBasedUuid (issue 17), computed by the copy it replaced:
// consumers' inboxes hold them, so a republish after the change must send the same ones.
describe('envelopeFor', () => {
  const eventId = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';

  it('gives the first record the stored event id', () => {
    expect(envelopeFor(stored(eventId), 0).id).toBe(eventId);
  });

  it.each([
    [1, '3c0bedd4-be57-5f44-ad23-ca5efdc72fc4'],
    [2, 'f2dc45ef-b50f-5740-b535-3515916a136a'],
  ])('derives the id of record %i from the stored event id as before', (index, id) => {
    expect(envelopeFor(stored(eventId), index).id).toBe(id);
  });
});

// Issue 18: 50 of 50 messages named their own id as their cause.
describe('the causation id of a published event', () => {
  const eventId = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';
  const withMetadata = (extra: Record<string, string>) =>
    ({ eventId, metadata: { occurredAt: '2026-12-07T10:00:00.000Z', correlationId: 'c-1', actor: { id: 'a-1', role: 'system' }, ...extra } }) as unknown as RecordedEvent;

  it('is the event that caused the command (a consumed integration event)', () => {
    expect(envelopeFor(withMetadata({ causationId: 'incoming-event-1', commandId: 'event:incoming-event-1' })).causationId).toBe('incoming-event-1');
  });

  it('is the command id when the command came from a request (its Idempotency-Key)', () => {
    expect(envelopeFor(withMetadata({ commandId: 'patient:p-1:key-1' })).causationId).toBe('patient:p-1:key-1');
  });

  it('is absent, never the event itself, when nothing names the cause', () => {
    expect(envelopeFor(withMetadata({})).causationId).toBeUndefined();
    for (const index of [0, 1, 2]) expect(envelopeFor(withMetadata({ commandId: 'c' }), index).causationId).not.toBe(envelopeFor(withMetadata({}), index).id);
  });
});
