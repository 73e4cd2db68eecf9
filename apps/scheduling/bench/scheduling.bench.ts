/**
 * Slot search latency over 500 providers x 8 weeks of availability, and booking throughput with
 * contention, on the real PostgreSQL (a throwaway schema in carebridge_test).
 * Run: ./tools/ts-node.sh apps/scheduling/bench/scheduling.bench.ts  (writes bench/results.md here)
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { PostgresEventStore, type StreamStep, handle, handleMany } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { createTestSchema } from '@carebridge/testing';
import { localDateOf } from '../src/provider/availability.calendar';
import { providerDecider } from '../src/provider/provider.decider';
import { providerStreamId } from '../src/provider/provider.stream';
import { type ProviderTerms, SlotTakenError } from '../src/provider-day/provider-day.decider';
import { appointmentStep } from '../src/appointment/appointment.stream';
import { termsAt } from '../src/provider-day/provider-terms.handler';
import { dayStep } from '../src/provider-day/provider-day.stream';
import type { Interval, ProviderDayEvent } from '../src/provider-day/provider-day.events';
import { ReadModels } from '../src/read-models.projection';
import { migrateScheduling } from '../src/scheduling.migrate';

const PROVIDERS = 500;
const SPECIALTIES = ['dermatology', 'psychiatry', 'family-medicine', 'pediatrics', 'cardiology', 'endocrinology', 'neurology', 'urology', 'gastroenterology', 'rheumatology'];
const STATES = ['NY', 'NJ', 'CA', 'TX', 'FL', 'IL', 'PA', 'OH', 'GA', 'WA'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const meta = () => ({ now: new Date(), actor: { id: 'bench', role: 'ops' as const }, correlationId: randomUUID() });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const WRITERS = 16;
const ATTEMPTS_PER_WRITER = 40;
/** The two contention runs: writers on the same few slots, each trying this many bookings. */
const CONTENTION = { writers: WRITERS, attemptsPerWriter: ATTEMPTS_PER_WRITER, attempts: WRITERS * ATTEMPTS_PER_WRITER };

/** 500 providers on the store, Mon-Fri availability; the read models caught up. */
async function seedProviders(store: PostgresEventStore, readModels: ReadModels, log: (line: string) => void): Promise<string[]> {
  const seedStart = Date.now();
  const providerIds = Array.from({ length: PROVIDERS }, () => randomUUID());
  for (let i = 0; i < PROVIDERS; i += 25) {
    await Promise.all(
      providerIds.slice(i, i + 25).map(async (providerId, j) => {
        const n = i + j;
        await handle(store, providerStreamId(providerId), providerDecider, {
          type: 'RegisterProvider',
          data: {
            providerId,
            specialties: [SPECIALTIES[n % SPECIALTIES.length]!],
            licensedStates: [STATES[n % STATES.length]!, STATES[(n + 3) % STATES.length]!, 'NY'],
            timeZone: ZONES[n % ZONES.length]!,
            modalities: ['video', 'phone'],
          },
          metadata: meta(),
        });
        await handle(store, providerStreamId(providerId), providerDecider, {
          type: 'SetWeeklyAvailability',
          data: {
            providerId,
            weekly: [1, 2, 3, 4, 5].flatMap((weekday) => [
              { weekday, start: '09:00', end: '12:00' },
              { weekday, start: '13:00', end: '17:00' },
            ]),
            slotMinutes: 30,
            bufferMinutes: 0,
          },
          metadata: meta(),
        });
      }),
    );
  }
  readModels.start();
  await readModels.waitFor(await store.headPosition(), 120_000);
  log(`Seeded ${PROVIDERS} providers (Mon-Fri 09-12 and 13-17, 30 min slots, 4 zones) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s.`);
  return providerIds;
}

