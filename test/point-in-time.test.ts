import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio, type Portfolio, createRandom, type EnterpriseBundle, type EnterpriseRecord, type RelationRecord } from '../src/world/index.js';
import { createServices } from '../src/graphql/context.js';
import { testClock } from './support/clock.js';
import { TEST_CLOCK } from './support/demo.js';
import { startTestHub, TEST_PERSON_ID_SALT, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * The enterprise's own record as the hub knew it at an instant: status, name and capital from
 * the version observed by then, legal representative and shareholders in force then — asked
 * over HTTP as a frontend asks, against what the story's registry showed at that instant, on
 * generated instants across the story. And the decision as of an instant reads the same record.
 */
let testStore: TestStore;
let hub: TestHub;
let portfolio: Portfolio;

interface Answer {
  enterprise: {
    asOf: string | null;
    name: string;
    status: string;
    registeredCapital: { amount: string } | null;
    legalRepresentative: { id: string } | null;
    shareholders: { shareRatio: number; since: string | null }[];
  } | null;
}
const PROFILE = `query($uscc: String!, $asOf: DateTime) {
  enterprise(uscc: $uscc, asOf: $asOf) { asOf name status registeredCapital { amount } legalRepresentative { id } shareholders { shareRatio since } } }`;

/** The latest version of each record observed by `at` (the store's rule: observed at or before). */
function visible<R extends { externalId: string; observedAt: string }>(records: readonly R[], at: string): R[] {
  const latest = new Map<string, R>();
  for (const record of records) if (record.observedAt <= at) latest.set(record.externalId, record);
  return [...latest.values()];
}

function expected(bundle: EnterpriseBundle, at: string) {
  const record: EnterpriseRecord | undefined = visible(bundle.recordVersions, at)[0];
  if (!record) return null;
  const day = at.slice(0, 10);
  const inForce = (relation: RelationRecord) => (relation.validFrom === null || relation.validFrom <= day) && (relation.validTo === null || relation.validTo > day);
  const relations = visible(bundle.relations, at).filter(inForce);
  return {
    name: record.name,
    status: record.status,
    capitalFen: Number(record.registeredCapitalFen),
    legalRepresentative: relations.some((r) => r.type === 'LEGAL_REPRESENTATIVE' && r.from.kind === 'PERSON'),
    shareholders: relations
      .filter((r) => r.type === 'SHAREHOLDER')
      .map((r) => `${Number(r.shareRatio).toFixed(6)}@${r.validFrom}`)
      .sort(),
  };
}

function actual(answer: Answer['enterprise']) {
  if (!answer) return null;
  return {
    name: answer.name,
    status: answer.status,
    capitalFen: Math.round(Number(answer.registeredCapital?.amount ?? Number.NaN) * 100),
    legalRepresentative: answer.legalRepresentative !== null,
    shareholders: answer.shareholders.map((s) => `${s.shareRatio.toFixed(6)}@${s.since}`).sort(),
  };
}

beforeAll(async () => {
  portfolio = generatePortfolio({ seed: 20261207, enterprises: 80, clock: TEST_CLOCK });
  testStore = await openTestStore();
  await loadPortfolio(testStore.store, portfolio, { personIdSalt: TEST_PERSON_ID_SALT });
  hub = await startTestHub(testStore.store, 'test', createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT, now: testClock() }));
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await testStore?.dispose();
});

