import { DomainError } from './domain-error';

/** A nominal type: a `PatientId` is a string, but a plain string is not a `PatientId`. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type PatientId = Brand<string, 'PatientId'>;
export type ProviderId = Brand<string, 'ProviderId'>;
export type PharmacyId = Brand<string, 'PharmacyId'>;
export type PayerId = Brand<string, 'PayerId'>;
export type AppointmentId = Brand<string, 'AppointmentId'>;
export type VisitId = Brand<string, 'VisitId'>;
export type PrescriptionId = Brand<string, 'PrescriptionId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type EventId = Brand<string, 'EventId'>;
export type CorrelationId = Brand<string, 'CorrelationId'>;

/**
 * A UUID in text, unanchored and in either case: the one pattern that `isUuid` tests and that
 * patterns composed elsewhere (OpenAPI `pattern`, FHIR ids like `<uuid>.<epoch ms>`) embed.
 */
export const UUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID = new RegExp(`^${UUID_SOURCE}$`);

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Brands a string after checking it is a UUID; throws an `InvalidId` domain error otherwise. */
export function asId<B extends string>(kind: B, value: string): Brand<string, B> {
  if (!isUuid(value)) {
    throw new InvalidIdError(kind, value);
  }
  return value.toLowerCase() as Brand<string, B>;
}

export class InvalidIdError extends DomainError {
  readonly code = 'SHARED.INVALID_ID';
  constructor(kind: string, value: string) {
    super(`${kind} must be a UUID, got ${JSON.stringify(value).slice(0, 60)}`, { kind });
  }
}
