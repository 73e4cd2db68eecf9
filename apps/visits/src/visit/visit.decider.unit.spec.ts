import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import {
  CheckInNotOpenError,
  InPersonExamRequiredError,
  ProviderNotLicensedError,
  VideoOutageTooShortError,
  VisitStateConflictError,
  VitalsOutOfRangeError,
  visitDecider,
} from './visit.decider';
import type { VisitEvent } from './visit.events';

const spec = DeciderSpecification.for(visitDecider);
const at = (iso: string): CommandMetadata => ({ now: new Date(iso), actor: { id: 'u1', role: 'provider' }, correlationId: 'c1' });
const PATIENT = '11111111-1111-4111-8111-111111111111';
const PROVIDER = '22222222-2222-4222-8222-222222222222';
const VISIT = '33333333-3333-4333-8333-333333333333';
const policy = { checkInOpensMinutesBefore: 30 };

const opened: VisitEvent = {
  type: 'VisitOpened',
  data: {
    visitId: VISIT,
    kind: 'scheduled',
    patientId: PATIENT,
    providerId: PROVIDER,
    modality: 'video',
    patientState: 'NY',
    scheduledStart: '2026-03-02T15:00:00.000Z',
    scheduledEnd: '2026-03-02T15:30:00.000Z',
    openedAt: '2026-03-01T10:00:00.000Z',
  },
};
const device = { camera: true, microphone: true, bandwidthKbps: 1200 };
const checkedIn: VisitEvent = {
  type: 'PatientCheckedIn',
  data: { patientId: PATIENT, locationState: 'NY', device, videoProblems: [], at: '2026-03-02T14:50:00.000Z' },
};
const licence = { state: 'NY', number: 'NY-123', expiresOn: '2026-12-31' };
const admitted: VisitEvent = {
  type: 'PatientAdmitted',
  data: { providerId: PROVIDER, patientId: PATIENT, locationState: 'NY', licence, waitedSeconds: 600, at: '2026-03-02T15:00:00.000Z' },
};

