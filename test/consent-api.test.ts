import { sql } from 'kysely';
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
      input: { enterpriseId, scopes: ['tax', 'tax'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: inAYear(), evidenceRef: 'contract/2026/000123.pdf' },
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
    ['an empty purpose', { purpose: '  ' }, 'purpose must be one of PRE_LOAN_ASSESSMENT, POST_LOAN_MANAGEMENT, PRE_AND_POST_LOAN'],
    ['a purpose not on the list', { purpose: 'MARKETING_AND_RESALE_TO_PARTNERS' }, 'purpose must be one of'],
    ['a purpose in words', { purpose: '贷前调查' }, 'purpose must be one of'],
    ['an expiry beyond the longest validity', { expiresAt: '2032-01-01T00:00:00Z' }, 'expiresAt may be at most 12 months ahead'],
    ['no evidence', { evidenceRef: '' }, 'evidenceRef'],
    ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt must be in the future'],
    ['an expiry that is not a DateTime', { expiresAt: 'next year' }, 'DateTime'],
    ['an id that is not an enterprise', { enterpriseId: Buffer.from('Person:1').toString('base64url') }, 'expected an id of type Enterprise'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_, change, message) => {
    const before = await consentCount();
    const input = { enterpriseId, scopes: ['tax'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: inAYear(), evidenceRef: 'doc-1', ...change };
    const response = await officer.query(GRANT, { input });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(message) });
    expect(await consentCount()).toBe(before);
  });

  it('answers NOT_FOUND for a consent or an enterprise that does not exist', async () => {
    const revoke = await officer.query(REVOKE, { id: Buffer.from('Consent:999999').toString('base64url') });
    expect(revoke.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const grant = await officer.query(GRANT, {
      input: { enterpriseId: Buffer.from('Enterprise:999999').toString('base64url'), scopes: ['tax'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: inAYear(), evidenceRef: 'e' },
    });
    expect(grant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('consent policy', () => {
  it('lists the purposes a consent may be given for, and bounds its validity to 12 months to the day', async () => {
    const purposes = await officer.query<{ consentPurposes: { code: string; text: { en: string } }[] }>('{ consentPurposes { code text { en } } }');
    expect(purposes.data!.consentPurposes.map((purpose) => purpose.code)).toEqual(['PRE_LOAN_ASSESSMENT', 'POST_LOAN_MANAGEMENT', 'PRE_AND_POST_LOAN']);
    const yearAhead = new Date(hub.now().getTime());
    yearAhead.setUTCFullYear(yearAhead.getUTCFullYear() + 1);
    yearAhead.setUTCMinutes(yearAhead.getUTCMinutes() - 1);
    const granted = await officer.query<{ grantConsent: { purpose: string; purposeText: { en: string } } }>(
      'mutation($input: GrantConsentInput!) { grantConsent(input: $input) { purpose purposeText { en } } }',
      { input: { enterpriseId, scopes: ['court'], purpose: 'POST_LOAN_MANAGEMENT', expiresAt: yearAhead.toISOString(), evidenceRef: 'contract/2026/2.pdf' } },
    );
    expect(granted.data).toEqual({ grantConsent: { purpose: 'POST_LOAN_MANAGEMENT', purposeText: { en: 'Post-loan management' } } });
  });
});

describe("a natural person's own authorization", () => {
  const GRANT_PERSON = /* GraphQL */ `
    mutation($input: GrantPersonConsentInput!) {
      grantPersonConsent(input: $input) { id role name maskedIdNumber scopes purpose status grantedBy enterprise { name } }
    }`;
  const personInput = (change: Record<string, unknown> = {}) => ({
    input: { enterpriseId, role: 'LEGAL_REPRESENTATIVE', name: '王建国', idNumber: '11010519491231002x', scopes: ['court'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: inAYear(), evidenceRef: 'auth/2026/7.pdf', ...change },
  });
  const stored = async () => (await testStore.store.db.selectFrom('personConsent').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;

  it('is recorded with the number hashed and masked, shown in clear only to who needs it, and revoked once, audited', async () => {
    const granted = await officer.query<{ grantPersonConsent: { id: string; maskedIdNumber: string; name: string; status: string } }>(GRANT_PERSON, personInput());
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantPersonConsent).toMatchObject({ role: 'LEGAL_REPRESENTATIVE', name: '王建国', maskedIdNumber: '110105********002X', scopes: ['court'], status: 'ACTIVE', grantedBy: 'officer' });
    const row = await testStore.store.db.selectFrom('personConsent').selectAll().where('id', '=', Buffer.from(granted.data!.grantPersonConsent.id, 'base64url').toString().split(':')[1]!).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('11010519491231002');
    const engineer = hub.as('dana', 'DATA_ENGINEER');
    const masked = await engineer.query<{ enterprise: { personConsents: { name: string; maskedIdNumber: string }[] } }>('query($id: ID!) { enterprise(id: $id) { personConsents { name maskedIdNumber } } }', { id: enterpriseId });
    expect(masked.data!.enterprise.personConsents[0]).toEqual({ name: '王**', maskedIdNumber: '******************' });
    const REVOKE_PERSON = 'mutation($id: ID!) { revokePersonConsent(id: $id) { status revokedBy } }';
    expect((await officer.query(REVOKE_PERSON, { id: granted.data!.grantPersonConsent.id })).data).toEqual({ revokePersonConsent: { status: 'REVOKED', revokedBy: 'officer' } });
    expect((await officer.query(REVOKE_PERSON, { id: granted.data!.grantPersonConsent.id })).errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const audited = await testStore.store.db.selectFrom('auditEvent').select('action').where('subjectType', '=', 'PersonConsent').orderBy('id').execute();
    // The officer read the name in clear as they granted it: that read is on the trail too.
    expect(audited.map((event) => event.action)).toEqual(['GRANT_PERSON_CONSENT', 'READ_PERSONAL_DATA', 'REVOKE_PERSON_CONSENT']);
  });

  it.each([
    ['an ID number with a wrong check character', { idNumber: '110105194912310021' }, "idNumber is not a resident ID number: check character is '1', expected 'X'"],
    ['an ID number with an impossible birth date', { idNumber: '11010519490231002X' }, 'is not a birth date'],
    ['no name', { name: ' ' }, 'name must be'],
    ['a role that is not one', { role: 'NEIGHBOUR' }, 'PersonConsentRole'],
    ['a purpose not on the list', { purpose: 'MARKETING' }, 'purpose must be one of'],
    ['an expiry beyond the longest validity', { expiresAt: '2032-01-01T00:00:00Z' }, 'at most 12 months ahead'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_, change, message) => {
    const before = await stored();
    const response = await officer.query(GRANT_PERSON, personInput(change));
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(message) });
    expect(await stored()).toBe(before);
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
