/**
 * What the tour's steps hand on to later steps: the new patient's ids, the provider's hours and the
 * slots picked, the booking, the visit, the prescription, the device. Every run is a new patient
 * (fresh ids); providers and pharmacies are the seeded ones.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { SEED, type SeedPharmacy, type SeedProvider } from '../embedded/seed';
import { call } from './tour-client';

const STATE_ZONES: Record<string, string> = { NY: 'America/New_York', TX: 'America/Chicago', CO: 'America/Denver', HI: 'Pacific/Honolulu' };
export const short = (id: string) => id.slice(0, 8);

export interface Plan {
  provider: SeedProvider;
  patientState: string;
  patientZone: string;
  pharmacy: SeedPharmacy;
}

/** The plan once the provider has opened the tour's hour: the two slots the story uses. */
export interface OpenedHours extends Plan {
  providerToken: string;
  opening: DateTime;
  visitSlot: string;
  earlySlot: string;
}

export type FreeSlot = { providerId: string; start: string; startUtc: string };

export class TourState {
  readonly patientId = randomUUID();
  readonly runKey = randomUUID().slice(0, 8);
  readonly deviceId = randomUUID();
  /** Every id of this run's story: the audit-trail step looks for events that mention them. */
  readonly ids: Record<string, string> = { patientId: this.patientId, deviceId: this.deviceId };
  // Filled by the steps in order (tour.ts lists them); a later step reads what an earlier one set.
  services!: Set<string>;
  plan!: OpenedHours;
  chosen!: { visit: FreeSlot; early: FreeSlot };
  appointment!: { appointmentId: string; start: string; end: string };
  visitId!: string;
  prescriptionId!: string;
  deviceKey: string | undefined;
  alertId!: string;

  /** Idempotency keys unique to this run. */
  key(what: string): string {
    return `tour-${this.runKey}-${what}`;
  }

  visitRoute(suffix = ''): string {
    return `/visits/v1/visits/${this.visitId}${suffix}`;
  }
}

/** Seeded family-medicine video providers whose 15-minute grid can hold the tour's hour today, each with a patient state and a pharmacy there. */
export function candidates(): Plan[] {
  return SEED.providers.flatMap((provider) => {
    if (!provider.specialties.includes('family-medicine') || !provider.modalities.includes('video') || provider.slotMinutes !== 15) return [];
    const patientState = provider.licensedStates.find((s) => STATE_ZONES[s] && SEED.pharmacies.some((p) => p.address.state === s));
    if (!patientState) return [];
    return [{ provider, patientState, patientZone: STATE_ZONES[patientState]!, pharmacy: SEED.pharmacies.find((p) => p.address.state === patientState)! }];
  });
}

/** Free family-medicine video slots today and tomorrow (in the patient's zone) for a patient in `state`, all pages. */
export async function freeSlots(bearer: string, state: string, zone: string): Promise<FreeSlot[]> {
  const today = DateTime.now().setZone(zone);
  const found: FreeSlot[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({
      specialty: 'family-medicine',
      modality: 'video',
      patientState: state,
      from: today.toISODate()!,
      to: today.plus({ days: 1 }).toISODate()!,
      timeZone: zone,
      pageSize: '100',
      ...(pageToken && { pageToken }),
    });
    const page = await call<{ slots: FreeSlot[]; nextPageToken?: string }>('GET', `/scheduling/v1/slots?${query}`, { token: bearer });
    found.push(...page.body.slots);
    pageToken = page.body.nextPageToken;
  } while (pageToken && ++pages < 10);
  return found;
}
