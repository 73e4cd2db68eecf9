import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata } from '../scheduling.http-support';
import { timeZone } from '../provider/provider.schemas';
import { CLOCK, EVENT_STORE, PATIENT_CONTACTS } from '../scheduling.tokens';
import { type PatientContactCommand, patientContactDecider, patientContactStreamId } from './patient-contact.decider';
import type { PatientContacts } from './patient-contact.port';

export const patientContactBody = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number, e.g. +12125550100').optional(),
    /** The channels the patient accepts (empty: no reminders). */
    channels: z.array(z.enum(['email', 'sms'])).max(2),
    timeZone: timeZone.optional(),
  })
  .refine((c) => !c.channels.includes('email') || c.email !== undefined, { path: ['email'], message: 'Required when email is a channel' })
  .refine((c) => !c.channels.includes('sms') || c.phone !== undefined, { path: ['phone'], message: 'Required when sms is a channel' })
  .refine((c) => new Set(c.channels).size === c.channels.length, { path: ['channels'], message: 'must not repeat a channel' });

// HIPAA purposes of use (45 CFR 164.506), as for intake reads; a patient reading their own states patient-access.
export const contactReadQuery = z.strictObject({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

export class ContactNotFoundError extends DomainError {
  readonly code = 'PATIENT_CONTACT.NOT_FOUND';
  override readonly kind = 'not-found';
}

/** The patient's e-mail, phone and notification preferences (reminders, no-show and waitlist messages). */
@Controller('v1/patients/:patientId/contact')
export class PatientContactController {
  constructor(
    @Inject(PATIENT_CONTACTS) private readonly contacts: PatientContacts,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put()
  @Roles('patient', 'ops')
  async save(@Param('patientId', ParseUUIDPipe) patientId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const data = parseBody(patientContactBody, body);
    assertMayActFor(actor, { patientId });
    // Accounted first (who, when, why; no address), then stored.
    await this.account(actor, 'operations', {
      type: 'RecordContactChange',
      data: { patientId, channels: data.channels, hasEmail: data.email !== undefined, hasPhone: data.phone !== undefined },
    });
    await this.contacts.save({ patientId, ...data }, actor.id);
    return { patientId, ...data };
  }

  @Get()
  @Roles('patient', 'ops')
  async get(@Param('patientId', ParseUUIDPipe) patientId: string, @Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const { purpose } = parseBody(contactReadQuery, query, 'query');
    assertMayActFor(actor, { patientId });
    await this.account(actor, purpose, { type: 'RecordContactRead', data: { patientId, purpose } });
    const contact = await this.contacts.contactOf(patientId);
    if (contact === undefined) throw new ContactNotFoundError(`No contact recorded for patient ${patientId}`);
    return contact;
  }

  @Delete()
  @HttpCode(204)
  @Roles('patient', 'ops')
  async erase(@Param('patientId', ParseUUIDPipe) patientId: string, @CurrentActor() actor: AuthenticatedActor) {
    assertMayActFor(actor, { patientId });
    await this.account(actor, 'operations', { type: 'RecordContactErasure', data: { patientId } });
    await this.contacts.erase(patientId);
  }

  private async account(actor: AuthenticatedActor, purpose: string, command: Omit<PatientContactCommand, 'metadata'>): Promise<void> {
    const patientId = command.data.patientId;
    await handle(this.store, patientContactStreamId(patientId), patientContactDecider, {
      ...command,
      metadata: commandMetadata(actor, this.clock.now(), { purpose }),
    } as PatientContactCommand);
  }
}
