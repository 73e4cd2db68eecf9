export type AlertSeverity = 'critical' | 'high' | 'moderate';
export type AlertKind = 'threshold' | 'trend' | 'adherence';

export type AlertEvent =
  | {
      readonly type: 'AlertRaised';
      readonly data: {
        readonly alertId: string;
        readonly patientId: string;
        readonly ruleId: string;
        readonly kind: AlertKind;
        readonly severity: AlertSeverity;
        readonly readingIds: readonly string[];
        readonly measuredAt: string;
        /** Escalation order, copied from the care team when raised. */
        readonly careTeam: readonly string[];
        readonly assigneeId?: string;
        readonly escalateAfterSeconds: number;
      };
    }
  | {
      /** The condition goes on: more readings are attached to the open alert (no new alert). */
      readonly type: 'AlertUpdated';
      readonly data: { readonly alertId: string; readonly patientId: string; readonly ruleId: string; readonly readingIds: readonly string[]; readonly measuredAt: string };
    }
  | { readonly type: 'AlertAcknowledged'; readonly data: { readonly alertId: string; readonly patientId: string; readonly ruleId: string; readonly by: string } }
  | { readonly type: 'AlertResolved'; readonly data: { readonly alertId: string; readonly patientId: string; readonly ruleId: string; readonly by: string } }
  | {
      readonly type: 'AlertEscalated';
      readonly data: {
        readonly alertId: string;
        readonly patientId: string;
        readonly ruleId: string;
        readonly level: number;
        readonly assigneeId: string;
        readonly escalateAfterSeconds: number;
      };
    };
