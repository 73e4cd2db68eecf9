export type RpmEvent = {
  readonly type: 'RpmPeriodClosed';
  readonly data: {
    readonly periodId: string;
    readonly patientId: string;
    readonly practitionerId?: string;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly daysWithReadings: number;
    readonly managementMinutes: number;
    readonly interpretationMinutes: number;
    readonly interactive: boolean;
    readonly codes: readonly { readonly code: string; readonly units: number }[];
    readonly reasonCodes: readonly string[];
    readonly ruleSet: { readonly ruleSetId: string; readonly version: string; readonly source: string };
  };
};
