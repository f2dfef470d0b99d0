import { sql } from 'kysely';
import { z } from 'zod';
import { GraphBuilder } from '../../test/support/fixtures.js';
import { testClock } from '../../test/support/clock.js';
import { openTestStore, type TestStore } from '../../test/support/store.js';
import type { BoundConnector } from './bind.js';
import { IngestEngine } from './engine.js';
import type { Checkpoint, Connector, Page } from './sdk.js';
import { createTransport } from './transport.js';

/**
 * The engine's own guarantees, with a source whose upstream is a list in memory: consent
 * first, versioned idempotent upserts, quarantine, counts that reconcile, and resumption
 * from the last committed page. (The sandboxed connectors run the same engine over HTTP.)
 */
/** The hub's today: the fixtures' date. */
const now = testClock();

type Grade = { id?: unknown; year?: unknown; grade?: unknown; explode?: boolean };

function ratingSource(pages: Grade[][], failAfterPage?: number, gate?: () => Promise<void>) {
  const seen: (Checkpoint | null)[] = [];
  const connector: Connector<{ baseUrl: string }, null> = {
    manifest: {
      id: 'tax',
      version: '0.0.0',
      displayName: 'grades in memory',
      entities: ['taxRating'],
      consentScope: 'tax',
      config: z.object({ baseUrl: z.string() }),
      secrets: [],
      rateLimit: { requestsPerSecond: 1000, concurrency: 1 },
    },
    createClient: () => null,
    async *read(_client, context): AsyncGenerator<Page> {
      seen.push(context.checkpoint);
      await gate?.();
      const start = Number(context.checkpoint?.streams.grades?.nextPage ?? 0);
      for (let index = start; index < pages.length; index++) {
        if (failAfterPage !== undefined && index > failAfterPage) throw new Error('upstream went away');
        const next = index + 1 < pages.length ? String(index + 1) : null;
        yield { stream: 'grades', records: pages[index]!, checkpoint: { streams: { grades: { nextPage: next } } } };
      }
    },
    normalize(raw) {
      if ((raw as Grade)?.explode) throw new Error('kaboom');
      const parsed = z.object({ id: z.string(), year: z.number().int(), grade: z.enum(['A', 'B', 'M', 'C', 'D']) }).safeParse(raw);
      if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
      const { id, year, grade } = parsed.data;
      return { ok: true, records: [{ entity: 'taxRating', externalId: id, fields: { year, grade, publishedOn: `${year + 1}-04-15` } }] };
    },
  };
  const bound: BoundConnector = {
    connector,
    client: null,
    transport: createTransport({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100, maxResponseBytes: 1, requestsPerSecond: 1, concurrency: 1 }),
  };
  return { bound, seen };
}

/** Holds each caller until `parties` have arrived, then lets them all go at once. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return opened;
  };
}

let testStore: TestStore;
let enterpriseId: string;

beforeAll(async () => {
  testStore = await openTestStore();
});
afterAll(() => testStore.dispose());

beforeEach(async () => {
  await testStore.reset();
  enterpriseId = (await new GraphBuilder(testStore.store.db).enterprise(1)).id;
});

const grant = () =>
  testStore.store.db
    .insertInto('consent')
    .values({ enterpriseId, scopes: ['tax'], purpose: 'p', evidenceRef: 'e', grantedBy: 't', grantedAt: now(), expiresAt: new Date(now().getTime() + 60_000) })
    .execute();
/** The test's enterprise and more, up to `count`, each with a consent to its tax data. */
async function withConsents(count: number): Promise<string[]> {
  const builder = new GraphBuilder(testStore.store.db);
  const enterprises = [enterpriseId];
  for (let n = 2; n <= count; n++) enterprises.push((await builder.enterprise(n)).id);
  await testStore.store.db
    .insertInto('consent')
    .values(enterprises.map((id) => ({ enterpriseId: id, scopes: ['tax'], purpose: 'p', evidenceRef: 'e', grantedBy: 't', grantedAt: now(), expiresAt: new Date(now().getTime() + 60_000) })))
    .execute();
  return enterprises;
}
const ratings = () =>
  testStore.store.db.selectFrom('taxRating').select(['externalId', 'grade', 'supersededAt']).orderBy('id').execute();
const reconciled = (run: { fetched: number; stored: number; duplicates: number; quarantined: number }) =>
  run.fetched === run.stored + run.duplicates + run.quarantined;

