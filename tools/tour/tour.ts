/**
 * npm run tour [-- --url http://127.0.0.1:3000] [--database-url postgres://...]
 *
 * A scripted end-to-end story against a RUNNING platform (`npm start`): a patient finds a slot,
 * is turned away by triage for a typed emergency, books a video visit with intake and a photo, eligibility answers the booking, a reminder fires, the patient
 * checks in, the provider admits, records vitals, prescribes; the pharmacy receives the NewRx and
 * fills it; an RPM cuff posts a crisis reading, an alert is raised and acknowledged; then the
 * patient's audit trail is printed from every service's event store and verified like
 * `npm run audit:verify`. Each step prints what it did and the answer it got; the first failing
 * step ends the tour with exit code 1. Cross-service steps wait for the event with a bounded poll.
 *
 * The story is the list TOUR below: each step is in steps/ (by part of the story), the runner in
 * tour-runner.ts, what steps hand on in tour-state.ts, HTTP and the event stores in tour-client.ts.
 * Every run is a new patient (fresh ids); providers and pharmacies are the seeded ones.
 * URL and database from the flags, else tmp/dev-tokens.json (written by `npm start`).
 */
import { patientRecordsCoverage, patientSearchesSlots, platformIsUp, providerOpensExtraHours } from './steps/arrival.steps';
import { auditTrail, auditTrailVerifies } from './steps/audit.steps';
import {
  eligibilityAnswersBooking,
  patientAttachesPhoto,
  patientBooks,
  patientReschedules,
  reminderFires,
  triageRedirectsEmergency,
} from './steps/booking.steps';
import { crisisReadingAndAlert, remoteMonitoringEnrolment } from './steps/monitoring.steps';
import { pharmacyFills, pharmacyReceivesNewRx, providerSignsPrescription } from './steps/prescription.steps';
import { patientChecksIn, providerAdmits, providerCompletesVisit, providerRecordsFindings } from './steps/visit.steps';
import { baseUrl, closeDatabase, databaseUrl, WAIT_MS } from './tour-client';
import { bold, dim, elapsed, green, print, red, seconds } from './tour-output';
import { runTour, type TourItem } from './tour-runner';
import { TourState } from './tour-state';

const TOUR: readonly TourItem[] = [
  platformIsUp,
  providerOpensExtraHours,
  patientRecordsCoverage,
  patientSearchesSlots,
  triageRedirectsEmergency,
  patientBooks,
  patientAttachesPhoto,
  eligibilityAnswersBooking,
  reminderFires,
  patientReschedules,
  patientChecksIn,
  providerAdmits,
  providerRecordsFindings,
  remoteMonitoringEnrolment,
  providerCompletesVisit,
  providerSignsPrescription,
  pharmacyReceivesNewRx,
  pharmacyFills,
  crisisReadingAndAlert,
  auditTrail,
  auditTrailVerifies,
];

async function main(): Promise<void> {
  print(bold(`Carebridge guided tour — ${baseUrl}`));
  print(dim(`database ${databaseUrl ? databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@') : '(none)'}; every cross-service wait is bounded at ${seconds(WAIT_MS)}`));
  print();
  const state = new TourState();
  const steps = await runTour(TOUR, state);
  print();
  print(green(bold(`Tour passed: ${steps} steps in ${elapsed()}.`)) + dim(` patient ${state.patientId}, visit ${state.visitId}`));
}

main()
  .catch((error) => {
    print(red(`Tour failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    process.exitCode = 1;
  })
  .finally(() => void closeDatabase());
