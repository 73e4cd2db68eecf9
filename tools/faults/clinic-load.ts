/**
 * The clinic fault scenario's load (issue 21): clients of the five services through the
 * development gateway, as `npm run tour` calls them, with development tokens and the seeded
 * clinic (tools/embedded/seed.ts). Four kinds of client run side by side, one request in flight each:
 * - bookings: a patient searches video slots and books them; the booking's eligibility round trip
 *   (scheduling → billing-eligibility → scheduling) and the visit it opens (visits) follow on the bus;
 * - prescriptions: during a booked visit, the provider drafts, checks and signs NewRx after NewRx,
 *   transmitted to the patient's preferred pharmacy on the pharmacy topic;
 * - readings: a device gateway posts batches of blood-pressure readings (monitoring);
 * - alerts: a cuff posts a crisis reading, the care team's provider acknowledges the alert it raises,
 *   then resolves it.
 * Every command accepted (2xx) goes into the client-side ledger with what it must have stored; a
 * 503 or a connection error is sent again with the same Idempotency-Key (applied once); anything else
 * is counted and the client moves on. Errors are counted per phase (the fault being injected).
 */
import { randomUUID } from 'node:crypto';
import { SEED } from '../embedded/seed';

/** An event the command must have stored: `exactly` one, or `atLeast` one (a step that may repeat). */
export interface Expectation {
  readonly schema: string;
  readonly eventType: string;
  /** `stream_id` and `event_id` are columns; anything else a field of the event's data. */
  readonly field: string;
  readonly value: string;
  readonly count: 'exactly' | 'atLeast';
}

export interface AcceptedCommand {
  readonly kind: string;
  readonly phase: string;
  readonly at: number;
  readonly expects: readonly Expectation[];
  /** A NewRx that must reach the pharmacy topic once (its subject). */
  readonly pharmacyNewRx?: string;
}

export class ClinicLedger {
  readonly accepted: AcceptedCommand[] = [];
  /** phase -> status (or error code) -> count, for every request (reads too). */
  readonly errors = new Map<string, Record<string, number>>();
  phase = 'warm-up';
  /** 404s of a read of what another service creates from an event (not there yet), sent again: not client errors. */
  notVisibleYet = 0;
  lastAcceptedAt = 0;
  running = true;

  accept(kind: string, expects: readonly Expectation[], pharmacyNewRx?: string): void {
    this.lastAcceptedAt = Date.now();
    this.accepted.push({ kind, phase: this.phase, at: this.lastAcceptedAt, expects, ...(pharmacyNewRx !== undefined && { pharmacyNewRx }) });
  }

  error(status: string): void {
    const counts = this.errors.get(this.phase) ?? {};
    counts[status] = (counts[status] ?? 0) + 1;
    this.errors.set(this.phase, counts);
  }
}

class Stopped extends Error {}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sent {
  readonly status: number;
  readonly body: any;
}

/**
 * One request, sent again after a 503 or a connection error until it is answered otherwise (or the
 * load stops). Returns the 2xx answer, or undefined after any other status (counted).
 */
async function send(
  ledger: ClinicLedger,
  url: string,
  method: string,
  route: string,
  token: string,
  body?: unknown,
  key?: string,
  notThereYet = false,
): Promise<Sent | undefined> {
  for (let tries = 0; ; tries++) {
    if (!ledger.running) throw new Stopped();
    let status: string;
    let retryable = false;
    try {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(key !== undefined && { 'idempotency-key': key }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.ok) return { status: response.status, body: text ? JSON.parse(text) : undefined };
      status = String(response.status);
      if (notThereYet && response.status === 404 && tries < 600) {
        ledger.notVisibleYet++;
        await sleep(100);
        continue;
      }
      retryable = response.status === 503;
      if (!retryable && process.env.CLINIC_FAULTS_VERBOSE) process.stderr.write(`[clinic] ${method} ${route} ${status}: ${text.slice(0, 300)}\n`);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      status = cause?.code ?? (error as Error).name;
      retryable = true;
    }
    ledger.error(status);
    if (!retryable) return undefined;
    await sleep(250);
  }
}

