import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DevTokenIssuer } from '@carebridge/platform';
import type { TestSchema } from '@carebridge/testing';
import { RULE_DATA_DIR } from '../src/rules/rule-set.loader';
import { startBillingApp } from './billing-app.fixtures';

let db: TestSchema;
let app: NestExpressApplication;
let issuer: DevTokenIssuer;
const patientId = randomUUID();
const providerId = randomUUID();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ({ db, app, issuer } = await startBillingApp('billing_eligibility_rules'));
  tokens.patient = await issuer.mint({ sub: patientId, role: 'patient', patientId });
  tokens.provider = await issuer.mint({ sub: providerId, role: 'provider', providerId });
  tokens.ops = await issuer.mint({ sub: randomUUID(), role: 'ops' });
  await http()
    .post(`/v1/patients/${patientId}/coverages`)
    .set('authorization', `Bearer ${tokens.patient}`)
    .set('idempotency-key', 'medicare')
    .send({ payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK72', effectiveFrom: '2026-01-01', order: 'primary' })
    .expect(201);
});

afterAll(async () => {
  await app?.close();
  await db?.dispose();
});

const http = () => request(app.getHttpServer());
const shipped = JSON.parse(readFileSync(path.join(RULE_DATA_DIR, 'medicare.2026-12.json'), 'utf8')) as { rules: Record<string, unknown>[] } & Record<string, unknown>;

/** A new Medicare version, published 2026-12-20, in which the flexibilities end on 2027-06-30. */
function shorterFlexibilities(): Record<string, unknown> {
  const rules = shipped.rules.map((rule) => {
    if (rule.id === 'medicare.originating-site.flexibilities-through-2027') return { ...rule, id: 'medicare.originating-site.flexibilities-to-2027-06', effectiveTo: '2027-06-30' };
    if (rule.id === 'medicare.originating-site.permanent-from-2028') return { ...rule, id: 'medicare.originating-site.permanent-from-2027-07', effectiveFrom: '2027-07-01' };
    return rule;
  });
  return { ...shipped, version: '2026.12.2', publishedAt: '2026-12-20', rules };
}

async function check(dateOfService: string, asOf: string, key = randomUUID()) {
  const response = await http()
    .post('/v1/eligibility-checks')
    .set('authorization', `Bearer ${tokens.provider}`)
    .set('idempotency-key', key)
    .send({
      patientId,
      serviceCodes: ['99213'],
      modality: 'video',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
      dateOfService,
      asOf,
    })
    .expect(201);
  return response.body.determination as { outcome: string; ruleSets: { ruleSetId: string; version: string }[] };
}

const activate = (ruleSet: Record<string, unknown>, key = randomUUID()) =>
  http()
    .post('/v1/rules/rule-sets')
    .set('authorization', `Bearer ${tokens.ops}`)
    .set('idempotency-key', key)
    .send({ ruleSet, signOff: { reviewedBy: 'A. Reviewer, billing compliance', statement: 'Checked each changed rule against its cited source' } });

describe('rule sets loaded at run time', () => {
  it('answers change from the new set\'s effective date once it is activated, and past answers stay reproducible', async () => {
    expect((await check('2027-07-01', '2026-12-20')).outcome).toBe('covered');

    const activated = await activate(shorterFlexibilities()).expect(201);
    expect(activated.body).toMatchObject({ ruleSetId: 'medicare', version: '2026.12.2', activated: true });

    const before = await check('2027-06-30', '2026-12-20');
    const from = await check('2027-07-01', '2026-12-20');
    expect([before.outcome, from.outcome]).toEqual(['covered', 'not-covered']);
    expect(from.ruleSets).toContainEqual({ ruleSetId: 'medicare', version: '2026.12.2' });
    // What was known before its publication is still answered the old way.
    expect((await check('2027-07-01', '2026-12-19')).outcome).toBe('covered');

    const listed = await http().get('/v1/rules/rule-sets').set('authorization', `Bearer ${tokens.ops}`).expect(200);
    expect(listed.body.ruleSets).toContainEqual(expect.objectContaining({ ruleSetId: 'medicare', version: '2026.12.2', origin: 'store:rule-sets@1', signedOff: expect.objectContaining({ statement: 'Checked each changed rule against its cited source' }) }));
  });

  it('refuses a set that fails validation (a gap in a rule\'s dates), naming it, and stores nothing', async () => {
    const broken = shorterFlexibilities();
    const rules = (broken.rules as Record<string, unknown>[]).map((r) => (r.id === 'medicare.originating-site.permanent-from-2027-07' ? { ...r, effectiveFrom: '2027-07-02' } : r));
    const response = await activate({ ...broken, version: '2026.12.3', rules }).expect(422);
    expect(response.body).toMatchObject({ code: 'RULES.INVALID' });
    expect(response.body.detail).toMatch(/medicare.originating-site: gap in effective dates/);
  });

  it('refuses reusing a version for other rules, and a retry of the same activation adds nothing', async () => {
    expect((await activate({ ...shorterFlexibilities(), publishedAt: '2026-12-21' }).expect(409)).body.code).toBe('RULES.VERSION_TAKEN');
    expect((await activate(shorterFlexibilities()).expect(201)).body.activated).toBe(false);
  });

  it('only ops may activate rules', async () => {
    await http().post('/v1/rules/rule-sets').set('authorization', `Bearer ${tokens.provider}`).set('idempotency-key', 'x').send({}).expect(403);
  });

  it('GET /v1/rules/horizon lists a set ending within 120 days with no successor', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const policy = shipped.rules.find((r) => r.kind === 'medicare-policy')!;
    const shortLived = {
      ruleSetId: 'pilot-policy',
      version: '1',
      publishedAt: today,
      coversFrom: '2026-01-01',
      coversTo: end,
      rules: [{ ...policy, id: 'pilot.policy', key: 'pilot.policy', effectiveFrom: '2026-01-01', effectiveTo: end }],
    };
    await activate(shortLived).expect(201);
    const horizon = await http().get('/v1/rules/horizon').set('authorization', `Bearer ${tokens.ops}`).expect(200);
    expect(horizon.body).toMatchObject({ today, windowDays: 120 });
    expect(horizon.body.endingWithoutSuccessor).toContainEqual(expect.objectContaining({ ruleSetId: 'pilot-policy', version: '1', endsOn: end, daysLeft: 30 }));
    expect(horizon.body.endingWithoutSuccessor.map((i: { ruleSetId: string }) => i.ruleSetId)).not.toContain('medicare');
  });
});
