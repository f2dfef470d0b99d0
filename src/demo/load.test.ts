import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import { openTestStore, type TestStore } from '../../test/support/store.js';
import { payloadHash, stableStringify } from '../common/payload-hash.js';
import { maskIdNumber } from '../profile/person.js';
import { StoreNotEmptyError, loadPortfolio, supersededTimes, type LoadSummary } from './load.js';
import { countPortfolio, generatePortfolio, enterpriseRecordOf, type Portfolio } from '../world/index.js';

const SALT = 'load-test-salt-0123456789';
let testStore: TestStore;
let store: Store;
let portfolio: Portfolio;
let summary: LoadSummary;
const progress: [number, number][] = [];

beforeAll(async () => {
  testStore = await openTestStore();
  store = testStore.store;
  portfolio = generatePortfolio({ seed: 424242, enterprises: 30, clock: '2026-11-01' });
  summary = await loadPortfolio(store, portfolio, {
    personIdSalt: SALT,
    batchSize: 8,
    rowsPerStatement: 700,
    onProgress: (done, total) => progress.push([done, total]),
  });
}, 60_000);

afterAll(async () => {
  await testStore?.dispose();
});

const count = async (table: string, where = sql`true`) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(store.db)).rows[0]!.n);

const TABLES: Record<Exclude<keyof LoadSummary, 'syncRun' | 'enterprise' | 'enterpriseVersion' | 'person'>, [string, keyof ReturnType<typeof countPortfolio>]> = {
  relation: ['relation', 'relations'],
  registryChange: ['registry_change', 'registryChanges'],
  abnormalOperation: ['abnormal_operation', 'abnormalOperations'],
  taxFiling: ['tax_filing', 'taxFilings'],
  taxRating: ['tax_rating', 'taxRatings'],
  taxArrears: ['tax_arrears', 'taxArrears'],
  courtCase: ['court_case', 'courtCases'],
  enforcement: ['enforcement', 'enforcements'],
  utilityBill: ['utility_bill', 'utilityBills'],
  invoice: ['invoice', 'invoices'],
  socialInsuranceMonth: ['social_insurance_month', 'socialInsuranceMonths'],
};

