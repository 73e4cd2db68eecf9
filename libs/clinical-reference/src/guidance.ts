/**
 * What the patient is told with each disposition, in English and Spanish. The crisis wording
 * follows the 988 Lifeline's own (sources.ts `lifeline988`: call or text 988, chat at
 * 988lifeline.org, 24/7; 911 in immediate danger).
 */
export type Language = 'en' | 'es';

export interface Guidance {
  readonly en: string;
  readonly es: string;
}

export const EMERGENCY_GUIDANCE: Guidance = {
  en: 'Your symptoms need emergency care. Call 911 now or go to the nearest emergency room. Do not wait for a virtual visit.',
  es: 'Sus síntomas necesitan atención de emergencia. Llame al 911 ahora o vaya a la sala de emergencias más cercana. No espere una visita virtual.',
};

export const CRISIS_GUIDANCE: Guidance = {
  en:
    'You deserve support right now. Call or text 988 (Suicide & Crisis Lifeline, 24 hours a day, in English and Spanish) or chat at 988lifeline.org. ' +
    'If you are in immediate danger or have hurt yourself, call 911 now.',
  es:
    'Usted merece apoyo ahora mismo. Llame o envíe un mensaje de texto al 988 (Línea de Prevención del Suicidio y Crisis, las 24 horas, en español e inglés) o chatee en 988lifeline.org. ' +
    'Si está en peligro inmediato o se ha hecho daño, llame al 911 ahora.',
};

export const IN_PERSON_GUIDANCE: Guidance = {
  en: 'What you describe needs a physical examination: please book an in-person appointment instead of a video or phone visit.',
  es: 'Lo que describe necesita un examen físico: reserve una cita en persona en lugar de una visita por video o teléfono.',
};

export const REVIEW_GUIDANCE: Guidance = {
  en:
    'A nurse or provider will review what you wrote before your visit. If your symptoms get worse or you think it is an emergency, ' +
    'call 911 or go to the nearest emergency room. If you are thinking about harming yourself, call or text 988.',
  es:
    'Una enfermera o un proveedor revisará lo que escribió antes de su visita. Si sus síntomas empeoran o cree que es una emergencia, ' +
    'llame al 911 o vaya a la sala de emergencias más cercana. Si está pensando en hacerse daño, llame o envíe un mensaje de texto al 988.',
};
