import type { MonitoringProgram } from '../rpm/rpm.events';
import type { Clause } from '../care-plan/care-plan.events';

export type ConditionName = 'hypertension' | 'heart-failure' | 'diabetes' | 'chronic-kidney-disease' | 'post-surgery';

/** A provider's change to one care-plan rule for this patient (see care-plan.rules.ts). */
export type RuleAdjustmentData =
  | { readonly ruleId: string; readonly enabled: false }
  | { readonly ruleId: string; readonly when: readonly Clause[] }
  | { readonly ruleId: string; readonly gainKgAbove: number; readonly windowHours?: number }
  | { readonly ruleId: string; readonly missedDosesAtLeast: number; readonly windowDays?: number };

export type PatientMonitoringEvent =
  | {
      readonly type: 'PatientEnrolled';
      readonly data: {
        readonly patientId: string;
        readonly conditions: readonly ConditionName[];
        /** In escalation order: the first is alerted first. */
        readonly careTeam: readonly string[];
        readonly billingPractitionerId: string;
        readonly established: boolean;
        readonly escalateAfterSeconds: number;
        /** RPM or RTM for one system; absent on enrolments before RTM: RPM. */
        readonly program?: MonitoringProgram;
      };
    }
  | { readonly type: 'MonitoringConsentRecorded'; readonly data: { readonly patientId: string; readonly consentedAt: string } }
  | { readonly type: 'CareRuleAdjusted'; readonly data: { readonly patientId: string; readonly adjustment: RuleAdjustmentData } }
  | {
      readonly type: 'InteractiveMinutesLogged';
      readonly data: {
        readonly patientId: string;
        readonly entryId: string;
        readonly practitionerId: string;
        readonly activity: 'management' | 'interpretation';
        readonly minutes: number;
        /** A real-time (synchronous) interaction with the patient or caregiver took place. */
        readonly interactive: boolean;
        readonly performedAt: string;
      };
    }
  | {
      readonly type: 'MedicationFillRecorded';
      readonly data: {
        readonly patientId: string;
        readonly prescriptionId: string;
        readonly rxnormCode: string;
        readonly daysSupply: number;
        readonly filledAt: string;
      };
    };
