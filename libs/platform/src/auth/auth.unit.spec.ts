import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Controller, Get } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from '../test-support';
import type { AuthenticatedActor } from './actor';
import { AuthModule } from './auth.module';
import { CurrentActor, Public, Roles } from './decorators';
import { DevTokenIssuer } from './dev-token-issuer';
import { JwtVerifier } from './jwt-verifier';

@Controller('prescriptions')
@Roles('provider', 'ops')
class PrescriptionsController {
  @Get()
  list(@CurrentActor() actor: AuthenticatedActor) {
    return actor;
  }

  @Get('mine')
  @Roles('patient')
  mine(@CurrentActor() actor: AuthenticatedActor) {
    return { patientId: actor.patientId };
  }
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status() {
    return { status: 'ok' };
  }
}

describe('JwtAuthGuard', () => {
  let issuer: DevTokenIssuer;
  let app: NestExpressApplication;
  const providerId = '5a1c9a8e-6c1e-4a55-9c53-8e3c1b2d7f01';

  beforeAll(async () => {
    issuer = await DevTokenIssuer.create({ issuer: 'https://id.test/', audience: 'carebridge-api' });
    app = await startTestApp({
      imports: [AuthModule.register(issuer.authOptions())],
      controllers: [PrescriptionsController, StatusController],
    });
  });
  afterAll(() => app.close());

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('authorization', `Bearer ${token}`);
  };

  it('lets a valid token of an allowed role through and exposes the verified actor', async () => {
    const token = await issuer.mint({
      sub: 'user-42',
      role: 'provider',
      providerId,
      scopes: ['prescriptions:write', 'visits:read'],
    });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: 'user-42',
      role: 'provider',
      providerId,
      scopes: ['prescriptions:write', 'visits:read'],
    });
  });

  it('lets a method-level @Roles override the controller’s', async () => {
    const token = await issuer.mint({ sub: 'user-7', role: 'patient', patientId: 'p-7' });

    const response = await get('/prescriptions/mine', token);

    expect(response.body).toEqual({ patientId: 'p-7' });
  });

  it('answers 401 with a problem when the header is missing', async () => {
    const response = await get('/prescriptions');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="carebridge"');
    expect(response.body).toMatchObject({
      code: 'AUTH.TOKEN_MISSING',
      title: 'Unauthorized',
      instance: '/prescriptions',
    });
  });

  it('answers 401 for a scheme other than Bearer', async () => {
    const response = await request(app.getHttpServer())
      .get('/prescriptions')
      .set('authorization', 'Basic dXNlcjpwYXNz');

    expect(response.body.code).toBe('AUTH.TOKEN_MISSING');
  });

  it('answers 401 for an expired token', async () => {
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' }, { expiresIn: '1h ago' });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'AUTH.TOKEN_EXPIRED', detail: 'The token has expired.' });
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 401 for a token meant for another audience', async () => {
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' }, { audience: 'billing-portal' });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'AUTH.TOKEN_INVALID', detail: "The token's aud claim is not accepted." });
  });

  it('answers 401 for a token from another issuer', async () => {
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' }, { issuer: 'https://evil.test/' });

    expect((await get('/prescriptions', token)).body.detail).toBe("The token's iss claim is not accepted.");
  });

  it('answers 401 for a token signed with a key outside the JWKS', async () => {
    const stranger = await DevTokenIssuer.create({ issuer: 'https://id.test/', audience: 'carebridge-api' });
    const token = await stranger.mint({ sub: 'user-42', role: 'provider' });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('answers 401 for a token that is not a JWT', async () => {
    expect((await get('/prescriptions', 'not-a-jwt')).status).toBe(401);
  });

  it('answers 401 for a token without a known role', async () => {
    const token = await issuer.mint({ sub: 'user-42', role: 'admin' as 'ops' });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(401);
    expect(response.body.detail).toBe('The token carries no recognised role.');
  });

  it('answers 403 with a problem for a role the route does not allow', async () => {
    const token = await issuer.mint({ sub: 'user-7', role: 'patient', patientId: 'p-7' });

    const response = await get('/prescriptions', token);

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      code: 'AUTH.ROLE_FORBIDDEN',
      detail: 'The patient role may not do this.',
    });
  });

  it('lets anyone reach a @Public() route', async () => {
    expect((await get('/status')).status).toBe(200);
  });
});