describe('the ingest engine', () => {
  it('refuses without a consent covering the scope, and never reads', async () => {
    await testStore.store.db
      .insertInto('consent')
      .values({ enterpriseId, scopes: ['tax'], purpose: 'p', evidenceRef: 'e', grantedBy: 't', grantedAt: now(), expiresAt: new Date(now().getTime() + 60_000), revokedAt: now() })
      .execute();
    const { bound, seen } = ratingSource([[{ id: 'r1', year: 2025, grade: 'A' }]]);
    const run = await new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now }).syncEnterprise(enterpriseId, bound);
    expect(run).toMatchObject({ status: 'REFUSED', fetched: 0, error: expect.stringContaining("scope 'tax'") });
    expect(seen).toEqual([]);
    expect(await ratings()).toEqual([]);
  });

  it('stores, then counts an identical re-run as duplicates, and versions a change', async () => {
    await grant();
    const engine = new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now });
    const first = await engine.syncEnterprise(enterpriseId, ratingSource([[{ id: 'r1', year: 2024, grade: 'A' }], [{ id: 'r2', year: 2025, grade: 'B' }]]).bound);
    expect(first).toMatchObject({ status: 'SUCCEEDED', fetched: 2, stored: 2, duplicates: 0, quarantined: 0 });

    await sql`DELETE FROM sync_checkpoint`.execute(testStore.store.db);
    const again = await engine.syncEnterprise(enterpriseId, ratingSource([[{ id: 'r1', year: 2024, grade: 'A' }], [{ id: 'r2', year: 2025, grade: 'B' }]]).bound);
    expect(again).toMatchObject({ status: 'SUCCEEDED', fetched: 2, stored: 0, duplicates: 2 });
    expect(await ratings()).toHaveLength(2);

    await sql`DELETE FROM sync_checkpoint`.execute(testStore.store.db);
    const changed = await engine.syncEnterprise(enterpriseId, ratingSource([[{ id: 'r2', year: 2025, grade: 'C' }, { id: 'r2', year: 2025, grade: 'C' }]]).bound);
    expect(changed).toMatchObject({ fetched: 2, stored: 1, duplicates: 1 });
    const rows = await ratings();
    expect(rows.map((row) => [row.externalId, row.grade, row.supersededAt === null])).toEqual([
      ['r1', 'A', true],
      ['r2', 'B', false],
      ['r2', 'C', true],
    ]);
  });

  it('quarantines what does not validate, or breaks the normalizer, with reasons and the payload', async () => {
    await grant();
    const run = await new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now }).syncEnterprise(
      enterpriseId,
      ratingSource([[{ id: 'r1', year: 2025, grade: 'A' }, { id: 'r2', year: '2025', grade: 'Z' }, { explode: true }, null as unknown as Grade]]).bound,
    );
    expect(run).toMatchObject({ status: 'PARTIAL', fetched: 4, stored: 1, quarantined: 3 });
    expect(reconciled(run)).toBe(true);
    const quarantined = await testStore.store.db.selectFrom('quarantinedRecord').selectAll().orderBy('id').execute();
    expect(quarantined.map((record) => record.errors)).toEqual([
      [expect.stringContaining('year'), expect.stringContaining('grade')],
      ['the normalizer failed: kaboom'],
      [expect.any(String)],
    ]);
    expect(quarantined[0]).toMatchObject({ source: 'tax', syncRunId: run.id, enterpriseId, payload: { id: 'r2', year: '2025', grade: 'Z' } });
    const raw = await sql<{ n: string }>`SELECT count(*) AS n FROM raw_payload`.execute(testStore.store.db);
    expect(Number(raw.rows[0]!.n)).toBe(4);
  });

  it('writes runs under way at once as if one after another, even when they write the same fact', async () => {
    const enterprises = await withConsents(5);
    const engine = new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now });
    // Five enterprises' upstream answers name one fact (as two parties' court records name one case), each in another version.
    const grades = ['A', 'B', 'M', 'C', 'D'];
    // All five read at once, so their batches wait for the writer together.
    const gate = barrier(grades.length);
    const runs = await Promise.all(enterprises.map((id, index) => engine.syncEnterprise(id, ratingSource([[{ id: 'r1', year: 2025, grade: grades[index] }]], undefined, gate).bound)));
    expect(runs.map((run) => [run.status, run.stored, run.duplicates])).toEqual(grades.map(() => ['SUCCEEDED', 1, 0]));
    // Every run's version is kept: each superseded the one before it, whichever order they were written in.
    const rows = await ratings();
    expect(rows.map((row) => row.grade).sort()).toEqual([...grades].sort());
    expect(rows.filter((row) => row.supersededAt === null)).toHaveLength(1);
  });

  it('fails only the run whose batch the store refuses, not the runs written with it', async () => {
    const enterprises = await withConsents(5);
    const engine = new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now });
    // A year the normalizer accepts and the store's integer column cannot hold.
    const years = [2025, 2025, 3_000_000_000, 2025, 2025];
    const gate = barrier(enterprises.length);
    const runs = await Promise.all(enterprises.map((id, index) => engine.syncEnterprise(id, ratingSource([[{ id: `r${index}`, year: years[index], grade: 'A' }]], undefined, gate).bound)));
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(runs[2]).toMatchObject({ error: expect.stringMatching(/out of range/), stored: 0 });
    expect((await ratings()).map((row) => row.externalId).sort()).toEqual(['r0', 'r1', 'r3', 'r4']);
  });

  it('keeps the pages committed before a failure and resumes after them', async () => {
    await grant();
    const pages = [[{ id: 'r1', year: 2023, grade: 'A' }], [{ id: 'r2', year: 2024, grade: 'B' }], [{ id: 'r3', year: 2025, grade: 'M' }]];
    const engine = new IngestEngine(testStore.store, { personIdSalt: 'engine-test-salt-0001', now });
    const failed = await engine.syncEnterprise(enterpriseId, ratingSource(pages, 0).bound);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'upstream went away', fetched: 1, stored: 1 });
    expect(failed.finishedAt).toBeInstanceOf(Date);

    const resumed = ratingSource(pages);
    const run = await engine.syncEnterprise(enterpriseId, resumed.bound);
    expect(resumed.seen).toEqual([{ streams: { grades: { nextPage: '1' } } }]);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fetched: 2, stored: 2, duplicates: 0 });
    expect((await ratings()).map((row) => row.externalId)).toEqual(['r1', 'r2', 'r3']);
  });
});
