import fc from 'fast-check';
import { sql, type KyselyPlugin } from 'kysely';
import { toGlobalId } from '../src/graphql/ids.js';
import { assess } from '../src/risk/assess.js';
import { loadRiskConfig } from '../src/risk/config.js';
import { FEATURES, SOURCES } from '../src/risk/features/catalog.js';
import { computeFeatureVectors } from '../src/risk/features/compute.js';
import type { Db } from '../src/store/database.js';
import { loadEventsAsOf, loadProfilesAsOf } from '../src/store/profiles-as-of.js';
import { seedDemo } from './support/demo.js';
import { withoutSource } from './support/profile.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

/** The risk view and feature serving, as a frontend and a scoring service call them. */
let testStore: TestStore;
let hub: TestHub;
let enterprises: { id: string; uscc: string }[];
const ENTERPRISES = 40;
/** The demo clock: every source was synced up to this instant. */
const AS_OF = '2026-11-01T00:00:00.000Z';

beforeAll(async () => {
  testStore = await openTestStore();
  await seedDemo(testStore.store, ENTERPRISES);
  hub = await startTestHub(testStore.store);
  enterprises = (await testStore.store.db.selectFrom('enterprise').select(['id', 'uscc']).orderBy('id').execute()).map((row) => ({
    id: toGlobalId('Enterprise', row.id),
    uscc: row.uscc,
  }));
}, 120_000);

afterAll(async () => {
  await hub.stop();
  await testStore.dispose();
});

const RISK_VIEW = /* GraphQL */ `
  fragment Text on LocalizedText { zhCN en }
  query RiskView($uscc: String!, $asOf: DateTime, $product: String) {
    enterprise(uscc: $uscc) {
      riskView(asOf: $asOf, product: $product) {
        asOf product { id }
        score grade probabilityOfDefault decision
        ruleHits { code kind severity text { ...Text } evidence }
        reasonCodes { code text { ...Text } feature contribution }
        recommendedLimit { amount currency }
        limitComponents { kind amount { amount } text { ...Text } }
        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }
        pricingRateBps
        features { name version value }
        model { id version }
        dataCoverage { source state lastSeenAt }
      }
    }
  }`;

interface RiskViewData {
  asOf: string;
  product: { id: string };
  score: number;
  grade: string;
  probabilityOfDefault: number;
  decision: 'APPROVE' | 'REVIEW' | 'DECLINE';
  ruleHits: { code: string; kind: string; severity: string; text: { zhCN: string; en: string }; evidence: Record<string, unknown> }[];
  reasonCodes: { code: string; text: { zhCN: string; en: string }; feature: string | null; contribution: number | null }[];
  recommendedLimit: { amount: string; currency: string } | null;
  limitComponents: { kind: string; amount: { amount: string }; text: { zhCN: string; en: string } }[];
  pricing: { baseRateBps: number; expectedLossBps: number; fundingBps: number; operatingBps: number; capitalBps: number; rateBps: number };
  pricingRateBps: number | null;
  features: { name: string; version: number; value: number | null }[];
  model: { id: string; version: string };
  dataCoverage: { source: string; state: string; lastSeenAt: string | null }[];
}

const riskView = (uscc: string, variables: Record<string, unknown> = {}) =>
  hub.query<{ enterprise: { riskView: RiskViewData } }>(RISK_VIEW, { uscc, asOf: AS_OF, ...variables });

