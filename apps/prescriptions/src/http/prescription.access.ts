import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { accessNotFound } from '@carebridge/access-audit';
import { quoteIdent } from '@carebridge/event-store';
import type { AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import type { PrescriptionView } from '../prescription-view/prescription.views';
import { PG_POOL, SERVICE_SCHEMA } from './prescriptions.tokens';

export const notFound = () => new RuleViolation('PRESCRIPTION.NOT_FOUND', 'No such prescription', {}, 'not-found');

/**
 * Access control to prescriptions (ARCHITECTURE.md Security): a provider sees what they
 * prescribed, a patient their own, a pharmacy what was routed to it. Someone else gets a 404,
 * so ids cannot be probed. Every read is recorded by the access policy interceptor
 * (libs/access-audit) as an AccessRecorded event in the hash chain.
 */
@Injectable()
export class PrescriptionAccess {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
  ) {}

  async load(prescriptionId: string): Promise<PrescriptionView | undefined> {
    const { rows } = await this.pool.query<{ view: PrescriptionView }>(
      `SELECT view FROM ${quoteIdent(this.schema)}.prescription_view WHERE prescription_id = $1`,
      [prescriptionId],
    );
    return rows[0]?.view;
  }

  mayRead(actor: AuthenticatedActor, view: PrescriptionView): boolean {
    switch (actor.role) {
      case 'provider':
        return view.rx.prescriber.providerId === actor.id;
      case 'patient':
        return actor.patientId !== undefined && view.rx.patientId === actor.patientId;
      case 'pharmacy':
        return view.pharmacy !== null && view.pharmacy.pharmacyId === (actor.pharmacyId ?? actor.id);
      case 'payer':
      case 'ops':
        return false;
    }
  }

  /** The view when the actor may read it, else a 404 (the access policy interceptor records the read). */
  async read(actor: AuthenticatedActor, prescriptionId: string): Promise<PrescriptionView> {
    const view = await this.load(prescriptionId);
    if (!view || !this.mayRead(actor, view)) throw notFound();
    return view;
  }

  /**
   * Write routes (issue 14, finding 4): the prescription when the caller holds it for the route
   * (a provider: its prescriber of record; a patient: their own; a pharmacy: routed to it), else
   * the same 404 ACCESS.NOT_FOUND as an unknown id, before any rule runs, so that neither
   * existence nor state (the deciders' 403 and 409) reaches anyone else.
   */
  async requireHolder(actor: AuthenticatedActor, prescriptionId: string): Promise<PrescriptionView> {
    const view = await this.load(prescriptionId);
    if (!view || !this.mayRead(actor, view)) throw accessNotFound();
    return view;
  }

  async list(actor: AuthenticatedActor, filter: { patientId?: string | undefined }): Promise<PrescriptionView[]> {
    const table = `${quoteIdent(this.schema)}.prescription_view`;
    let where: string;
    let params: string[];
    switch (actor.role) {
      case 'patient':
        if (actor.patientId === undefined) return [];
        [where, params] = ['patient_id = $1', [actor.patientId]];
        break;
      case 'provider':
        [where, params] = filter.patientId ? ['prescriber_id = $1 AND patient_id = $2', [actor.id, filter.patientId]] : ['prescriber_id = $1', [actor.id]];
        break;
      case 'pharmacy':
        [where, params] = ['pharmacy_id = $1', [actor.pharmacyId ?? actor.id]];
        break;
      default:
        return [];
    }
    const { rows } = await this.pool.query<{ view: PrescriptionView }>(`SELECT view FROM ${table} WHERE ${where} ORDER BY updated_at DESC LIMIT 200`, params);
    return rows.map((r) => r.view);
  }

  /** Active prescriptions of a patient, for the duplicate-therapy and interaction checks. */
  async activeFor(patientId: string): Promise<{ prescriptionId: string; name: string; ingredientRxcuis: string[] }[]> {
    const { rows } = await this.pool.query<{ prescription_id: string; view: PrescriptionView; ingredient_rxcuis: string[] }>(
      `SELECT prescription_id, view, ingredient_rxcuis FROM ${quoteIdent(this.schema)}.prescription_view
        WHERE patient_id = $1 AND status IN ('signed', 'transmitted', 'dispensed', 'cancel-requested')`,
      [patientId],
    );
    return rows.map((r) => ({ prescriptionId: r.prescription_id, name: r.view.rx.medication.name, ingredientRxcuis: r.ingredient_rxcuis }));
  }
}
