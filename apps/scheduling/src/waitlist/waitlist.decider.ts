import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { WaitlistEvent, WaitlistJoined, WaitlistSlotOffered } from './waitlist.events';

export type JoinWaitlist = Command<'JoinWaitlist', WaitlistJoined['data']>;
export type OfferWaitlistSlot = Command<
  'OfferWaitlistSlot',
  { entryId: string; providerId: string; start: string; end: string; holdId: string; expiresAt: string }
>;
export type FulfilWaitlistEntry = Command<'FulfilWaitlistEntry', { entryId: string; holdId: string; appointmentId: string }>;
export type WaitlistCommand = JoinWaitlist | OfferWaitlistSlot | FulfilWaitlistEntry;

export type WaitlistState =
  | { readonly status: 'none' }
  | { readonly status: 'waiting'; readonly entry: WaitlistJoined['data']; readonly offers: readonly WaitlistSlotOffered['data'][] }
  | { readonly status: 'fulfilled'; readonly entry: WaitlistJoined['data']; readonly appointmentId: string };

export class WaitlistEntryExistsError extends DomainError {
  readonly code = 'WAITLIST.ALREADY_JOINED';
  override readonly kind = 'conflict';
}
export class WaitlistEntryNotFoundError extends DomainError {
  readonly code = 'WAITLIST.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class InvalidWaitlistRangeError extends DomainError {
  readonly code = 'WAITLIST.INVALID_RANGE';
}

const slotKey = (providerId: string, start: string) => `${providerId}@${start}`;

export const waitlistDecider: Decider<WaitlistCommand, WaitlistEvent, WaitlistState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'JoinWaitlist': {
        if (state.status !== 'none') throw new WaitlistEntryExistsError(`Waitlist entry ${command.data.entryId} exists`);
        const d = command.data;
        if (Date.parse(d.from) >= Date.parse(d.to) || Date.parse(d.to) <= command.metadata.now.getTime()) {
          throw new InvalidWaitlistRangeError('The range must end after it starts and after now');
        }
        return [{ type: 'WaitlistJoined', data: d }];
      }
      case 'OfferWaitlistSlot': {
        if (state.status === 'none') throw new WaitlistEntryNotFoundError(`Waitlist entry ${command.data.entryId} not found`);
        // Fulfilled, or this slot offered before: each entry gets a slot once.
        if (state.status !== 'waiting') return [];
        if (state.offers.some((o) => slotKey(o.providerId, o.start) === slotKey(command.data.providerId, command.data.start))) return [];
        return [{ type: 'WaitlistSlotOffered', data: { ...command.data, patientId: state.entry.patientId } }];
      }
      case 'FulfilWaitlistEntry': {
        if (state.status !== 'waiting' || !state.offers.some((o) => o.holdId === command.data.holdId)) return [];
        return [
          { type: 'WaitlistFulfilled', data: { entryId: command.data.entryId, patientId: state.entry.patientId, appointmentId: command.data.appointmentId } },
        ];
      }
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'waitlist command');
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'WaitlistJoined':
        return { status: 'waiting', entry: event.data, offers: [] };
      case 'WaitlistSlotOffered':
        return state.status === 'waiting' ? { ...state, offers: [...state.offers, event.data] } : state;
      case 'WaitlistFulfilled':
        return state.status === 'waiting' ? { status: 'fulfilled', entry: state.entry, appointmentId: event.data.appointmentId } : state;
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'waitlist event');
      }
    }
  },
};
