import { GraphBuilder } from './support/fixtures.js';
import { startTestHub, type GraphQLClient, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

let testStore: TestStore;
let hub: TestHub;
/** The credit officer who records consents (ANALYST). */
let officer: GraphQLClient;
let enterpriseId: string;

beforeAll(async () => {
  testStore = await openTestStore();
  hub = await startTestHub(testStore.store);
  officer = hub.as('officer', 'ANALYST');
  await new GraphBuilder(testStore.store.db).enterprise(7, { name: '同意测试有限公司' });
  const page = await officer.query<{ enterprises: { edges: { node: { id: string } }[] } }>('{ enterprises(first: 1) { edges { node { id } } } }');
  enterpriseId = page.data!.enterprises.edges[0]!.node.id;
});

afterAll(async () => {
  await hub.stop();
  await testStore.dispose();
});

const GRANT = /* GraphQL */ `
  mutation($input: GrantConsentInput!) {
    grantConsent(input: $input) { id scopes purpose evidenceRef grantedBy grantedAt expiresAt revokedAt status enterprise { name } }
  }`;
const REVOKE = 'mutation($id: ID!) { revokeConsent(id: $id) { id status revokedAt revokedBy } }';
const CONSENTS = 'query($id: ID!) { enterprise(id: $id) { consents { id scopes status } } }';
const inAYear = () => new Date(hub.now().getTime() + 365 * 24 * 3600 * 1000).toISOString();

async function consentCount() {
  const response = await officer.query<{ enterprise: { consents: unknown[] } }>(CONSENTS, { id: enterpriseId });
  return response.data!.enterprise.consents.length;
}

describe('consents', () => {
  it('are granted for known scopes, listed on the enterprise, and revoked once', async () => {
    const granted = await officer.query<{ grantConsent: { id: string; status: string } }>(GRANT, {
      input: { enterpriseId, scopes: ['tax', 'tax'], purpose: '小微企业线上贷款贷前调查', expiresAt: inAYear(), evidenceRef: 'contract/2026/000123.pdf' },
    });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantConsent).toMatchObject({
      scopes: ['tax'],
      status: 'ACTIVE',
      revokedAt: null,
      grantedBy: 'officer',
      enterprise: { name: '同意测试有限公司' },
    });
    const listed = await officer.query<{ enterprise: { consents: { id: string }[] } }>(CONSENTS, { id: enterpriseId });
    expect(listed.data!.enterprise.consents.map((consent) => consent.id)).toContain(granted.data!.grantConsent.id);

    const revoked = await officer.query(REVOKE, { id: granted.data!.grantConsent.id });
    expect(revoked.data).toMatchObject({ revokeConsent: { status: 'REVOKED', revokedBy: 'officer', revokedAt: expect.any(String) } });
    const again = await officer.query(REVOKE, { id: granted.data!.grantConsent.id });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' }, message: expect.stringContaining('already revoked') });
  });

  it.each([
    ['no scope', { scopes: [] }, 'scopes must name at least one source'],
    ['an unknown scope', { scopes: ['tax', 'horoscope'] }, 'unknown scopes: horoscope'],
    ['an empty purpose', { purpose: '  ' }, 'purpose'],
    ['no evidence', { evidenceRef: '' }, 'evidenceRef'],
    ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt must be in the future'],
    ['an expiry that is not a DateTime', { expiresAt: 'next year' }, 'DateTime'],
    ['an id that is not an enterprise', { enterpriseId: Buffer.from('Person:1').toString('base64url') }, 'expected an id of type Enterprise'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_, change, message) => {
    const before = await consentCount();
    const input = { enterpriseId, scopes: ['tax'], purpose: '贷前调查', expiresAt: inAYear(), evidenceRef: 'doc-1', ...change };
    const response = await officer.query(GRANT, { input });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(message) });
    expect(await consentCount()).toBe(before);
  });

  it('answers NOT_FOUND for a consent or an enterprise that does not exist', async () => {
    const revoke = await officer.query(REVOKE, { id: Buffer.from('Consent:999999').toString('base64url') });
    expect(revoke.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const grant = await officer.query(GRANT, {
      input: { enterpriseId: Buffer.from('Enterprise:999999').toString('base64url'), scopes: ['tax'], purpose: 'p', expiresAt: inAYear(), evidenceRef: 'e' },
    });
    expect(grant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('syncEnterprise on a hub without configured sources', () => {
  it('names unknown sources and unconfigured ones', async () => {
    const SYNC = 'mutation($id: ID!, $sources: [String!]) { syncEnterprise(id: $id, sources: $sources) { id status } }';
    const unknown = await officer.query(SYNC, { id: enterpriseId, sources: ['tax', 'weather'] });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('unknown sources: weather') });
    const unconfigured = await officer.query(SYNC, { id: enterpriseId, sources: ['tax'] });
    expect(unconfigured.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' }, message: expect.stringContaining('not configured') });
  });
});
