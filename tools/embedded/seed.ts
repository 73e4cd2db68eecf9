/** Seed data for a small clinic (filled in below). */
export const SEED = {
  defaultSubject: {
    patient: '7c1e2a40-0000-4000-8000-000000000001',
    provider: '7c1e2a40-0000-4000-8000-000000000101',
    pharmacy: '7c1e2a40-0000-4000-8000-000000000201',
    payer: '7c1e2a40-0000-4000-8000-000000000301',
    ops: '7c1e2a40-0000-4000-8000-000000000401',
  } as Record<'patient' | 'provider' | 'pharmacy' | 'payer' | 'ops', string>,
};

export interface SeedTokens {
  provider(id: string): Promise<string>;
  patient(id: string): Promise<string>;
  pharmacy(id: string): Promise<string>;
  ops(): Promise<string>;
  payer(): Promise<string>;
}

export async function seedClinic(_url: string, _tokens: SeedTokens, _say: (m: string) => void): Promise<string> {
  return 'none yet';
}
