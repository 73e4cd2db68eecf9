/** The events of a provider stream: who the provider is and when they see patients. */

export type Modality = 'video' | 'phone' | 'in-person';
export const MODALITIES: readonly Modality[] = ['video', 'phone', 'in-person'];

export interface ClinicAddress {
  readonly line1: string;
  readonly city: string;
  /** USPS two-letter state code. */
  readonly state: string;
  readonly postalCode: string;
}

/** A state licence of the provider; `expiresOn` (yyyy-MM-dd, valid through that date) when known. */
export interface ProviderLicence {
  readonly state: string;
  readonly expiresOn?: string;
}

/** A recurring window in the provider's own time zone, ISO weekday (1 = Monday), wall-clock `HH:mm`. */
export interface WeeklyWindow {
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

/** A one-off change on a local date: time off (whole day when no times) or extra hours. */
export interface AvailabilityException {
  readonly exceptionId: string;
  readonly date: string;
  readonly kind: 'time-off' | 'extra-hours';
  readonly start?: string;
  readonly end?: string;
}

export interface Availability {
  readonly weekly: readonly WeeklyWindow[];
  readonly exceptions: readonly AvailabilityException[];
  readonly slotMinutes: number;
  readonly bufferMinutes: number;
}

export type ProviderRegistered = {
  readonly type: 'ProviderRegistered';
  readonly data: {
    readonly providerId: string;
    readonly specialties: readonly string[];
    readonly licensedStates: readonly string[];
    readonly timeZone: string;
    readonly modalities: readonly Modality[];
    readonly clinicAddress?: ClinicAddress;
    /** Expiry per licensed state (added later: streams registered before it have none). */
    readonly licences?: readonly ProviderLicence[];
  };
};

/** Licences renewed or changed: replaces licensed states and their expiries. */
export type ProviderLicencesUpdated = {
  readonly type: 'ProviderLicencesUpdated';
  readonly data: { readonly providerId: string; readonly licences: readonly ProviderLicence[] };
};

export type WeeklyAvailabilitySet = {
  readonly type: 'WeeklyAvailabilitySet';
  readonly data: {
    readonly providerId: string;
    readonly weekly: readonly WeeklyWindow[];
    readonly slotMinutes: number;
    readonly bufferMinutes: number;
  };
};

export type AvailabilityExceptionAdded = {
  readonly type: 'AvailabilityExceptionAdded';
  readonly data: { readonly providerId: string; readonly exception: AvailabilityException };
};

export type ProviderEvent = ProviderRegistered | WeeklyAvailabilitySet | AvailabilityExceptionAdded | ProviderLicencesUpdated;
