/**
 * Check-in and no-show policy (clinic policy, not a regulation; the service's config may
 * override these defaults through the command). Check-in opens before the start so the patient
 * can test their connection; a late patient may still check in until the grace period ends,
 * after which the appointment is a no-show. A check-in reported by visits (its waiting room
 * opens earlier, 30 minutes by default) is accepted before our window opens; the grace period
 * applies to it as to ours.
 */
export interface AttendancePolicy {
  readonly checkInOpensMinutesBefore: number;
  readonly graceMinutes: number;
}

export const DEFAULT_ATTENDANCE_POLICY: AttendancePolicy = { checkInOpensMinutesBefore: 15, graceMinutes: 10 };

/** A hold keeps a slot while the patient completes intake (FHIR Appointment $hold). */
export const DEFAULT_HOLD_MINUTES = 10;

const MINUTE = 60_000;

export function checkInOpensAt(start: string, policy: AttendancePolicy): number {
  return Date.parse(start) - policy.checkInOpensMinutesBefore * MINUTE;
}

export function graceEndsAt(start: string, policy: AttendancePolicy): number {
  return Date.parse(start) + policy.graceMinutes * MINUTE;
}

/** Whole minutes after the start, 0 when on time. */
export function minutesLate(start: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(start)) / MINUTE));
}