describe('JwtAuthGuard with a remote JWKS', () => {
  it('fetches the key set from the URL and accepts tokens it verifies', async () => {
    const issuer = await DevTokenIssuer.create();
    const jwksServer = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(issuer.jwks()));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    const app = await startTestApp({
      imports: [
        AuthModule.register({
          issuer: issuer.issuer,
          audience: issuer.audience,
          jwks: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        }),
      ],
      controllers: [PrescriptionsController],
    });
    try {
      const token = await issuer.mint({ sub: 'user-42', role: 'ops' });

      const response = await request(app.getHttpServer()).get('/prescriptions').set('authorization', `Bearer ${token}`);

      expect(response.status).toBe(200);
    } finally {
      await app.close();
      jwksServer.closeAllConnections();
      await new Promise((resolve) => jwksServer.close(resolve));
    }
  });

  it('answers 503 when the key set cannot be fetched', async () => {
    const issuer = await DevTokenIssuer.create();
    const app = await startTestApp({
      imports: [
        AuthModule.register({
          issuer: issuer.issuer,
          audience: issuer.audience,
          jwks: 'http://127.0.0.1:9/.well-known/jwks.json',
        }),
      ],
      controllers: [PrescriptionsController],
    });
    try {
      const token = await issuer.mint({ sub: 'user-42', role: 'ops' });

      const response = await request(app.getHttpServer()).get('/prescriptions').set('authorization', `Bearer ${token}`);

      expect(response.status).toBe(503);
      expect(response.body.code).toBe('AUTH.KEYS_UNAVAILABLE');
    } finally {
      await app.close();
    }
  });
});

describe('JwtVerifier’s verified-token cache', () => {
  let issuer: DevTokenIssuer;
  beforeAll(async () => {
    issuer = await DevTokenIssuer.create();
  });
  afterEach(() => jest.restoreAllMocks());

  const signatureChecks = () =>
    jest.spyOn(JwtVerifier.prototype as unknown as { verifySignatureAndClaims: () => Promise<unknown> }, 'verifySignatureAndClaims');

  it('checks the signature of a token once, then answers from the cache with the same actor', async () => {
    const checks = signatureChecks();
    const verifier = new JwtVerifier(issuer.authOptions());
    const token = await issuer.mint({ sub: 'user-42', role: 'provider', providerId: 'p-1', scopes: ['visits:read'] });

    const first = await verifier.verify(`Bearer ${token}`);
    const second = await verifier.verify(`Bearer ${token}`);

    expect(checks).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ id: 'user-42', role: 'provider', providerId: 'p-1', scopes: ['visits:read'] });
  });

  it('rejects a cached token once it has expired', async () => {
    let now = Date.now();
    const verifier = new JwtVerifier(issuer.authOptions(), () => now);
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' }, { expiresIn: '2m' });
    await verifier.verify(`Bearer ${token}`);

    now += 3 * 60_000;

    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
  });

  it('does not cache a rejected token', async () => {
    const checks = signatureChecks();
    const verifier = new JwtVerifier(issuer.authOptions());
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' }, { audience: 'billing-portal' });

    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('hands each request its own actor: a change by one handler does not reach the next', async () => {
    const verifier = new JwtVerifier(issuer.authOptions());
    const token = await issuer.mint({ sub: 'user-42', role: 'provider', scopes: ['visits:read'] });
    const first = await verifier.verify(`Bearer ${token}`);
    (first as { id: string }).id = 'someone-else';
    (first.scopes as string[]).push('admin');

    expect(await verifier.verify(`Bearer ${token}`)).toMatchObject({ id: 'user-42', scopes: ['visits:read'] });
  });

  it('verifies every time with a cache size of 0', async () => {
    const checks = signatureChecks();
    const verifier = new JwtVerifier({ ...issuer.authOptions(), verifiedTokenCacheSize: 0 });
    const token = await issuer.mint({ sub: 'user-42', role: 'provider' });

    await verifier.verify(`Bearer ${token}`);
    await verifier.verify(`Bearer ${token}`);

    expect(checks).toHaveBeenCalledTimes(2);
  });
});
