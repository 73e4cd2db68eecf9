import { DeciderSpecification } from '@carebridge/event-store';
import { at } from '../../test/support.fixtures';
import { InvalidWaitlistRangeError, WaitlistEntryExistsError, waitlistDecider } from './waitlist.decider';
import type { WaitlistEvent, WaitlistJoined } from './waitlist.events';

const spec = DeciderSpecification.for(waitlistDecider);
const meta = at('2026-03-01T12:00:00Z', { id: 'pat-1', role: 'patient' });
const joined: WaitlistJoined = {
  type: 'WaitlistJoined',
  data: { entryId: 'w1', patientId: 'pat-1', specialty: 'dermatology', modality: 'video', patientState: 'NY', from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z' },
};
const offer = { entryId: 'w1', providerId: 'prov-1', start: '2026-03-03T14:00:00.000Z', end: '2026-03-03T14:30:00.000Z', holdId: 'h1', expiresAt: '2026-03-01T12:30:00.000Z' };
const offered: WaitlistEvent = { type: 'WaitlistSlotOffered', data: { ...offer, patientId: 'pat-1' } };

describe('waitlist entry', () => {
  it('joins for a future range', () => {
    spec.given([]).when({ type: 'JoinWaitlist', data: joined.data, metadata: meta }).then([joined]);
  });

  it('refuses a range that is over or inverted', () => {
    spec.given([]).when({ type: 'JoinWaitlist', data: { ...joined.data, to: '2026-03-01T00:00:00.000Z' }, metadata: meta }).thenThrows(InvalidWaitlistRangeError);
  });

  it('refuses joining twice with one id', () => {
    spec.given([joined]).when({ type: 'JoinWaitlist', data: joined.data, metadata: meta }).thenThrows(WaitlistEntryExistsError);
  });

  it('is offered a freed slot once', () => {
    spec.given([joined]).when({ type: 'OfferWaitlistSlot', data: offer, metadata: meta }).then([offered]);
    spec.given([joined, offered]).when({ type: 'OfferWaitlistSlot', data: { ...offer, holdId: 'h2' }, metadata: meta }).thenNothingHappens();
  });

  it('is fulfilled when the patient books with the offer hold, and then offered nothing more', () => {
    const fulfilled: WaitlistEvent = { type: 'WaitlistFulfilled', data: { entryId: 'w1', patientId: 'pat-1', appointmentId: 'a1' } };
    spec.given([joined, offered]).when({ type: 'FulfilWaitlistEntry', data: { entryId: 'w1', holdId: 'h1', appointmentId: 'a1' }, metadata: meta }).then([fulfilled]);
    spec
      .given([joined, offered, fulfilled])
      .when({ type: 'OfferWaitlistSlot', data: { ...offer, start: '2026-03-04T14:00:00.000Z' }, metadata: meta })
      .thenNothingHappens();
  });
});
