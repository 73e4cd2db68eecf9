import type { Pool } from 'pg';
import { migrate, type Migration } from '@carebridge/event-store';
import { messagingMigrations } from '@carebridge/messaging';

/** Read models and the prescribers' one-time-code enrolments, in the service's schema. */
export const prescriptionsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'prescription view, pharmacy directory, one-time-code enrolments, read audit',
    sql: /* sql */ `
CREATE TABLE {{schema}}.prescription_view (
  prescription_id   uuid PRIMARY KEY,
  patient_id        text NOT NULL,
  prescriber_id     text NOT NULL,
  pharmacy_id       text,
  status            text NOT NULL,
  ingredient_rxcuis text[] NOT NULL,
  view              jsonb NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.prescription_view (patient_id);
CREATE INDEX ON {{schema}}.prescription_view (prescriber_id);
CREATE INDEX ON {{schema}}.prescription_view (pharmacy_id);

CREATE TABLE {{schema}}.pharmacy_directory (
  ncpdp_id    text PRIMARY KEY,
  pharmacy_id text NOT NULL UNIQUE,
  npi         text NOT NULL,
  name        text NOT NULL,
  state       text NOT NULL,
  city        text NOT NULL,
  accepts_e_prescribing boolean NOT NULL,
  details     jsonb NOT NULL
);
CREATE INDEX ON {{schema}}.pharmacy_directory (state, city);

-- RFC 6238 shared secrets. last_step refuses a code used twice (RFC 6238 section 5.2).
-- Sealed with AES-256-GCM since migration 2 (prescriber-otp/otp-secret-box.crypto.ts).
CREATE TABLE {{schema}}.prescriber_otp (
  provider_id text PRIMARY KEY,
  secret      bytea NOT NULL,
  last_step   bigint NOT NULL DEFAULT 0,
  enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- Every read of a prescription (HIPAA accounting of access): who, what, why, when.
CREATE TABLE {{schema}}.read_audit (
  id          bigserial PRIMARY KEY,
  actor_id    text NOT NULL,
  actor_role  text NOT NULL,
  resource    text NOT NULL,
  purpose     text NOT NULL,
  correlation_id text,
  read_at     timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'one-time-code secrets sealed with AES-256-GCM',
    // Existing rows keep their secret in clear, marked `plain`, until OneTimeCodes seals them
    // (at boot, sealPlaintextSecrets, or on their next successful use).
    sql: /* sql */ `
ALTER TABLE {{schema}}.prescriber_otp ADD COLUMN secret_format text NOT NULL DEFAULT 'plain';
ALTER TABLE {{schema}}.prescriber_otp ADD COLUMN key_id text;
ALTER TABLE {{schema}}.prescriber_otp ALTER COLUMN secret_format DROP DEFAULT;
`,
  },
  {
    version: 3,
    name: 'pharmacy-bound SCRIPT messages for pharmacies that poll',
    sql: /* sql */ `
CREATE TABLE {{schema}}.pharmacy_script_outbox (
  global_position bigint PRIMARY KEY,
  ncpdp_id        text NOT NULL,
  prescription_id uuid NOT NULL,
  message_id      text NOT NULL,
  message         text NOT NULL,
  script_version  text NOT NULL,
  sent_at         timestamptz NOT NULL,
  xml             text NOT NULL
);
CREATE INDEX ON {{schema}}.pharmacy_script_outbox (ncpdp_id, global_position);
`,
  },
];

/** Event store, messaging tables and read models of the service's schema, in that order. */
export async function migratePrescriptions(pool: Pool, schema: string): Promise<void> {
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  await migrate(pool, schema, prescriptionsMigrations, 'prescriptions_migrations');
}
