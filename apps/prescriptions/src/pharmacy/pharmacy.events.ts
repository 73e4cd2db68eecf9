/** Events of a `pharmacy-<ncpdpId>` stream: one pharmacy of the directory. */

/** Opening hours per ISO weekday (1 = Monday), local time `HH:MM`; an absent day is closed. */
export type OpeningHours = Readonly<Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { readonly opens: string; readonly closes: string }>>>;

export interface PharmacyDetails {
  readonly name: string;
  readonly address: { readonly line: readonly string[]; readonly city: string; readonly state: string; readonly postalCode: string };
  readonly phone: string | null;
  readonly hours: OpeningHours;
  readonly acceptsEPrescribing: boolean;
  /** NCPDP SCRIPT versions the pharmacy's system accepts; absent on listings recorded before it was asked (none known). */
  readonly scriptVersions?: readonly ('2017071' | '2023011')[];
}

export interface PharmacyRegisteredData extends PharmacyDetails {
  /** The pharmacy organisation's id at the identity provider (its users' `pharmacy_id` claim). */
  readonly pharmacyId: string;
  /** NCPDP Provider ID (7 digits): the key of the pharmacy topic. */
  readonly ncpdpId: string;
  readonly npi: string;
}

export type PharmacyEvent =
  | { readonly type: 'PharmacyRegistered'; readonly data: PharmacyRegisteredData }
  | { readonly type: 'PharmacyDetailsChanged'; readonly data: PharmacyDetails & { readonly ncpdpId: string } };