/** Slot search latency, stopping at the first page, against the same query computing every date. */
async function benchSlotSearch(readModels: ReadModels, log: (line: string) => void): Promise<void> {
  // 8 weeks of availability: ranges up to 56 days from tomorrow.
  const from = DateTime.now().setZone('America/New_York').plus({ days: 1 }).toISODate()!;
  // Beside the computation as it was (every date of the range, then the page): the same query with
  // a page size no search fills, which never stops early. Interleaved, so both see the same load.
  for (const [label, days, runs] of [['7-day range', 7, 60], ['56-day range (8 weeks)', 56, 20]] as const) {
    const to = DateTime.fromISO(from).plus({ days: days - 1 }).toISODate()!;
    const times = { early: [] as number[], every: [] as number[] };
    let found = 0;
    for (let r = 0; r < runs; r++) {
      for (const variant of r % 2 === 0 ? (['early', 'every'] as const) : (['every', 'early'] as const)) {
        const started = process.hrtime.bigint();
        const result = await readModels.slots.find({
          specialty: SPECIALTIES[r % SPECIALTIES.length]!,
          modality: 'video',
          patientState: 'NY',
          from,
          to,
          timeZone: 'America/New_York',
          pageSize: variant === 'early' ? 20 : Number.MAX_SAFE_INTEGER,
          now: new Date(),
        });
        times[variant].push(Number(process.hrtime.bigint() - started) / 1e6);
        if (variant === 'early') found += result.slots.length;
      }
    }
    const [early, every] = [times.early.sort((a, b) => a - b), times.every.sort((a, b) => a - b)];
    log(
      `Slot search, one specialty (50 providers), ${label}, page of 20: p50 ${percentile(early, 50).toFixed(1)} ms, p99 ${percentile(early, 99).toFixed(1)} ms ` +
        `(${runs} queries, ${(found / runs).toFixed(0)} slots per page); computing every date as before: p50 ${percentile(every, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(every, 99).toFixed(1)} ms; p99 ratio ${(percentile(every, 99) / percentile(early, 99)).toFixed(1)}x`,
    );
  }
}

/** A booking's write: the appointment's stream and the lead's day, in one transaction (as POST /v1/appointments). */
function bookingSteps(
  dayStreamId: string,
  b: { appointmentId: string; patientId: string; slot: Interval; terms: ProviderTerms; additionalProviderIds?: string[] },
  metadata: CommandMetadata,
): StreamStep[] {
  const { appointmentId, patientId, slot, terms } = b;
  return [
    appointmentStep({
      type: 'BookAppointment',
      data: { appointmentId, patientId, slot, modality: 'video', patientState: 'NY', reason: 'bench', intake: { symptoms: ['cough'] }, terms, ...(b.additionalProviderIds && { additionalProviderIds: b.additionalProviderIds }) },
      metadata,
    }),
    dayStep({ streamId: dayStreamId, command: { type: 'ReserveTime', data: { appointmentId, patientId, slot, terms }, metadata } }),
  ];
}

