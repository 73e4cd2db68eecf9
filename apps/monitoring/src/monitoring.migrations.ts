import type { Migration } from '@carebridge/event-store';

/** The read models of monitoring, in the service's schema next to its event store. */
export const monitoringMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'patients, devices, readings, alerts, RPM read models',
    sql: /* sql */ `
CREATE TABLE {{schema}}.monitored_patients (
  patient_id              text PRIMARY KEY,
  conditions              text[] NOT NULL,
  care_team               text[] NOT NULL,
  billing_practitioner_id text NOT NULL,
  established             boolean NOT NULL,
  consented               boolean NOT NULL DEFAULT false,
  escalate_after_seconds  integer NOT NULL,
  adjustments             jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE {{schema}}.devices (
  device_id    text PRIMARY KEY,
  serial       text NOT NULL,
  kind         text NOT NULL,
  manufacturer text NOT NULL,
  model        text NOT NULL
);

CREATE TABLE {{schema}}.device_assignments (
  assignment_id text PRIMARY KEY,
  device_id     text NOT NULL,
  patient_id    text NOT NULL,
  valid_from    text NOT NULL,
  valid_to      text,
  key_hash      text NOT NULL
);
CREATE INDEX ON {{schema}}.device_assignments (device_id);
CREATE INDEX ON {{schema}}.device_assignments (key_hash);

-- Readings by patient and time (late readings land by measurement time); the event id is the reading id.
CREATE TABLE {{schema}}.readings (
  reading_id  uuid PRIMARY KEY,
  patient_id  text NOT NULL,
  device_id   text NOT NULL,
  kind        text NOT NULL,
  loinc       text NOT NULL,
  measured_at timestamptz NOT NULL,
  value       double precision,
  systolic    double precision,
  diastolic   double precision,
  unit        text,
  taken       boolean,
  rxnorm_code text,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.readings (patient_id, kind, measured_at);

-- RPM: the days with at least one reading, per patient.
CREATE TABLE {{schema}}.reading_days (
  patient_id text NOT NULL,
  day        date NOT NULL,
  PRIMARY KEY (patient_id, day)
);

CREATE TABLE {{schema}}.interactive_minutes (
  entry_id        text PRIMARY KEY,
  patient_id      text NOT NULL,
  practitioner_id text NOT NULL,
  activity        text NOT NULL,
  minutes         integer NOT NULL,
  interactive     boolean NOT NULL,
  performed_at    timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.interactive_minutes (patient_id, performed_at);

CREATE TABLE {{schema}}.medication_fills (
  patient_id      text NOT NULL,
  prescription_id text NOT NULL,
  rxnorm_code     text NOT NULL,
  days_supply     integer NOT NULL,
  filled_at       timestamptz NOT NULL,
  PRIMARY KEY (patient_id, prescription_id, filled_at)
);

CREATE TABLE {{schema}}.alerts (
  alert_id     text PRIMARY KEY,
  stream_id    text NOT NULL,
  patient_id   text NOT NULL,
  rule_id      text NOT NULL,
  kind         text NOT NULL,
  severity     text NOT NULL,
  status       text NOT NULL,
  level        integer NOT NULL,
  assignee_id  text,
  reading_ids  text[] NOT NULL,
  raised_at    timestamptz NOT NULL,
  measured_at  timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.alerts (patient_id, status);

CREATE TABLE {{schema}}.rpm_periods (
  period_id     text PRIMARY KEY,
  patient_id    text NOT NULL,
  period_start  date NOT NULL,
  period_end    date NOT NULL,
  days          integer NOT NULL,
  codes         jsonb NOT NULL,
  reason_codes  text[] NOT NULL,
  rule_set      jsonb NOT NULL
);
CREATE INDEX ON {{schema}}.rpm_periods (patient_id, period_start);
`,
  },
  {
    version: 2,
    name: 'readings by log position (the alerting reactor follows the read model)',
    sql: /* sql */ `
ALTER TABLE {{schema}}.readings ADD COLUMN global_position bigint;
CREATE INDEX ON {{schema}}.readings (global_position);
`,
  },
  {
    version: 3,
    name: 'monitoring programme per patient (RPM or RTM, issue 16)',
    sql: /* sql */ `
ALTER TABLE {{schema}}.monitored_patients ADD COLUMN program jsonb;
`,
  },
];