describe('enterprise(asOf:)', () => {
  it('answers the record, legal representative and shareholders the registry showed at any instant of the story', async () => {
    const random = createRandom(7);
    const start = Date.parse(`${portfolio.months[0]!}T00:00:00Z`);
    const end = Date.parse(portfolio.clockInstant);
    const changed = portfolio.enterprises.filter((bundle) => bundle.recordVersions.length > 1);
    expect(changed.length).toBeGreaterThan(5);
    // Around every change of every record that changed, and at random instants of anyone's story.
    const cases: { bundle: EnterpriseBundle; at: string }[] = [];
    for (const bundle of changed) {
      for (const version of bundle.recordVersions) {
        const seen = Date.parse(version.observedAt);
        cases.push({ bundle, at: new Date(seen - 30_000).toISOString() }, { bundle, at: new Date(seen + 30_000).toISOString() });
      }
    }
    for (let i = 0; i < 60; i++) {
      cases.push({ bundle: portfolio.enterprises[random.int(0, portfolio.enterprises.length - 1)]!, at: new Date(start + Math.floor(random.next() * (end - start))).toISOString() });
    }
    let statusesSeen = new Set<string>();
    for (const { bundle, at } of cases) {
      const response = await hub.query<Answer>(PROFILE, { uscc: bundle.uscc, asOf: at });
      expect(response.errors).toBeUndefined();
      expect([bundle.uscc, at, actual(response.data!.enterprise)]).toEqual([bundle.uscc, at, expected(bundle, at)]);
      if (response.data!.enterprise) {
        expect(response.data!.enterprise.asOf).toBe(at);
        statusesSeen = statusesSeen.add(response.data!.enterprise.status);
      }
    }
    // The story's records do change status: the cases saw more than one.
    expect(statusesSeen.size).toBeGreaterThan(1);

    // Without asOf, the current record.
    const current = await hub.query<Answer>(PROFILE, { uscc: changed[0]!.uscc });
    expect(current.data!.enterprise!.asOf).toBeNull();
    expect(current.data!.enterprise!.status).toBe(changed[0]!.status);
  });

  it('answers the court cases, enforcements, tax filings and data freshness the hub knew at any instant', async () => {
    const random = createRandom(11);
    const start = Date.parse(`${portfolio.months[0]!}T00:00:00Z`);
    const end = Date.parse(portfolio.clockInstant);
    const withCases = portfolio.enterprises.filter((bundle) => bundle.courtCases.length > 0 || bundle.enforcements.some((e) => e.personKey === null));
    expect(withCases.length).toBeGreaterThan(3);
    for (let i = 0; i < 40; i++) {
      const bundle = i % 2 === 0 ? withCases[random.int(0, withCases.length - 1)]! : portfolio.enterprises[random.int(0, portfolio.enterprises.length - 1)]!;
      const at = new Date(start + Math.floor(random.next() * (end - start))).toISOString();
      const day = at.slice(0, 10);
      const response = await hub.query<{
        enterprise: {
          courtCases: { caseNumber: string; status: string }[];
          enforcements: { caseNumber: string; status: string }[];
          taxFilings: { taxType: string; periodEnd: string }[];
          dataFreshness: { source: string; lastObservedAt: string }[];
        } | null;
      }>(
        `query($uscc: String!, $asOf: DateTime) { enterprise(uscc: $uscc, asOf: $asOf) {
          courtCases { caseNumber status } enforcements { caseNumber status } taxFilings { taxType periodEnd } dataFreshness { source lastObservedAt } } }`,
        { uscc: bundle.uscc, asOf: at },
      );
      expect(response.errors).toBeUndefined();
      const answer = response.data!.enterprise;
      if (!answer) {
        expect(visible(bundle.recordVersions, at)).toEqual([]);
        continue;
      }
      const cases = visible(bundle.courtCases, at).filter((c) => c.filedOn <= day);
      const enforcements = visible(bundle.enforcements, at).filter((e) => e.personKey === null && e.filedOn <= day);
      const filings = visible(bundle.taxFilings, at).filter((f) => f.periodEnd <= day);
      const sorted = (items: string[]) => [...items].sort();
      expect([bundle.uscc, at, sorted(answer.courtCases.map((c) => `${c.caseNumber}|${c.status}`))]).toEqual([bundle.uscc, at, sorted(cases.map((c) => `${c.caseNumber}|${c.status}`))]);
      expect([bundle.uscc, at, sorted(answer.enforcements.map((e) => `${e.caseNumber}|${e.status}`))]).toEqual([
        bundle.uscc,
        at,
        sorted(enforcements.map((e) => `${e.caseNumber}|${e.status}`)),
      ]);
      expect([bundle.uscc, at, sorted(answer.taxFilings.map((f) => `${f.taxType}|${f.periodEnd}`))]).toEqual([bundle.uscc, at, sorted(filings.map((f) => `${f.taxType}|${f.periodEnd}`))]);
      for (const freshness of answer.dataFreshness) expect(freshness.lastObservedAt <= at).toBe(true);
    }
  });

  it('answers the enterprises related at that instant through the shareholders and legal representatives in force then', async () => {
    const random = createRandom(13);
    const start = Date.parse(`${portfolio.months[0]!}T00:00:00Z`);
    const end = Date.parse(portfolio.clockInstant);
    const party = (relation: RelationRecord) => (relation.from.kind === 'PERSON' ? `person:${relation.from.personKey}` : `enterprise:${relation.from.uscc}`);
    let related = 0;
    for (let i = 0; i < 30; i++) {
      const bundle = portfolio.enterprises[random.int(0, portfolio.enterprises.length - 1)]!;
      const at = new Date(start + Math.floor(random.next() * (end - start))).toISOString();
      const day = at.slice(0, 10);
      const live = (of: EnterpriseBundle) =>
        visible(of.relations, at).filter(
          (r) => (r.type === 'SHAREHOLDER' || r.type === 'LEGAL_REPRESENTATIVE') && (r.validFrom === null || r.validFrom <= day) && (r.validTo === null || r.validTo > day),
        );
      const mine = live(bundle);
      const parties = new Set(mine.map(party));
      const expectedUsccs = new Set<string>();
      for (const other of portfolio.enterprises) {
        if (other.uscc === bundle.uscc) continue;
        const theirs = live(other);
        if (theirs.some((r) => parties.has(party(r)))) expectedUsccs.add(other.uscc); // a shared person or enterprise
        if (theirs.some((r) => party(r) === `enterprise:${bundle.uscc}`)) expectedUsccs.add(other.uscc); // it holds shares in the other
        if (parties.has(`enterprise:${other.uscc}`)) expectedUsccs.add(other.uscc); // the other holds shares in it
      }
      const response = await hub.query<{ enterprise: { relatedEnterprises: { enterprise: { uscc: string } }[] } | null }>(
        `query($uscc: String!, $asOf: DateTime) { enterprise(uscc: $uscc, asOf: $asOf) { relatedEnterprises(depth: 1) { enterprise { uscc } } } }`,
        { uscc: bundle.uscc, asOf: at },
      );
      expect(response.errors).toBeUndefined();
      if (!response.data!.enterprise) continue;
      const answered = response.data!.enterprise.relatedEnterprises.map((r) => r.enterprise.uscc).sort();
      expect([bundle.uscc, at, answered]).toEqual([bundle.uscc, at, [...expectedUsccs].sort()]);
      related += answered.length;
    }
    expect(related).toBeGreaterThan(0);
  });

  it('refuses an instant in the future with BAD_USER_INPUT', async () => {
    const response = await hub.query<Answer>(PROFILE, { uscc: portfolio.enterprises[0]!.uscc, asOf: '2199-01-01T00:00:00Z' });
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringContaining('in the future'), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('the risk view and the features as of an instant', () => {
  it('read the status the hub knew then: an enterprise is not knocked out as inactive before its status changed', async () => {
    const ended = portfolio.enterprises.filter((bundle) => ['REVOKED', 'CANCELLED', 'LIQUIDATING'].includes(bundle.status) && bundle.recordVersions.length > 1);
    expect(ended.length).toBeGreaterThan(0);
    for (const bundle of ended) {
      const change = bundle.recordVersions.find((version) => version.status === bundle.status)!;
      const before = new Date(Date.parse(change.observedAt) - 30_000).toISOString();
      const after = new Date(Date.parse(change.observedAt) + 30_000).toISOString();
      const ask = async (at: string) => {
        const response = await hub.query<{ enterprise: { id: string; riskView: { ruleHits: { code: string }[] } } }>(
          `query($uscc: String!, $asOf: DateTime) { enterprise(uscc: $uscc) { id riskView(asOf: $asOf) { ruleHits { code } } } }`,
          { uscc: bundle.uscc, asOf: at },
        );
        expect(response.errors).toBeUndefined();
        const { id, riskView } = response.data!.enterprise;
        const vectors = await hub.query<{ featureVectors: { values: { value: number | null }[] }[] }>(
          `query($ids: [ID!]!, $asOf: DateTime) { featureVectors(enterpriseIds: $ids, asOf: $asOf, names: ["status_active"]) { values { value } } }`,
          { ids: [id], asOf: at },
        );
        expect(vectors.errors).toBeUndefined();
        return { knockedOut: riskView.ruleHits.some((hit) => hit.code === 'KO_NOT_ACTIVE'), statusActive: vectors.data!.featureVectors[0]!.values[0]!.value };
      };
      const [then, later] = [await ask(before), await ask(after)];
      expect([bundle.uscc, 'before', then.knockedOut, then.statusActive === 0]).toEqual([bundle.uscc, 'before', false, false]);
      expect([bundle.uscc, 'after', later]).toEqual([bundle.uscc, 'after', { knockedOut: true, statusActive: 0 }]);
    }
  });
});
