/** What RTM monitors (CPT device-supply codes per system). */
export type RtmSystem = 'respiratory' | 'musculoskeletal' | 'cognitive-behavioral';
/** The patient's programme: RPM (physiologic data) or RTM for one system (therapeutic data). */
export type MonitoringProgram = { readonly kind: 'rpm' } | { readonly kind: 'rtm'; readonly system: RtmSystem };

export interface RpmManagementMonth {
  /** Calendar month (UTC), `YYYY-MM`. */
  readonly month: string;
  readonly minutes: number;
  readonly interactive: boolean;
  readonly codes: readonly { readonly code: string; readonly units: number }[];
  readonly reasonCodes: readonly string[];
  readonly ruleSetVersion?: string;
}

export type RpmEvent = {
  readonly type: 'RpmPeriodClosed';
  readonly data: {
    readonly periodId: string;
    readonly patientId: string;
    readonly practitionerId?: string;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly daysWithReadings: number;
    /**
     * Management minutes billed with this close: the sum over `managementMonths` (events written
     * before management was per calendar month: the minutes logged within the period).
     */
    readonly managementMinutes: number;
    readonly interpretationMinutes: number;
    /** Whether any billed month had a real-time interaction (older events: within the period). */
    readonly interactive: boolean;
    /** All codes of the close: the period's device/set-up/interpretation codes and the months' management codes. */
    readonly codes: readonly { readonly code: string; readonly units: number }[];
    readonly reasonCodes: readonly string[];
    readonly ruleSet: { readonly ruleSetId: string; readonly version: string; readonly source: string };
    /**
     * The calendar months whose management minutes this close billed (each month once, in the
     * first period that ends on or after the month's last day). Absent in events written before
     * management was per calendar month.
     */
    readonly managementMonths?: readonly RpmManagementMonth[];
  };
};
