import { type AttendancePolicy, DEFAULT_ATTENDANCE_POLICY, DEFAULT_HOLD_MINUTES } from './appointment/attendance.rules';

/** Settings of the clinic's scheduling policy, from config. */
export interface SchedulingPolicy {
  readonly attendance: AttendancePolicy;
  readonly holdMinutes: number;
  /** How long a freed slot is held for the waitlisted patient it is offered to. */
  readonly waitlistOfferMinutes: number;
}

export const DEFAULT_SCHEDULING_POLICY: SchedulingPolicy = {
  attendance: DEFAULT_ATTENDANCE_POLICY,
  holdMinutes: DEFAULT_HOLD_MINUTES,
  waitlistOfferMinutes: 30,
};
