import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type {
  Availability,
  AvailabilityException,
  ClinicAddress,
  Modality,
  ProviderEvent,
  ProviderLicence,
  WeeklyWindow,
} from './provider.events';

export type RegisterProvider = Command<
  'RegisterProvider',
  {
    providerId: string;
    specialties: readonly string[];
    licensedStates: readonly string[];
    timeZone: string;
    modalities: readonly Modality[];
    clinicAddress?: ClinicAddress;
    /** Expiries of some or all licensed states. */
    licences?: readonly ProviderLicence[];
  }
>;
/** Renewal or change of licences: the list replaces the licensed states. */
export type UpdateLicences = Command<'UpdateLicences', { providerId: string; licences: readonly ProviderLicence[] }>;
export type SetWeeklyAvailability = Command<
  'SetWeeklyAvailability',
  { providerId: string; weekly: readonly WeeklyWindow[]; slotMinutes: number; bufferMinutes: number }
>;
export type AddAvailabilityException = Command<
  'AddAvailabilityException',
  { providerId: string; exception: AvailabilityException }
>;
export type ProviderCommand = RegisterProvider | SetWeeklyAvailability | AddAvailabilityException | UpdateLicences;

export interface ProviderProfile {
  readonly providerId: string;
  readonly specialties: readonly string[];
  readonly licensedStates: readonly string[];
  readonly timeZone: string;
  readonly modalities: readonly Modality[];
  readonly clinicAddress?: ClinicAddress;
  readonly licences?: readonly ProviderLicence[];
}

export type ProviderState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'active'; readonly profile: ProviderProfile; readonly availability: Availability };

export class ProviderAlreadyRegisteredError extends DomainError {
  readonly code = 'PROVIDER.ALREADY_REGISTERED';
  override readonly kind = 'conflict';
}
export class ProviderNotFoundError extends DomainError {
  readonly code = 'PROVIDER.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class ClinicAddressRequiredError extends DomainError {
  readonly code = 'PROVIDER.CLINIC_ADDRESS_REQUIRED';
}
export class InvalidAvailabilityWindowError extends DomainError {
  readonly code = 'AVAILABILITY.INVALID_WINDOW';
}
export class OverlappingAvailabilityWindowsError extends DomainError {
  readonly code = 'AVAILABILITY.OVERLAPPING_WINDOWS';
}
export class InvalidLicencesError extends DomainError {
  readonly code = 'PROVIDER.INVALID_LICENCES';
}
export class DuplicateAvailabilityExceptionError extends DomainError {
  readonly code = 'AVAILABILITY.DUPLICATE_EXCEPTION';
  override readonly kind = 'conflict';
}

/** `HH:mm` -> minutes after local midnight. */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

// A window ends on the day it starts: a provider-day stream owns every booking of its day
// (see provider-day.stream.ts), which holds only when no slot crosses local midnight.
function checkWindow(window: { start: string; end: string }, what: string): void {
  if (minutesOfDay(window.start) >= minutesOfDay(window.end)) {
    throw new InvalidAvailabilityWindowError(`${what}: start ${window.start} must be before end ${window.end} on the same day`);
  }
}

function checkLicences(licences: readonly ProviderLicence[], licensedStates: readonly string[]): void {
  const states = licences.map((l) => l.state);
  if (new Set(states).size !== states.length) throw new InvalidLicencesError('A state appears twice in licences');
  const unknown = states.filter((s) => !licensedStates.includes(s));
  if (unknown.length > 0) throw new InvalidLicencesError(`Licences of states not in licensedStates: ${unknown.join(', ')}`);
}

/** Every licensed state with its expiry where known (profiles registered before expiries have none). */
export function licencesOf(profile: ProviderProfile): ProviderLicence[] {
  return profile.licensedStates.map((state) => profile.licences?.find((l) => l.state === state) ?? { state });
}

function decideRegister(command: RegisterProvider, state: ProviderState): ProviderEvent[] {
  if (state.status !== 'unregistered') {
    throw new ProviderAlreadyRegisteredError(`Provider ${command.data.providerId} is already registered`);
  }
  const d = command.data;
  if (d.modalities.includes('in-person') && d.clinicAddress === undefined) {
    throw new ClinicAddressRequiredError('In-person visits need the clinic address');
  }
  if (d.licences !== undefined) checkLicences(d.licences, d.licensedStates);
  return [
    {
      type: 'ProviderRegistered',
      data: {
        providerId: d.providerId,
        specialties: [...d.specialties],
        licensedStates: [...d.licensedStates],
        timeZone: d.timeZone,
        modalities: [...d.modalities],
        ...(d.clinicAddress !== undefined && { clinicAddress: d.clinicAddress }),
        ...(d.licences !== undefined && d.licences.length > 0 && { licences: d.licences.map((l) => ({ ...l })) }),
      },
    },
  ];
}

