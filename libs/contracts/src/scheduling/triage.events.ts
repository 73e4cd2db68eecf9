import { z } from 'zod';
import { defineIntegrationEvent } from '../integration-event';

export const EmergencyRedirected = defineIntegrationEvent({
  context: 'scheduling',
  name: 'EmergencyRedirected',
  version: 1,
  topic: 'carebridge.scheduling.triage.v1',
  schema: z.object({
    patientId: z.uuid(),
    providerId: z.uuid(),
    /** Codes of the red-flag rules that fired (rule ids of libs/clinical-reference, e.g. chest-pain, suicidal-or-self-harm). */
    redFlagCodes: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1),
    rulesSource: z.string().min(1),
  }),
  partitionKey: (d) => d.patientId,
  description: 'Intake found red-flag symptoms: no booking, the patient was told to call 911 or go to an emergency room.',
});