describe('Enterprise.riskView', () => {
  it('assesses every enterprise for both products: score, grade, decision, reasons, limit and the features behind them', async () => {
    const decisions = new Set<string>();
    for (const { uscc } of enterprises) {
      for (const product of ['tax-loan', 'invoice-loan']) {
        const { data, errors } = await riskView(uscc, { product });
        expect(errors).toBeUndefined();
        const view = data!.enterprise.riskView;
        decisions.add(view.decision);
        expect(view).toMatchObject({ asOf: AS_OF, product: { id: product }, model: { id: 'sme-general' } });
        expect(view.grade).toMatch(/^[A-E]$/);
        expect(view.probabilityOfDefault).toBeGreaterThan(0);
        expect(view.probabilityOfDefault).toBeLessThan(1);
        expect(view.features.map((f) => f.name)).toEqual(FEATURES.map((f) => f.name));
        expect(view.dataCoverage.map((c) => [c.source, c.state])).toEqual(
          ['registry', 'tax', 'court', 'invoice', 'utility', 'social-insurance'].map((source) => [source, 'CURRENT']),
        );
        if (view.decision === 'DECLINE') {
          expect(view.reasonCodes.length).toBeGreaterThan(0);
          expect(view.recommendedLimit).toBeNull();
        } else {
          expect(view.recommendedLimit).toMatchObject({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'CNY' });
          // The least of the caps shown, rounded down to the product's 10,000 step; the price, what the risk costs.
          const caps = view.limitComponents.map((component) => Number(component.amount.amount));
          expect(view.limitComponents.map((component) => component.kind)).toEqual(['PRODUCT_MAXIMUM', 'REVENUE_MULTIPLE', 'AFTER_EXISTING_DEBT', 'GROUP_CAP']);
          expect(Number(view.recommendedLimit!.amount)).toBe(Math.floor(Math.max(0, Math.min(...caps)) / 10_000) * 10_000);
          expect(view.pricingRateBps).toBe(view.pricing.rateBps);
          expect(view.pricing.rateBps).toBe(view.pricing.baseRateBps + view.pricing.expectedLossBps + view.pricing.fundingBps + view.pricing.operatingBps + view.pricing.capitalBps);
          expect(view.pricing.expectedLossBps).toBeGreaterThanOrEqual(view.probabilityOfDefault * 0.6 * 10_000 - 1e-6);
        }
        for (const hit of view.ruleHits) {
          expect(hit.kind).toMatch(/^(KNOCKOUT|REVIEW)$/);
          expect(hit.text.zhCN.length).toBeGreaterThan(0);
          expect(hit.evidence).toBeDefined();
          if (hit.kind === 'KNOCKOUT') expect(view.decision).toBe('DECLINE');
        }
        expect(view.reasonCodes.filter((r) => r.contribution !== null).length).toBeLessThanOrEqual(4);
      }
    }
    // A portfolio with distress in it gets all three answers.
    expect(decisions).toEqual(new Set(['APPROVE', 'REVIEW', 'DECLINE']));
  });

  it('gives a page of enterprises the same views as one at a time', async () => {
    const page = await hub.query<{ enterprises: { edges: { node: { uscc: string; riskView: { score: number; decision: string } } }[] } }>(
      `query Page($asOf: DateTime) { enterprises(first: 20) { edges { node { uscc riskView(asOf: $asOf, product: "invoice-loan") { score decision } } } } }`,
      { asOf: AS_OF },
    );
    expect(page.errors).toBeUndefined();
    for (const { node } of page.data!.enterprises.edges.slice(0, 5)) {
      const single = await riskView(node.uscc, { product: 'invoice-loan' });
      expect({ score: single.data!.enterprise.riskView.score, decision: single.data!.enterprise.riskView.decision }).toEqual(node.riskView);
    }
  });

  it('knows nothing before the hub heard from the sources: every source missing, the application referred', async () => {
    const { data } = await riskView(enterprises[0]!.uscc, { asOf: '2020-01-01T00:00:00Z' });
    const view = data!.enterprise.riskView;
    expect(view.dataCoverage.every((c) => c.state === 'MISSING' && c.lastSeenAt === null)).toBe(true);
    expect(view.features.find((f) => f.name === 'invoice_sales_12m')!.value).toBeNull();
    expect(view.features.find((f) => f.name === 'data_coverage')!.value).toBe(0);
    expect(view.ruleHits.map((hit) => [hit.code, hit.text.en])).toEqual([['DATA_MISSING', 'No data from sources the product requires: registry, tax, court, invoice, utility, social-insurance']]);
    expect([view.decision, view.recommendedLimit, view.pricingRateBps]).toEqual(['REVIEW', null, null]);
  });

  it("never lets a demo enterprise's missing source turn its decision into an approval or raise its limit", async () => {
    const config = loadRiskConfig();
    const ids = (await testStore.store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    const profiles = await loadProfilesAsOf(testStore.store.db, ids, new Date(AS_OF));
    const decisions = new Map<string, number>();
    for (const profile of profiles.values()) {
      for (const product of config.products) {
        const before = assess(profile, product, config);
        decisions.set(before.decision, (decisions.get(before.decision) ?? 0) + 1);
        for (const source of SOURCES) {
          const after = assess(withoutSource(profile, source), product, config);
          expect([profile.uscc, product.id, source, after.decision === 'APPROVE', after.recommendedLimitFen]).toEqual([profile.uscc, product.id, source, false, null]);
          expect(after.ruleHits.map((hit) => hit.rule.code)).toContain('DATA_MISSING');
        }
      }
    }
    // Approvals there were, to be lost.
    expect(decisions.get('APPROVE')).toBeGreaterThan(5);
  });

  it('refuses an unknown product and a moment in the future, naming what to change', async () => {
    const unknown = await riskView(enterprises[0]!.uscc, { product: 'mortgage' });
    expect(unknown.errors![0]).toMatchObject({ message: expect.stringContaining('tax-loan, invoice-loan'), extensions: { code: 'BAD_USER_INPUT' } });
    const future = await riskView(enterprises[0]!.uscc, { asOf: '2199-01-01T00:00:00Z' });
    expect(future.errors![0]).toMatchObject({ message: expect.stringContaining('in the future'), extensions: { code: 'BAD_USER_INPUT' } });
    const outOfRange = await riskView(enterprises[0]!.uscc, { asOf: '2999-01-01T00:00:00Z' });
    expect(outOfRange.errors![0]).toMatchObject({ message: expect.stringContaining('in the years 1900 to 2200'), extensions: { code: 'BAD_USER_INPUT' } });
    const garbage = await riskView(enterprises[0]!.uscc, { asOf: 'yesterday' });
    expect(garbage.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('feature serving', () => {
  const FEATURE_VECTORS = /* GraphQL */ `
    query Vectors($ids: [ID!]!, $asOf: DateTime, $names: [String!]) {
      featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId asOf values { name version value } }
    }`;
  type Vectors = { featureVectors: { enterpriseId: string; asOf: string; values: { name: string; version: number; value: number | null }[] }[] };

  it('returns vectors in the order asked, with the features named, equal to those of the risk view', async () => {
    const ids = [enterprises[3]!.id, enterprises[0]!.id, enterprises[3]!.id];
    const { data, errors } = await hub.query<Vectors>(FEATURE_VECTORS, { ids, asOf: AS_OF, names: ['invoice_sales_12m', 'tax_grade'] });
    expect(errors).toBeUndefined();
    expect(data!.featureVectors.map((v) => v.enterpriseId)).toEqual(ids);
    expect(data!.featureVectors[0]!.values.map((v) => [v.name, v.version])).toEqual([
      ['invoice_sales_12m', 1],
      ['tax_grade', 1],
    ]);
    const view = (await riskView(enterprises[3]!.uscc)).data!.enterprise.riskView;
    for (const value of data!.featureVectors[0]!.values) expect(view.features.find((f) => f.name === value.name)).toEqual(value);
    expect(data!.featureVectors[2]).toEqual(data!.featureVectors[0]);
  });

  it('refuses unknown names, naming them; more than 1,000 ids; and ids that are not enterprises', async () => {
    const names = await hub.query(FEATURE_VECTORS, { ids: [enterprises[0]!.id], names: ['tax_grade', 'shoe_size', 'star_sign'] });
    expect(names.errors![0]).toMatchObject({ message: expect.stringMatching(/shoe_size, star_sign/), extensions: { code: 'BAD_USER_INPUT' } });
    const many = await hub.query(FEATURE_VECTORS, { ids: Array.from({ length: 1001 }, () => enterprises[0]!.id) });
    expect(many.errors![0]).toMatchObject({ message: expect.stringContaining('at most 1000'), extensions: { code: 'BAD_USER_INPUT' } });
    const wrongType = await hub.query(FEATURE_VECTORS, { ids: [toGlobalId('Person', '1')] });
    expect(wrongType.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const absent = await hub.query(FEATURE_VECTORS, { ids: [toGlobalId('Enterprise', '999999')] });
    expect(absent.errors![0]).toMatchObject({ message: expect.stringContaining('not in the store'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('publishes the catalog and the products', async () => {
    const { data } = await hub.query<{
      featureCatalog: { name: string; version: number; description: string; unit: string; sources: string[] }[];
      products: { id: string; name: { zhCN: string; en: string }; requiredSources: string[]; minAmount: { amount: string }; maxAmount: { amount: string }; minTermMonths: number; maxTermMonths: number }[];
    }>(`{ featureCatalog { name version description unit sources }
          products { id name { zhCN en } requiredSources minAmount { amount currency } maxAmount { amount currency } minTermMonths maxTermMonths
            autoApproveMaxAmount { amount } autoApproveGrades seniorApprovalAmount { amount } applicationValidDays } }`);
    expect(data!.featureCatalog.length).toBeGreaterThanOrEqual(30);
    expect(data!.featureCatalog.find((f) => f.name === 'invoice_to_declared_ratio_12m')).toMatchObject({ unit: 'RATIO', sources: ['tax', 'invoice'] });
    expect(data!.products.map((p) => p.id)).toEqual(['tax-loan', 'invoice-loan']);
    expect(data!.products[0]).toMatchObject({
      minAmount: { amount: '30000.00' },
      maxAmount: { amount: '3000000.00' },
      minTermMonths: 3,
      maxTermMonths: 36,
      autoApproveMaxAmount: { amount: '300000.00' },
      autoApproveGrades: ['A', 'B'],
      seniorApprovalAmount: { amount: '1000000.00' },
      applicationValidDays: 30,
    });
  });

  it('reads a batch in one statement, whatever its size', async () => {
    let statements = 0;
    // Counted as results come back: a statement compiled once skips transformQuery.
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements++;
        return args.result;
      },
    };
    const db = testStore.store.db.withPlugin(counting) as Db;
    const ids = (await testStore.store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    const asOf = new Date(AS_OF);
    statements = 0;
    await computeFeatureVectors(db, ids.slice(0, 2), asOf);
    const few = statements;
    statements = 0;
    await computeFeatureVectors(db, ids, asOf);
    expect(statements).toBe(few);
    expect(few).toBe(1);
  });
});

describe('profiles as of T', () => {
  it("read for monitoring's comparison, hold the same events as the whole profile", async () => {
    const ids = (await testStore.store.db.selectFrom('enterprise').select('id').execute()).map((row) => row.id);
    for (const at of ['2025-06-01T00:00:00Z', AS_OF]) {
      const whole = await loadProfilesAsOf(testStore.store.db, ids, new Date(at));
      const events = await loadEventsAsOf(testStore.store.db, ids, new Date(at));
      expect(events.size).toBe(whole.size);
      for (const [id, profile] of whole) {
        const { enterpriseId, uscc, asOf, asOfDay, enterprise, registryChanges, abnormalOperations, relations, taxRatings, courtCases, enforcements } = profile;
        expect(events.get(id)).toMatchObject({ enterpriseId, uscc, asOf, asOfDay, enterprise, registryChanges, abnormalOperations, relations, taxRatings, courtCases, enforcements });
      }
      expect([...whole.values()].some((profile) => profile.courtCases.length > 0 && profile.taxRatings.length > 0)).toBe(true);
    }
  });
});

describe('point in time', () => {
  it('never changes a feature as of T by what was observed after T', async () => {
    const db = testStore.store.db;
    const ids = (await db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    const first = Date.parse('2024-03-01T00:00:00Z');
    const last = Date.parse(AS_OF);
    await fc.assert(
      fc.asyncProperty(fc.noBias(fc.integer({ min: first, max: last })), async (instant) => {
        const t = new Date(instant);
        const withLater = await computeFeatureVectors(db, ids, t);
        // The store as it stood at T: versions observed later removed, the supersessions they made undone.
        const rollback = new Error('rollback');
        const asItStood = await db
          .transaction()
          .execute(async (trx) => {
            for (const table of ['relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month']) {
              await sql`DELETE FROM ${sql.table(table)} WHERE observed_at > ${t.toISOString()}::timestamptz`.execute(trx);
              await sql`UPDATE ${sql.table(table)} SET superseded_at = NULL WHERE superseded_at > ${t.toISOString()}::timestamptz`.execute(trx);
            }
            // Runs that had not finished by T were still running then.
            await sql`UPDATE sync_run SET status = 'RUNNING', finished_at = NULL WHERE finished_at > ${t.toISOString()}::timestamptz`.execute(trx);
            const vectors = await computeFeatureVectors(trx, ids, t);
            throw Object.assign(rollback, { vectors });
          })
          .catch((error: unknown) => {
            if (error !== rollback) throw error;
            return (error as Error & { vectors: unknown }).vectors;
          });
        expect(withLater).toEqual(asItStood);
      }),
      { numRuns: 10, seed: 20261129 },
    );
  });
});
