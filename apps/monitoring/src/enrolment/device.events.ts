export type DeviceKind = 'blood-pressure-monitor' | 'pulse-oximeter' | 'glucometer' | 'scale' | 'thermometer' | 'pill-box' | 'multi';

export type DeviceEvent =
  | {
      readonly type: 'DeviceRegistered';
      readonly data: { readonly deviceId: string; readonly serial: string; readonly kind: DeviceKind; readonly manufacturer: string; readonly model: string };
    }
  | {
      readonly type: 'DeviceAssigned';
      readonly data: {
        readonly deviceId: string;
        readonly assignmentId: string;
        readonly patientId: string;
        readonly from: string;
        readonly to?: string;
        /** SHA-256 of the device's API key for this assignment (the key itself is shown once). */
        readonly keyHash: string;
      };
    }
  | {
      /** A new API key for the assignment: the previous one stops working at once (a lost or leaked key). */
      readonly type: 'DeviceKeyRotated';
      readonly data: { readonly deviceId: string; readonly assignmentId: string; readonly patientId: string; readonly keyHash: string };
    }
  | { readonly type: 'DeviceAssignmentEnded'; readonly data: { readonly deviceId: string; readonly assignmentId: string; readonly patientId: string; readonly endedAt: string } };