describe('visit decider', () => {
  describe('when scheduled', () => {
    it('checks the patient in from 30 minutes before the start, recording location and device check', () => {
      spec.given([opened]).when({ type: 'CheckIn', data: { locationState: 'NY', device, policy }, metadata: at('2026-03-02T14:50:00.000Z') }).then([checkedIn]);
    });

    it('refuses check-in earlier than the window', () => {
      spec.given([opened]).when({ type: 'CheckIn', data: { locationState: 'NY', device, policy }, metadata: at('2026-03-02T14:00:00.000Z') }).thenThrows(CheckInNotOpenError);
    });

    it("refuses check-in after the late-arrival limit (scheduling's no-show grace), not before", () => {
      const late = { ...policy, checkInClosesMinutesAfterStart: 10 };
      spec.given([opened]).when({ type: 'CheckIn', data: { locationState: 'NY', device, policy: late }, metadata: at('2026-03-02T15:10:00.000Z') }).then([
        { ...checkedIn, data: { ...checkedIn.data, at: '2026-03-02T15:10:00.000Z' } },
      ]);
      spec
        .given([opened])
        .when({ type: 'CheckIn', data: { locationState: 'NY', device, policy: late }, metadata: at('2026-03-02T15:12:00.000Z') })
        .thenThrows(CheckInNotOpenError);
    });

    it('records a failed device check rather than refusing the patient', () => {
      const [event] = visitDecider.decide(
        { type: 'CheckIn', data: { locationState: 'NY', device: { camera: false, microphone: true, bandwidthKbps: 100 }, policy }, metadata: at('2026-03-02T14:50:00.000Z') },
        [opened].reduce(visitDecider.evolve, visitDecider.initialState()),
      ) as VisitEvent[];
      expect(event).toMatchObject({ type: 'PatientCheckedIn', data: { videoProblems: ['no-camera', 'low-bandwidth'] } });
    });

    it('opening it again from the same booking changes nothing', () => {
      spec.given([opened]).when({ type: 'OpenVisit', data: opened.data, metadata: at('2026-03-01T10:00:01.000Z') }).thenNothingHappens();
    });

    it('admitting before check-in is a conflict naming the current state', () => {
      spec
        .given([opened])
        .when({ type: 'AdmitPatient', data: { providerId: PROVIDER, licences: [licence] }, metadata: at('2026-03-02T15:00:00.000Z') })
        .thenThrows(VisitStateConflictError, (error) => expect(error.message).toMatch(/is scheduled/));
    });
  });

  describe('when waiting', () => {
    it('admits with a licence valid in the state the patient confirmed', () => {
      spec.given([opened, checkedIn]).when({ type: 'AdmitPatient', data: { providerId: PROVIDER, licences: [licence] }, metadata: at('2026-03-02T15:00:00.000Z') }).then([admitted]);
    });

    it('refuses an expired licence, checked again at the start', () => {
      spec
        .given([opened, checkedIn])
        .when({ type: 'AdmitPatient', data: { providerId: PROVIDER, licences: [{ ...licence, expiresOn: '2026-03-01' }] }, metadata: at('2026-03-02T15:00:00.000Z') })
        .thenThrows(ProviderNotLicensedError);
    });

    it('refuses when the patient is in a state the provider is not licensed in', () => {
      const inNj: VisitEvent = { type: 'PatientCheckedIn', data: { ...(checkedIn.data as object), locationState: 'NJ' } as never };
      spec.given([opened, inNj]).when({ type: 'AdmitPatient', data: { providerId: PROVIDER, licences: [licence] }, metadata: at('2026-03-02T15:00:00.000Z') }).thenThrows(ProviderNotLicensedError);
    });

    it('lets the patient leave before being seen', () => {
      spec.given([opened, checkedIn]).when({ type: 'LeaveWaitingRoom', data: {}, metadata: at('2026-03-02T15:10:00.000Z') }).then([
        { type: 'PatientLeftBeforeSeen', data: { waitedSeconds: 1200, at: '2026-03-02T15:10:00.000Z' } },
      ]);
    });
  });

  describe('when in progress', () => {
    const given = [opened, checkedIn, admitted];

    it('refuses implausible vitals, naming the field and the range', () => {
      spec
        .given(given)
        .when({
          type: 'RecordVitals',
          data: { vitalsId: 'v1', measuredAt: '2026-03-02T15:05:00.000Z', recordedBy: 'patient', vitals: { temperature: { value: 52, unit: 'Cel' } } },
          metadata: at('2026-03-02T15:05:00.000Z'),
        })
        .thenThrows(VitalsOutOfRangeError, (error) => expect(error.message).toBe('temperature 52 Cel is outside the plausible range 30-45 Cel'));
    });

    it('switches to phone only after video has been lost for the configured time', () => {
      const lost: VisitEvent = { type: 'ParticipantDisconnected', data: { participantId: PATIENT, role: 'patient', at: '2026-03-02T15:10:00.000Z' } };
      const command = (now: string) => ({ type: 'SwitchModality' as const, data: { to: 'phone' as const, reason: 'no-video' as const, policy: { noVideoSwitchAfterSeconds: 60 } }, metadata: at(now) });
      spec.given([...given, lost]).when(command('2026-03-02T15:10:30.000Z')).thenThrows(VideoOutageTooShortError);
      spec.given([...given, lost]).when(command('2026-03-02T15:11:00.000Z')).then([
        { type: 'ModalitySwitched', data: { from: 'video', to: 'phone', reason: 'no-video', at: '2026-03-02T15:11:00.000Z' } },
      ]);
    });

    it('escalates to emergency care when reviewed symptoms include a red flag', () => {
      const events = visitDecider.decide(
        { type: 'ReviewSymptoms', data: { providerId: PROVIDER, symptoms: ['cough', 'chest-pain'], history: '' }, metadata: at('2026-03-02T15:05:00.000Z') },
        given.reduce(visitDecider.evolve, visitDecider.initialState()),
      ) as VisitEvent[];
      expect(events.map((e) => e.type)).toEqual(['SymptomsReviewed', 'EmergencyEscalated', 'VisitCompleted']);
      expect(events[2]!.data).toMatchObject({ disposition: 'emergency-referral' });
    });

    it('an abdominal complaint always ends with an in-person follow-up', () => {
      const abdominal: VisitEvent = { type: 'SymptomsReviewed', data: { symptoms: ['abdominal-pain'], history: '' } };
      spec
        .given([...given, abdominal])
        .when({ type: 'CompleteVisit', data: { providerId: PROVIDER, disposition: 'resolved', prescriptions: [], instructions: 'Rest' }, metadata: at('2026-03-02T15:20:00.000Z') })
        .thenThrows(InPersonExamRequiredError);
    });

    it('completes with a follow-up request due within the given days', () => {
      const events = visitDecider.decide(
        {
          type: 'CompleteVisit',
          data: { providerId: PROVIDER, disposition: 'in-person-follow-up', followUp: { followUpId: 'f1', reasonCode: 'abdominal-exam', withinDays: 7 }, prescriptions: [], instructions: 'See you in clinic' },
          metadata: at('2026-03-02T15:20:00.000Z'),
        },
        given.reduce(visitDecider.evolve, visitDecider.initialState()),
      ) as VisitEvent[];
      expect(events.map((e) => e.type)).toEqual(['FollowUpRequested', 'VisitCompleted']);
      expect(events[0]!.data).toEqual({ followUpId: 'f1', patientId: PATIENT, providerId: PROVIDER, reasonCode: 'abdominal-exam', patientState: 'NY', dueBy: '2026-03-09T15:20:00.000Z' });
    });
  });

  describe('when ended', () => {
    it('refuses a room token, naming the state', () => {
      const ended: VisitEvent = {
        type: 'VisitCompleted',
        data: { patientId: PATIENT, providerId: PROVIDER, modality: 'video', diagnosisCodes: [], prescriptionIntents: 0, disposition: 'resolved', instructions: 'x', at: '2026-03-02T15:20:00.000Z' },
      };
      spec
        .given([opened, checkedIn, admitted, ended])
        .when({ type: 'IssueRoomToken', data: { participantId: PATIENT, expiresAt: '2026-03-02T15:30:00.000Z' }, metadata: at('2026-03-02T15:25:00.000Z') })
        .thenThrows(VisitStateConflictError, (error) => expect(error.message).toMatch(/^The visit is ended/));
    });
  });

  describe('the clinical reference during the visit (issue 15)', () => {
    const inProgress = [opened, checkedIn, admitted];
    const state = (events: readonly VisitEvent[]) => events.reduce(visitDecider.evolve, visitDecider.initialState());

    it("reads the provider's written history too: a slurred speech note escalates, negated red flags do not", () => {
      const review = (history: string): readonly VisitEvent[] =>
        <readonly VisitEvent[]>visitDecider.decide({ type: 'ReviewSymptoms', data: { providerId: PROVIDER, symptoms: ['headache'], history }, metadata: at('2026-03-02T15:05:00.000Z') }, state(inProgress));
      expect(review('Since this morning her speech is slurred').map((e) => e.type)).toEqual(['SymptomsReviewed', 'EmergencyEscalated', 'VisitCompleted']);
      const calm = review('Denies chest pain, no shortness of breath. Hx of seizure as a child.');
      expect(calm.map((e) => e.type)).toEqual(['SymptomsReviewed']);
      expect(calm[0]!.data).toMatchObject({ triage: { disposition: 'virtual-ok' } });
    });

    const asyncOpened: VisitEvent = { type: 'VisitOpened', data: { visitId: VISIT, kind: 'asynchronous', patientId: PATIENT, providerId: PROVIDER, modality: 'asynchronous', patientState: 'NY', openedAt: '2026-03-01T10:00:00.000Z' } };
    const asyncWaiting = [asyncOpened, { ...checkedIn, data: { ...checkedIn.data, at: '2026-03-01T10:00:00.000Z' } } as VisitEvent];
    const byPatient: CommandMetadata = { now: new Date('2026-03-01T10:05:00.000Z'), actor: { id: PATIENT, role: 'patient' }, correlationId: 'c2' };
    const message = (text: string): readonly VisitEvent[] =>
      <readonly VisitEvent[]>visitDecider.decide({ type: 'PostSecureMessage', data: { messageId: 'm1', author: { id: PATIENT, role: 'patient' }, text, attachments: [] }, metadata: byPatient }, state(asyncWaiting));

    it("a patient's message in an asynchronous visit that says crisis ends the visit with 988 and 911", () => {
      const events = message('honestly I just want to kill myself');
      expect(events.map((e) => e.type)).toEqual(['SecureMessagePosted', 'EmergencyEscalated', 'VisitCompleted']);
      expect((events[1]!.data as { instruction: string }).instruction).toMatch(/988/);
    });

    it('abdominal pain in a message means the visit must end with an in-person follow-up', () => {
      const posted = message('my belly has hurt for two days');
      expect(posted[0]!.data).toMatchObject({ triage: { disposition: 'in-person', rules: ['abdominal-pain'] } });
      spec
        .given([...asyncWaiting, ...posted, { ...admitted, data: { ...admitted.data, at: '2026-03-01T11:00:00.000Z' } }])
        .when({ type: 'CompleteVisit', data: { providerId: PROVIDER, disposition: 'resolved', prescriptions: [], instructions: 'rest' }, metadata: at('2026-03-01T11:10:00.000Z') })
        .thenThrows(InPersonExamRequiredError);
    });

    it('words it cannot place are kept flagged for review; a live visit message is not triaged', () => {
      expect(message('it hurts all the time')[0]!.data).toMatchObject({ triage: { disposition: 'needs-review' } });
      const live = <readonly VisitEvent[]>visitDecider.decide(
        { type: 'PostSecureMessage', data: { messageId: 'm2', author: { id: PATIENT, role: 'patient' }, text: 'chest pain', attachments: [] }, metadata: at('2026-03-02T15:05:00.000Z') },
        state(inProgress),
      );
      expect(live.map((e) => e.type)).toEqual(['SecureMessagePosted']);
    });
  });
});