async function devToken(url: string, role: string, sub: string, extra = ''): Promise<string> {
  const response = await fetch(`${url}/dev/token?role=${role}&sub=${encodeURIComponent(sub)}${extra}`);
  if (!response.ok) throw new Error(`GET /dev/token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const seedPatient = (n: number) => `7c1e2a40-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Patients of one state book video visits with one provider, slot after slot: the seeded patient
 * first (the prescriptions client's visit), then a new patient each time, as a clinic's bookings
 * spread over its patients (one patient booking hundreds of visits would make their eligibility
 * stream, read whole by each answer, the hot spot of the run).
 */
async function bookings(ledger: ClinicLedger, url: string, patientNo: number, state: string, providerId: string, timeZone: string): Promise<void> {
  let patientId = seedPatient(patientNo);
  let token = await devToken(url, 'patient', patientId);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone });
  const booked = new Set<string>();
  for (let week = 1; ledger.running; week++) {
    const query = `specialty=family-medicine&modality=video&patientState=${state}&from=${day(week * 7 - 6)}&to=${day(week * 7)}&timeZone=${encodeURIComponent(timeZone)}&pageSize=50`;
    const found = await send(ledger, url, 'GET', `/scheduling/v1/slots?${query}`, token);
    const slots = ((found?.body?.slots ?? []) as { providerId: string; startUtc: string }[]).filter((s) => s.providerId === providerId && !booked.has(s.startUtc));
    for (const slot of slots.slice(0, 20)) {
      booked.add(slot.startUtc);
      const answer = await send(
        ledger,
        url,
        'POST',
        '/scheduling/v1/appointments',
        token,
        {
          providerId,
          slotStart: slot.startUtc,
          modality: 'video',
          patientState: state,
          serviceCodes: ['99213'],
          visitPurpose: 'other',
          patientSetting: 'home',
          reason: 'Follow-up of home blood pressure readings',
          intake: { symptoms: ['chronic-condition-follow-up'], description: 'Routine follow-up.', questions: [] },
        },
        `faults-book-${patientId}-${slot.startUtc}`,
      );
      const appointmentId = answer?.body?.appointmentId as string | undefined;
      if (appointmentId) {
        const on = (schema: string, eventType: string, field = 'appointmentId'): Expectation => ({ schema, eventType, field, value: appointmentId, count: 'exactly' });
        ledger.accept('booking', [
          on('scheduling', 'AppointmentBooked'),
          on('billing_eligibility', 'EligibilityDetermined', 'request.appointmentId'),
          on('scheduling', 'AppointmentCoverageRecorded'),
          on('visits', 'VisitOpened'),
        ]);
        patientId = randomUUID();
        token = await devToken(url, 'patient', patientId);
      }
      await sleep(100);
    }
  }
}

/**
 * The family doctor sees the NY patient in an urgent-care video visit and ends it with a
 * prescription intent; prescriptions drafts it (origin `visit-intent`), which makes the doctor a
 * care provider of the patient there (prescriptions' access policy: a draft typed in opens no
 * patient's record). Then the doctor drafts, checks and signs NewRx after NewRx to the patient's
 * preferred pharmacy, again and again. (Before, the load typed its drafts in with the visit of a
 * booking: the check answered 404 ACCESS.NOT_FOUND once a typed draft stopped giving a relationship.)
 */
async function prescriptions(ledger: ClinicLedger, url: string): Promise<void> {
  const patient = SEED.patients[0]!;
  const provider = SEED.providers.find((p) => p.licensedStates.includes(patient.state) && p.specialties.includes('family-medicine'))!;
  const providerToken = await devToken(url, 'provider', provider.providerId);
  const patientToken = await devToken(url, 'patient', patient.patientId);
  const visitId = await urgentCareVisitWithIntent(ledger, url, patient.state, provider.providerId, providerToken, patientToken);
  if (!visitId) return;
  while (ledger.running) {
    const prescriptionId = randomUUID();
    const rx = `prescription-${prescriptionId}`;
    const on = (eventType: string, count: Expectation['count'] = 'exactly'): Expectation => ({ schema: 'prescriptions', eventType, field: 'stream_id', value: rx, count });
    const drafted = await send(
      ledger,
      url,
      'POST',
      '/prescriptions/v1/prescriptions',
      providerToken,
      {
        prescriptionId,
        patientId: patient.patientId,
        visitId,
        prescriber: { npi: provider.npi, deaNumber: null },
        medication: { rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', strength: '10 mg', doseForm: 'tablet', ingredientRxcuis: ['29046'], deaSchedule: null },
        sig: 'Take 1 tablet by mouth once daily',
        quantity: { value: 30, unit: 'tablet' },
        daysSupply: 30,
        refills: 2,
        encounter: { modality: 'audio-video' },
      },
      `faults-draft-${prescriptionId}`,
    );
    if (!drafted) continue;
    ledger.accept('prescription draft', [on('PrescriptionDrafted')]);
    const checked = await send(ledger, url, 'POST', `/prescriptions/v1/prescriptions/${prescriptionId}/check`, providerToken, undefined, `faults-check-${prescriptionId}`);
    if (!checked) continue;
    ledger.accept('prescription check', [on('PrescriptionChecked', 'atLeast')]);
    const overrides = ((checked.body?.findings ?? []) as { findingId: string; severity: string }[])
      .filter((f) => f.severity !== 'hard-stop')
      .map((f) => ({ findingId: f.findingId, reason: 'Reviewed with the patient during the visit' }));
    const signed = await send(ledger, url, 'POST', `/prescriptions/v1/prescriptions/${prescriptionId}/sign`, providerToken, { overrides, ...SIGN_PARTIES }, `faults-sign-${prescriptionId}`);
    if (!signed) continue;
    ledger.accept('prescription sign', [on('PrescriptionSigned'), on('PrescriptionTransmitted')], prescriptionId);
    await sleep(100);
  }
}

/** Duty, queue, take, admit, complete with one prescription intent; resolves once prescriptions has drafted it. */
async function urgentCareVisitWithIntent(
  ledger: ClinicLedger,
  url: string,
  state: string,
  providerId: string,
  providerToken: string,
  patientToken: string,
): Promise<string | undefined> {
  const run = randomUUID();
  const onDuty = await send(ledger, url, 'PUT', `/visits/v1/providers/${providerId}/urgent-care-duty`, providerToken, { onDuty: true });
  const queued = onDuty && (await send(ledger, url, 'POST', '/visits/v1/urgent-care/queue', patientToken, { locationState: state, modality: 'video', device: { camera: true, microphone: true, bandwidthKbps: 2400 } }, `faults-queue-${run}`));
  const visitId = queued?.body?.visitId as string | undefined;
  const taken = visitId && (await send(ledger, url, 'POST', '/visits/v1/urgent-care/next', providerToken, undefined, `faults-next-${run}`));
  const admitted = taken && (await send(ledger, url, 'POST', `/visits/v1/visits/${visitId}/admit`, providerToken));
  const completed =
    admitted &&
    (await send(ledger, url, 'POST', `/visits/v1/visits/${visitId}/complete`, providerToken, {
      disposition: 'resolved',
      prescriptions: [{ rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', sig: 'Take 1 tablet by mouth once daily', quantity: { value: 30, unit: 'tablet' }, daysSupply: 30, refills: 2 }],
      instructions: 'Take lisinopril every morning.',
    }));
  if (!completed) return undefined;
  // PrescriptionIntended: visits' relay -> Kafka -> prescriptions' consumer drafts it for the doctor.
  while (ledger.running) {
    const mine = await send(ledger, url, 'GET', '/prescriptions/v1/prescriptions', providerToken);
    const items = (mine?.body?.items ?? []) as { rx: { visitId: string | null } }[];
    if (items.some((item) => item.rx.visitId === visitId)) return visitId;
    ledger.notVisibleYet++;
    await sleep(500);
  }
  return undefined;
}

/** The parties of the SCRIPT NewRx: the patient as the prescriber's chart has them (synthetic) and the practice. */
const SIGN_PARTIES = {
  patient: { lastName: 'Faults', firstName: 'Patient', gender: 'U', dateOfBirth: '1970-01-01', address: null, phone: null },
  prescriber: { lastName: 'Doctor', firstName: 'Family', address: { line: ['1 Main St'], city: 'Albany', state: 'NY', postalCode: '12207' }, phone: '518-555-0100', fax: null },
};

let measuredAtClock = Date.now() - 20 * 3_600_000;
/** A distinct past instant per reading (a reading's id comes from device, type and time). */
const nextMeasuredAt = () => new Date((measuredAtClock += 1_000)).toISOString();

/** A device gateway posts batches of ten ordinary blood-pressure readings of the seeded TX patient's cuff. */
async function readings(ledger: ClinicLedger, url: string): Promise<void> {
  const ops = await devToken(url, 'ops', SEED.defaultSubject.ops);
  const deviceId = seedPatient(501);
  for (let n = 0; ledger.running; n++) {
    const batch = Array.from({ length: 10 }, (_, i) => ({
      deviceId,
      type: 'blood-pressure',
      measuredAt: nextMeasuredAt(),
      systolic: 118 + ((n + i) % 12),
      diastolic: 76 + ((n + i) % 8),
      unit: 'mmHg',
    }));
    const posted = await send(ledger, url, 'POST', '/monitoring/v1/readings/batch', ops, { readings: batch });
    if (posted) acceptReadings(ledger, posted.body);
    await sleep(200);
  }
}

function acceptReadings(ledger: ClinicLedger, body: { results?: { status: string; readingId?: string }[] }): void {
  const ids = (body.results ?? []).filter((r) => (r.status === 'accepted' || r.status === 'duplicate') && r.readingId).map((r) => r.readingId!);
  ledger.accept(
    'readings batch',
    ids.map((value) => ({ schema: 'monitoring', eventType: 'ReadingRecorded', field: 'event_id', value, count: 'exactly' as const })),
  );
}

/** A crisis reading of the seeded FL patient's cuff; the first of their care team acknowledges the alert, then resolves it. */
async function alerts(ledger: ClinicLedger, url: string): Promise<void> {
  const patient = SEED.patients.find((p) => p.rpm?.device.deviceId === seedPatient(502))!;
  const careProvider = patient.rpm!.careTeam[0]!;
  const ops = await devToken(url, 'ops', SEED.defaultSubject.ops);
  const provider = await devToken(url, 'provider', careProvider);
  while (ledger.running) {
    const crisis = { deviceId: patient.rpm!.device.deviceId, type: 'blood-pressure', measuredAt: nextMeasuredAt(), systolic: 186, diastolic: 118, unit: 'mmHg' };
    const posted = await send(ledger, url, 'POST', '/monitoring/v1/readings/batch', ops, { readings: [crisis] });
    if (!posted) continue;
    acceptReadings(ledger, posted.body);
    let alertId: string | undefined;
    for (let polls = 0; !alertId && polls < 240; polls++) {
      const open = await send(ledger, url, 'GET', `/monitoring/v1/patients/${patient.patientId}/alerts?status=open`, provider);
      alertId = (open?.body?.alerts as { alertId: string }[] | undefined)?.[0]?.alertId;
      if (!alertId) await sleep(250);
    }
    if (!alertId) continue;
    const on = (eventType: string): Expectation => ({ schema: 'monitoring', eventType, field: 'alertId', value: alertId, count: 'exactly' });
    if (await send(ledger, url, 'POST', `/monitoring/v1/alerts/${alertId}/acknowledge`, provider, undefined, `faults-ack-${alertId}`)) {
      ledger.accept('alert acknowledgement', [on('AlertAcknowledged')]);
    }
    if (await send(ledger, url, 'POST', `/monitoring/v1/alerts/${alertId}/resolve`, provider, undefined, `faults-resolve-${alertId}`)) {
      ledger.accept('alert resolution', [on('AlertResolved')]);
    }
    await sleep(200);
  }
}

/** Runs every client until `ledger.running` turns false; a client that fails otherwise ends the load with its error. */
export async function runClinicLoad(ledger: ClinicLedger, url: string): Promise<void> {
  const ny = SEED.patients[0]!;
  const co = SEED.patients.find((p) => p.state === 'CO')!;
  const nyProvider = SEED.providers.find((p) => p.licensedStates.includes('NY') && p.specialties.includes('family-medicine'))!;
  const coProvider = SEED.providers.find((p) => p.licensedStates.includes('CO') && p.specialties.includes('family-medicine') && p.modalities.includes('video'))!;
  const clients = [
    bookings(ledger, url, Number(ny.patientId.slice(-3)), ny.state, nyProvider.providerId, nyProvider.timeZone),
    bookings(ledger, url, Number(co.patientId.slice(-3)), co.state, coProvider.providerId, coProvider.timeZone),
    prescriptions(ledger, url),
    readings(ledger, url),
    alerts(ledger, url),
  ];
  await Promise.all(clients.map((client) => client.catch((error: unknown) => (error instanceof Stopped ? undefined : Promise.reject(error)))));
}
