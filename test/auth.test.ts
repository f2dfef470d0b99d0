import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { systemClock } from '../src/common/clock.js';
import { createAuthenticator } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config/config.js';
import { createServices } from '../src/graphql/context.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { TEST_PERSON_ID_SALT, testToken } from './support/hub.js';
import { testClock } from './support/clock.js';
import { openTestStore, type TestStore } from './support/store.js';

/** A hub that trusts an identity provider's keys (JWKS_URL) instead of a shared secret. */
describe('tokens from an identity provider (JWKS)', () => {
  let testStore: TestStore;
  let provider: http.Server;
  let hub: Hub;
  let rsa: CryptoKey;
  let ec: CryptoKey;
  const ISSUER = 'https://idp.bank.example';
  const AUDIENCE = 'creditgraph';

  beforeAll(async () => {
    testStore = await openTestStore();
    const rsaPair = await generateKeyPair('RS256');
    const ecPair = await generateKeyPair('ES256');
    [rsa, ec] = [rsaPair.privateKey, ecPair.privateKey];
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    provider = http.createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/.well-known/jwks.json`;
    hub = await startHub({
      config: { nodeEnv: 'test', port: 0, host: '127.0.0.1' },
      services: createServices(testStore.store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT }),
      authenticator: createAuthenticator({ kind: 'jwks', url, issuer: ISSUER, audience: AUDIENCE }, systemClock),
      logger: createLogger({ logLevel: 'silent' }),
    });
  });

  afterAll(async () => {
    await hub?.stop();
    provider?.close();
    await testStore?.dispose();
  });

  const sign = (key: CryptoKey, alg: string, kid: string, claims: Record<string, unknown> = {}, issuer = ISSUER) =>
    new SignJWT({ roles: ['RISK_MANAGER'], ...claims })
      .setProtectedHeader({ alg, kid })
      .setSubject('rita@bank.example')
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  async function ask(token: string) {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { user roles } }' }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } };
  }

  it('accepts RS256 and ES256 tokens signed with its keys', async () => {
    for (const token of [await sign(rsa, 'RS256', 'rsa-1'), await sign(ec, 'ES256', 'ec-1')]) {
      expect(await ask(token)).toEqual({ status: 200, body: { data: { viewer: { user: 'rita@bank.example', roles: ['RISK_MANAGER'] } } } });
    }
  });

  it('refuses another issuer, another key, and a shared-secret token', async () => {
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const cases: [string, string][] = [
      [await sign(rsa, 'RS256', 'rsa-1', {}, 'https://elsewhere.example'), "the token's iss claim is not accepted"],
      [await sign(stranger, 'ES256', 'ec-1'), 'signature is not valid'],
      [await sign(stranger, 'ES256', 'ec-9'), 'no key of the identity provider matches'],
      [await testToken({ user: 'rita', roles: ['RISK_MANAGER'] }), 'algorithm the hub does not accept'],
    ];
    for (const [token, message] of cases) {
      const { status, body } = await ask(token);
      expect(status).toBe(401);
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining(message) });
    }
  });
});

describe('authentication settings', () => {
  it('are required in production, one of JWT_SECRET and JWKS_URL', () => {
    const production = { NODE_ENV: 'production', PERSON_ID_SALT: 'a-production-salt-of-length' };
    expect(() => loadConfig(production)).toThrow('JWT_SECRET or JWKS_URL: one is required in production');
    expect(() => loadConfig({ ...production, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: at least 32 characters/);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'x'.repeat(32), JWKS_URL: 'https://idp.example/jwks' })).toThrow('set one, not both');
    expect(() => loadConfig({ ...production, JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example' })).toThrow('JWT_ISSUER and JWT_AUDIENCE: required with JWKS_URL');
    expect(loadConfig({ ...production, JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'creditgraph' }).auth).toEqual({
      kind: 'jwks',
      url: 'https://idp.example/jwks',
      issuer: 'https://idp.example',
      audience: 'creditgraph',
    });
    expect(loadConfig({}).auth).toEqual({ kind: 'development' });
  });
});
