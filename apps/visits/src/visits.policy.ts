/** The service's tunable rules, from configuration. */
export interface VisitsPolicy {
  readonly checkInOpensMinutesBefore: number;
  readonly noVideoSwitchAfterSeconds: number;
  readonly roomTokenTtlSeconds: number;
  readonly urgentCareAverageVisitMinutes: number;
}

export const DEFAULT_VISITS_POLICY: VisitsPolicy = {
  checkInOpensMinutesBefore: 30,
  noVideoSwitchAfterSeconds: 60,
  roomTokenTtlSeconds: 300,
  urgentCareAverageVisitMinutes: 15,
};