function decideLicences(command: UpdateLicences, state: ProviderState): ProviderEvent[] {
  if (state.status !== 'active') throw new ProviderNotFoundError(`Provider ${command.data.providerId} is not registered`);
  const { licences } = command.data;
  if (licences.length === 0) throw new InvalidLicencesError('At least one licence');
  checkLicences(licences, licences.map((l) => l.state));
  return [{ type: 'ProviderLicencesUpdated', data: { providerId: command.data.providerId, licences: licences.map((l) => ({ ...l })) } }];
}

function decideWeekly(command: SetWeeklyAvailability, state: ProviderState): ProviderEvent[] {
  if (state.status !== 'active') throw new ProviderNotFoundError(`Provider ${command.data.providerId} is not registered`);
  const { weekly } = command.data;
  weekly.forEach((w, i) => checkWindow(w, `weekly[${i}]`));
  const sorted = [...weekly].sort((a, b) => a.weekday - b.weekday || minutesOfDay(a.start) - minutesOfDay(b.start));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (previous.weekday === current.weekday && minutesOfDay(current.start) < minutesOfDay(previous.end)) {
      throw new OverlappingAvailabilityWindowsError(
        `Weekday ${current.weekday}: ${previous.start}-${previous.end} overlaps ${current.start}-${current.end}`,
      );
    }
  }
  return [
    {
      type: 'WeeklyAvailabilitySet',
      data: {
        providerId: command.data.providerId,
        weekly: sorted,
        slotMinutes: command.data.slotMinutes,
        bufferMinutes: command.data.bufferMinutes,
      },
    },
  ];
}

function decideException(command: AddAvailabilityException, state: ProviderState): ProviderEvent[] {
  if (state.status !== 'active') throw new ProviderNotFoundError(`Provider ${command.data.providerId} is not registered`);
  const { exception } = command.data;
  if (state.availability.exceptions.some((e) => e.exceptionId === exception.exceptionId)) {
    throw new DuplicateAvailabilityExceptionError(`Exception ${exception.exceptionId} already exists`);
  }
  const hasStart = exception.start !== undefined;
  const hasEnd = exception.end !== undefined;
  if (hasStart !== hasEnd || (exception.kind === 'extra-hours' && !hasStart)) {
    throw new InvalidAvailabilityWindowError('Extra hours need start and end; time off needs both or neither');
  }
  if (hasStart) checkWindow({ start: exception.start!, end: exception.end! }, 'exception');
  return [{ type: 'AvailabilityExceptionAdded', data: { providerId: command.data.providerId, exception } }];
}

export const providerDecider: Decider<ProviderCommand, ProviderEvent, ProviderState> = {
  initialState: () => ({ status: 'unregistered' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterProvider':
        return decideRegister(command, state);
      case 'SetWeeklyAvailability':
        return decideWeekly(command, state);
      case 'AddAvailabilityException':
        return decideException(command, state);
      case 'UpdateLicences':
        return decideLicences(command, state);
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'provider command');
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ProviderRegistered':
        return {
          status: 'active',
          profile: event.data,
          availability: { weekly: [], exceptions: [], slotMinutes: 30, bufferMinutes: 0 },
        };
      case 'WeeklyAvailabilitySet':
        if (state.status !== 'active') return state;
        return {
          ...state,
          availability: {
            ...state.availability,
            weekly: event.data.weekly,
            slotMinutes: event.data.slotMinutes,
            bufferMinutes: event.data.bufferMinutes,
          },
        };
      case 'ProviderLicencesUpdated':
        if (state.status !== 'active') return state;
        return {
          ...state,
          profile: { ...state.profile, licensedStates: event.data.licences.map((l) => l.state), licences: event.data.licences },
        };
      case 'AvailabilityExceptionAdded':
        if (state.status !== 'active') return state;
        return {
          ...state,
          availability: { ...state.availability, exceptions: [...state.availability.exceptions, event.data.exception] },
        };
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'provider event');
      }
    }
  },
};
