/**
 * The seed's patients: coverage in billing-eligibility (the Medicare one is CMS's published MBI
 * example format), preferred pharmacy in prescriptions, RPM enrolment with a device in monitoring.
 */
import { call, id, type SeedContext } from './seed-call';

export interface SeedCoverage {
  readonly coverageId: string;
  readonly payerKind: 'medicare-part-b' | 'medicaid' | 'commercial';
  readonly payerId: string;
  readonly planName: string;
  readonly state?: string;
  readonly memberId: string;
  readonly groupNumber?: string;
  readonly effectiveFrom: string;
  readonly order: 'primary' | 'secondary';
}

export interface SeedPatient {
  readonly patientId: string;
  readonly name: string;
  readonly state: string;
  readonly coverages: readonly SeedCoverage[];
  readonly preferredPharmacy: string;
  /** Remote patient monitoring: conditions, care team (escalation order) and the device sent home. */
  readonly rpm?: {
    readonly conditions: readonly string[];
    readonly careTeam: readonly string[];
    readonly device: { deviceId: string; serial: string; kind: string; manufacturer: string; model: string };
  };
}

const MEDICARE_B = { payerKind: 'medicare-part-b', payerId: 'CMS-MEDICARE-B', planName: 'Original Medicare Part B' } as const;

export const patients: readonly SeedPatient[] = [
  {
    patientId: id(1),
    name: 'Maria Alvarez',
    state: 'NY',
    coverages: [
      {
        coverageId: id(1001),
        payerKind: 'commercial',
        // The seeded payer's token subject is its payer id, so `GET /dev/token?role=payer` sees these members.
        payerId: id(301),
        planName: 'Hudson Valley Health Plan PPO',
        state: 'NY',
        memberId: 'HVH-440127-01',
        groupNumber: 'GRP-20931',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '3310001',
  },
  {
    patientId: id(2),
    name: 'Robert Johnson',
    state: 'TX',
    coverages: [{ coverageId: id(1002), ...MEDICARE_B, memberId: '1EG4TE5MK73', effectiveFrom: '2026-01-01', order: 'primary' }],
    preferredPharmacy: '4520002',
    rpm: {
      conditions: ['hypertension'],
      careTeam: [id(102), id(105)],
      device: { deviceId: id(501), serial: 'BPM-TX-000501', kind: 'blood-pressure-monitor', manufacturer: 'Omron', model: 'BP7450' },
    },
  },
  {
    patientId: id(3),
    name: 'Linh Tran',
    state: 'CA',
    coverages: [
      {
        coverageId: id(1003),
        payerKind: 'medicaid',
        payerId: 'CA-MEDI-CAL',
        planName: 'Medi-Cal (fee-for-service)',
        state: 'CA',
        memberId: '91234567A',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '0530003',
  },
  {
    patientId: id(4),
    name: 'Dorothy Mitchell',
    state: 'FL',
    // Dual eligible: Medicare first, Florida Medicaid for the rest.
    coverages: [
      { coverageId: id(1004), ...MEDICARE_B, memberId: '2FH7JK9LM24', effectiveFrom: '2026-01-01', order: 'primary' },
      {
        coverageId: id(1014),
        payerKind: 'medicaid',
        payerId: 'FL-MEDICAID',
        planName: 'Florida Medicaid',
        state: 'FL',
        memberId: '8812345670',
        effectiveFrom: '2026-01-01',
        order: 'secondary',
      },
    ],
    preferredPharmacy: '1020004',
    rpm: {
      conditions: ['heart-failure', 'hypertension'],
      careTeam: [id(105), id(101)],
      device: { deviceId: id(502), serial: 'SCL-FL-000502', kind: 'multi', manufacturer: 'Withings', model: 'Body Cardio + BPM Connect' },
    },
  },
  {
    patientId: id(5),
    name: 'Jordan Blake',
    state: 'CO',
    coverages: [
      {
        coverageId: id(1005),
        payerKind: 'commercial',
        payerId: 'FRONT-RANGE-MUTUAL',
        planName: 'Front Range Mutual HMO',
        state: 'CO',
        memberId: 'FRM-7730021',
        groupNumber: 'DEN-118',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '0640005',
  },
  {
    patientId: id(6),
    name: 'Leilani Akana',
    state: 'HI',
    coverages: [
      {
        coverageId: id(1006),
        payerKind: 'medicaid',
        payerId: 'HI-MED-QUEST',
        planName: 'Med-QUEST',
        state: 'HI',
        memberId: '0049912345',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '1220006',
  },
];

export async function seedPatient(seed: SeedContext, pt: SeedPatient): Promise<void> {
  const token = await seed.tokens.patient(pt.patientId);
  // Primary before secondary: a secondary needs a primary under it.
  for (const coverage of pt.coverages) {
    await call(seed.url, 'POST', `/billing-eligibility/v1/patients/${pt.patientId}/coverages`, seed.ops, coverage, `coverage-${coverage.coverageId}`);
    seed.counts.coverages++;
  }
  await call(
    seed.url,
    'PUT',
    `/prescriptions/v1/patients/${pt.patientId}/preferred-pharmacy`,
    token,
    { ncpdpId: pt.preferredPharmacy },
    `preferred-pharmacy-${pt.patientId}-${pt.preferredPharmacy}`,
  );
  seed.counts.patients++;
}

export async function seedRpm(seed: SeedContext, pt: SeedPatient): Promise<void> {
  if (!pt.rpm) return;
  const { rpm } = pt;
  await call(
    seed.url,
    'POST',
    `/monitoring/v1/patients/${pt.patientId}/enrolment`,
    seed.ops,
    { conditions: rpm.conditions, careTeam: rpm.careTeam, billingPractitionerId: rpm.careTeam[0], established: true },
    `rpm-enrolment-${pt.patientId}`,
  );
  await call(seed.url, 'POST', `/monitoring/v1/patients/${pt.patientId}/consent`, await seed.tokens.patient(pt.patientId), undefined);
  await call(seed.url, 'POST', '/monitoring/v1/devices', seed.ops, rpm.device, `device-${rpm.device.deviceId}`);
  // The device's API key is shown once, to the first assignment: devices of the seed post
  // through the ops gateway (`POST /monitoring/v1/readings/batch`); the tour assigns its own.
  await call(
    seed.url,
    'POST',
    `/monitoring/v1/devices/${rpm.device.deviceId}/assignments`,
    seed.ops,
    { patientId: pt.patientId, from: '2026-01-01T00:00:00Z' },
    `device-assignment-${rpm.device.deviceId}`,
  );
  seed.counts.devices++;
}
