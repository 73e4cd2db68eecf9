/**
 * The access log of a patient's contact (stream `patient-contact-<patientId>`): who changed, erased
 * or read it, and why (actor and purpose in the metadata). Never the address or the number: those
 * live only in the erasable contacts table.
 */
export type PatientContactChanged = {
  readonly type: 'PatientContactChanged';
  readonly data: {
    readonly patientId: string;
    readonly channels: readonly ('sms' | 'email')[];
    readonly hasEmail: boolean;
    readonly hasPhone: boolean;
  };
};

export type PatientContactErased = {
  readonly type: 'PatientContactErased';
  readonly data: { readonly patientId: string };
};

export type PatientContactRead = {
  readonly type: 'PatientContactRead';
  readonly data: { readonly patientId: string; readonly purpose: string };
};

export type PatientContactEvent = PatientContactChanged | PatientContactErased | PatientContactRead;