/** The appointment's stream and its provider-day stream per booking: 16 writers on 160 slots of 10 providers, none booked twice. */
async function benchContention(store: PostgresEventStore, providerIds: string[], log: (line: string) => void): Promise<void> {
  const { writers, attemptsPerWriter, attempts } = CONTENTION;
  // Contention: 16 writers book random slots among 10 providers' next Monday (160 slots).
  const contested = providerIds.slice(0, 10);
  const candidates = contested.flatMap((providerId, n) => {
    // 09:00 next Monday in the provider's own zone.
    const monday = DateTime.now().setZone(ZONES[n % ZONES.length]!).plus({ weeks: 1 }).startOf('week').set({ hour: 9 });
    return Array.from({ length: 6 }, (_, k) => ({ providerId, start: monday.plus({ minutes: 30 * k }).toUTC().toISO()! }));
  });
  let booked = 0;
  let conflicts = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let a = 0; a < attemptsPerWriter; a++) {
        const pick = candidates[Math.floor(Math.random() * candidates.length)]!;
        const { streamId, terms, slot } = await termsAt(store, pick.providerId, pick.start);
        try {
          await handleMany(store, bookingSteps(streamId, { appointmentId: randomUUID(), patientId: randomUUID(), slot, terms }, meta()));
          booked++;
        } catch (error) {
          if (error instanceof SlotTakenError || (error as { code?: string }).code === 'EVENT_STORE.WRONG_EXPECTED_VERSION') conflicts++;
          else throw error;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  log(
    `Booking with contention (handleMany() on the appointment and provider-day streams, no HTTP): ${writers} writers, ${attempts} attempts on ${candidates.length} slots of 10 providers (${localDateOf(candidates[0]!.start, 'America/New_York')}): ` +
      `${(attempts / seconds).toFixed(0)} attempts/s, ${booked} booked (never more than ${candidates.length}), ${conflicts} refused as taken, in ${seconds.toFixed(1)} s`,
  );
  if (booked > candidates.length) throw new Error(`double booking: ${booked} > ${candidates.length}`);
}

async function main() {
  const db = await createTestSchema('scheduling_bench', { max: 20 });
  const out: string[] = [];
  const log = (line: string) => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  try {
    await migrateScheduling(db.pool, db.schema);
    const store = new PostgresEventStore(db.pool, db.schema);
    const readModels = new ReadModels(store, db.pool);

    const providerIds = await seedProviders(store, readModels, log);
    await benchSlotSearch(readModels, log);
    await benchContention(store, providerIds, log);
    const { writers, attemptsPerWriter, attempts } = CONTENTION;

    // Multi-provider: 16 writers book pairs (lead + one more) among 6 New York providers' next
    // Monday mornings; each booking writes both day streams in one transaction (handleMany).
    const team = providerIds.filter((_, n) => n >= 100 && n % ZONES.length === 0).slice(0, 6);
    const monday = DateTime.now().setZone('America/New_York').plus({ weeks: 1 }).startOf('week').set({ hour: 9 });
    const teamSlots = Array.from({ length: 6 }, (_, k) => monday.plus({ minutes: 30 * k }).toUTC().toISO()!);
    let pairs = 0;
    let refused = 0;
    // Still colliding after the store's retries (40001/40P01): the API answers these 503 DATABASE.CONTENTION with Retry-After.
    let contended = 0;
    const teamStarted = Date.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let a = 0; a < attemptsPerWriter; a++) {
          const lead = team[Math.floor(Math.random() * team.length)]!;
          const others = team.filter((p) => p !== lead);
          const participant = others[Math.floor(Math.random() * others.length)]!;
          const start = teamSlots[Math.floor(Math.random() * teamSlots.length)]!;
          const leadTerms = await termsAt(store, lead, start);
          const participantTerms = await termsAt(store, participant, start);
          const appointmentId = randomUUID();
          const patientId = randomUUID();
          const metadata = meta();
          try {
            await handleMany(store, [
              ...bookingSteps(leadTerms.streamId, { appointmentId, patientId, slot: leadTerms.slot, terms: leadTerms.terms, additionalProviderIds: [participant] }, metadata),
              dayStep({
                streamId: participantTerms.streamId,
                command: {
                  type: 'BookParticipant',
                  data: { appointmentId, leadProviderId: lead, patientId, slot: leadTerms.slot, modality: 'video', patientState: 'NY', terms: participantTerms.terms },
                  metadata,
                },
              }),
            ]);
            pairs++;
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (error instanceof SlotTakenError || code === 'EVENT_STORE.WRONG_EXPECTED_VERSION') refused++;
            else if (code === '40001' || code === '40P01') contended++;
            else throw error;
          }
        }
      }),
    );
    const teamSeconds = (Date.now() - teamStarted) / 1000;
    // Every provider holds each slot at most once, as lead or as participant.
    const teamDate = monday.toISODate()!;
    let taken = 0;
    for (const providerId of team) {
      const events = (await store.readStream(`provider-day-${providerId}-${teamDate}`)).map((e) => ({ type: e.type, data: e.data }) as ProviderDayEvent);
      const starts = events.flatMap((e) => (e.type === 'AppointmentTimeReserved' || e.type === 'AppointmentParticipantBooked' ? [e.data.start] : []));
      if (new Set(starts).size !== starts.length) throw new Error(`double booking of provider ${providerId}`);
      taken += starts.length;
    }
    log(
      `Multi-provider booking with contention (handleMany: the appointment, lead and participant day streams in one transaction): ${writers} writers, ${attempts} attempts on ${teamSlots.length} slots of 6 providers: ` +
        `${(attempts / teamSeconds).toFixed(0)} attempts/s, ${pairs} booked (${taken} provider-slots taken of ${team.length * teamSlots.length}, none twice), ${refused} refused, ${contended} gave up on contention after 12 retries (503 in the API), in ${teamSeconds.toFixed(1)} s`,
    );
    if (taken !== pairs * 2) throw new Error(`partial write: ${taken} provider-slots for ${pairs} bookings`);
    await readModels.stop();
  } finally {
    await db.dispose();
  }
  const text = `# Scheduling benchmark\n\n${new Date().toISOString()}, 2-core machine shared with PostgreSQL, Kafka and other work.\n\n${out.map((l) => `- ${l}`).join('\n')}\n`;
  writeFileSync(path.join(__dirname, 'results.md'), text);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
