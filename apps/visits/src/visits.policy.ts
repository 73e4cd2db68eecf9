/** The service's tunable rules, from configuration. */
export interface VisitsPolicy {
  readonly checkInOpensMinutesBefore: number;
  /** Late-arrival limit: keep equal to scheduling's NO_SHOW_GRACE_MINUTES. */
  readonly checkInClosesMinutesAfterStart: number;
  readonly noVideoSwitchAfterSeconds: number;
  readonly roomTokenTtlSeconds: number;
  readonly urgentCareAverageVisitMinutes: number;
}

export const DEFAULT_VISITS_POLICY: VisitsPolicy = {
  checkInOpensMinutesBefore: 30,
  checkInClosesMinutesAfterStart: 10,
  noVideoSwitchAfterSeconds: 60,
  roomTokenTtlSeconds: 300,
  urgentCareAverageVisitMinutes: 15,
};