describe('loadPortfolio', () => {
  it('writes one row per record and version, and says so', async () => {
    const counts = countPortfolio(portfolio);
    expect(summary.enterprise).toBe(30);
    expect(summary.enterpriseVersion).toBe(portfolio.enterprises.reduce((total, bundle) => total + bundle.recordVersions.length, 0));
    // The store keeps a version when the record's own columns change (not address or scope).
    const states = portfolio.enterprises.reduce(
      (total, bundle) =>
        total +
        bundle.recordVersions
          .map((r) => [r.name, r.status, r.registeredCapitalFen, r.paidInCapitalFen].join('|'))
          .filter((state, i, all) => i === 0 || state !== all[i - 1]).length,
      0,
    );
    expect(await count('enterprise_version')).toBe(states);
    expect(await count('enterprise')).toBe(30);
    expect(summary.person).toBe(portfolio.persons.length);
    expect(await count('person')).toBe(portfolio.persons.length);
    for (const [key, [table, kind]] of Object.entries(TABLES) as [keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]][]) {
      expect([key, await count(table)]).toEqual([key, counts[kind]]);
      expect([key, summary[key]]).toEqual([key, counts[kind]]);
    }
    expect(summary.invoice).toBeGreaterThan(1000);
    expect(progress[0]).toEqual([0, 30]);
    expect(progress.at(-1)).toEqual([30, 30]);
    expect(progress.map(([done]) => done)).toEqual([0, 8, 16, 24, 30]);
  });

  it('records a succeeded sync run per source and month, each with the facts first observed in its month', async () => {
    const runs = await store.db.selectFrom('syncRun').selectAll().orderBy('id').execute();
    expect(runs).toHaveLength(6 * portfolio.months.length);
    expect(new Set(runs.map((r) => r.source))).toEqual(new Set(['court', 'invoice', 'registry', 'social-insurance', 'tax', 'utility']));
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'SUCCEEDED', enterpriseId: null, duplicates: 0, quarantined: 0 });
      expect(run.fetched).toBe(run.stored);
      expect(run.finishedAt!.getTime() - run.startedAt.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
      expect(run.finishedAt!.getTime()).toBeLessThanOrEqual(Date.parse(portfolio.clockInstant));
    }
    const stored = (source: string) => runs.filter((r) => r.source === source).reduce((total, r) => total + r.stored, 0);
    expect(stored('registry')).toBe(summary.enterpriseVersion + summary.relation + summary.registryChange + summary.abnormalOperation);
    expect(stored('tax')).toBe(summary.taxFiling + summary.taxRating + summary.taxArrears);
    expect(stored('invoice')).toBe(summary.invoice);
    for (const [table, source] of [
      ['enterprise', 'registry'],
      ['relation', 'registry'],
      ['tax_filing', 'tax'],
      ['court_case', 'court'],
      ['enforcement', 'court'],
      ['utility_bill', 'utility'],
      ['invoice', 'invoice'],
      ['social_insurance_month', 'social-insurance'],
    ] as const) {
      // Every fact names a run of its own source that had finished by the end of the month it was observed in.
      const misplaced = sql`NOT EXISTS (
        SELECT 1 FROM sync_run r WHERE r.id = sync_run_id AND r.source = ${source}
          AND r.finished_at >= observed_at AND (r.started_at <= observed_at OR r.started_at = ${`${portfolio.months[0]}T00:00:00Z`}::timestamptz))`;
      expect([table, await count(table, misplaced)]).toEqual([table, 0]);
    }
  });

  it('keeps one current version per fact and supersedes the others at the next observation', async () => {
    const counts = countPortfolio(portfolio);
    for (const [, [table, kind]] of Object.entries(TABLES)) {
      const duplicates = await sql<{ n: string }>`
        SELECT count(*) AS n FROM (
          SELECT source, external_id FROM ${sql.table(table)} WHERE superseded_at IS NULL GROUP BY 1, 2 HAVING count(*) > 1
        ) d`.execute(store.db);
      expect([table, Number(duplicates.rows[0]!.n)]).toEqual([table, 0]);
      const currentRows = await count(table, sql`superseded_at IS NULL`);
      expect([table, currentRows]).toEqual([table, counts.distinctFacts[kind as keyof typeof counts.distinctFacts]]);
      expect(await count(table, sql`superseded_at < observed_at OR observed_at >= ${portfolio.clockInstant}::timestamptz`)).toBe(0);
    }
    // A closed case: its OPEN version ends when the CLOSED one is observed.
    const versions = await sql<{ status: string; observedAt: Date; supersededAt: Date | null }>`
      SELECT status, observed_at, superseded_at FROM court_case
      WHERE external_id IN (SELECT external_id FROM court_case GROUP BY 1 HAVING count(*) > 1)
      ORDER BY external_id, observed_at`.execute(store.db);
    expect(versions.rows.length).toBeGreaterThan(0);
    for (let i = 0; i + 1 < versions.rows.length; i += 2) {
      const [open, closed] = [versions.rows[i]!, versions.rows[i + 1]!];
      if (open.supersededAt === null) continue;
      expect(open.supersededAt.getTime()).toBe(closed.observedAt.getTime());
    }
  });

  it('stores persons by salted hash and masked number only, never the clear ID number', async () => {
    const persons = await store.db.selectFrom('person').selectAll().execute();
    const clear = portfolio.persons.map((p) => p.idNumber);
    const text = JSON.stringify(persons);
    expect(clear.filter((id) => text.includes(id))).toEqual([]);
    const expected = new Map(portfolio.persons.map((p) => [createHmac('sha256', SALT).update(p.idNumber).digest('hex'), p]));
    for (const person of persons) {
      const source = expected.get(person.idHash)!;
      expect(source).toBeDefined();
      expect(person.maskedIdNumber).toBe(maskIdNumber(source.idNumber));
      expect(person.maskedIdNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(person.name).toBe(source.name);
      expect(person.source).toBe('registry');
    }
  });

  it('links relations, invoices and enforcements to the right enterprises and persons', async () => {
    const ids = new Map((await store.db.selectFrom('enterprise').select(['id', 'uscc']).execute()).map((e) => [e.uscc, String(e.id)]));
    const invoices = await store.db.selectFrom('invoice').select(['sellerUscc', 'buyerUscc', 'sellerEnterpriseId', 'buyerEnterpriseId']).execute();
    for (const invoice of invoices) {
      expect(invoice.sellerEnterpriseId === null ? null : String(invoice.sellerEnterpriseId)).toBe(ids.get(invoice.sellerUscc));
      expect(invoice.buyerEnterpriseId === null ? null : String(invoice.buyerEnterpriseId)).toBe(ids.get(invoice.buyerUscc) ?? null);
    }
    expect(invoices.some((i) => i.buyerEnterpriseId === null)).toBe(true);
    // Shareholder ratios of the relations in force add up to 1 per enterprise.
    const sums = await sql<{ toEnterpriseId: string; total: string }>`
      SELECT to_enterprise_id, sum(share_ratio)::text AS total FROM relation
      WHERE type = 'SHAREHOLDER' AND superseded_at IS NULL AND valid_to IS NULL GROUP BY 1`.execute(store.db);
    expect(sums.rows).toHaveLength(30);
    for (const row of sums.rows) expect(Number(row.total)).toBe(1);
    const enforcementsOnPersons = portfolio.enterprises.flatMap((b) => b.enforcements).filter((e) => e.personKey !== null).length;
    expect(await count('enforcement', sql`person_id IS NOT NULL AND enterprise_id IS NULL`)).toBe(enforcementsOnPersons);
  });

  it('hashes each record as generated', async () => {
    const first = portfolio.enterprises[0]!;
    const row = await store.db.selectFrom('enterprise').select(['payloadHash', 'observedAt']).where('uscc', '=', first.uscc).executeTakeFirstOrThrow();
    expect(row.payloadHash).toBe(payloadHash(enterpriseRecordOf(first)));
    expect(row.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.observedAt.toISOString()).toBe(first.observedAt);
    const invoice = first.invoices[0]!;
    const stored = await store.db
      .selectFrom('invoice')
      .select(['payloadHash'])
      .where('externalId', '=', invoice.externalId)
      .executeTakeFirstOrThrow();
    expect(stored.payloadHash).toBe(payloadHash(invoice));
  });

  it('refuses to load into a store that already holds enterprises, and changes nothing', async () => {
    const before = await count('invoice');
    const other = generatePortfolio({ seed: 1, enterprises: 3, clock: '2026-11-01' });
    await expect(loadPortfolio(store, other, { personIdSalt: SALT })).rejects.toThrow(StoreNotEmptyError);
    await expect(loadPortfolio(store, other, { personIdSalt: SALT })).rejects.toThrow(/already holds enterprises/);
    expect(await count('invoice')).toBe(before);
    expect(await count('sync_run')).toBe(6 * portfolio.months.length);
    await expect(loadPortfolio(store, other, { personIdSalt: '' })).rejects.toThrow(/personIdSalt/);
  });
});

describe('helpers', () => {
  it('serializes with sorted keys at every level', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { f: null, e: 'x' }], c: true }, u: undefined })).toBe(
      '{"a":{"c":true,"d":[1,{"e":"x","f":null}]},"b":1}',
    );
  });

  it('supersedes each version by the next one of the same fact', () => {
    const records = [
      { externalId: 'a', observedAt: '2025-01-01T00:00:00.000Z' },
      { externalId: 'a', observedAt: '2025-02-01T00:00:00.000Z' },
      { externalId: 'b', observedAt: '2025-01-15T00:00:00.000Z' },
      { externalId: 'a', observedAt: '2025-03-01T00:00:00.000Z' },
    ];
    expect(supersededTimes(records)).toEqual(['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', null, null]);
    expect(() => supersededTimes([records[1]!, records[0]!])).toThrow(/out of observation order/);
  });

  it('masks an ID number to its first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
