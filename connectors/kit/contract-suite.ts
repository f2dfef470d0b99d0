/**
 * The contract every connector passes, run by each connector's `contract.test.ts`: fixtures
 * normalize to the expected canonical records; a round trip through its sandbox stores exactly
 * what the upstream holds and a re-run changes nothing; each fault kind on its own still ends
 * with the same store (or the drifted records in quarantine) and counts that reconcile; no
 * consent means REFUSED and no request; a sync killed midway (SIGKILL) resumes without
 * duplicates. Real HTTP, a real store, the real CLI.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { sql } from 'kysely';
import { clockFrom, monotonicMs } from '../../src/common/clock.js';
import { stableStringify } from '../../src/common/payload-hash.js';
import { loadPortfolio } from '../../src/demo/load.js';
import { generatePortfolio } from '../../src/demo/portfolio.js';
import type { Portfolio } from '../../src/demo/types.js';
import { environmentVariable } from '../../src/ingest/connector-config.js';
import { IngestEngine } from '../../src/ingest/engine.js';
import { bindConnector } from '../../src/ingest/registry.js';
import type { CanonicalEntity, CanonicalRecord, Normalized, Page, PersonRef } from '../../src/ingest/sdk.js';
import { hashPersonId } from '../../src/profile/person.js';
import { openStore, type Store } from '../../src/store/database.js';
import { openTestStore, type TestStore } from '../../test/support/store.js';
import type { ConnectorContract } from './contract.js';
import { FAULT_KINDS } from './faults.js';
import type { SandboxHandle } from './sandbox.js';
import { FAST_RELIABILITY } from '../../test/support/reliability.js';
import { snakeCase } from '../../src/store/bulk.js';

const CLOCK = '2026-11-01';
const SALT = 'contract-suite-salt-0001';
interface Counts {
  fetched: number;
  stored: number;
  duplicates: number;
  quarantined: number;
}


/**
 * Upstream garbage: any JSON at all, and (more often, since it reaches deeper into a
 * normalizer) a fixture record with values replaced by any JSON, keys dropped or renamed.
 */
function garbage(fixtures: unknown[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('replace', 'drop', 'rename')), { minLength: 1, maxLength: 4 }))
    .map(([fixture, changes]) => {
      const record = structuredClone(fixture);
      for (const [at, pick, value, change] of changes) mutate(record, at, pick, value, change);
      return record;
    });
  return fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 }, { arbitrary: mutated, weight: 3 });
}

/** Changes one value somewhere in a JSON tree: the `at`-th object or array met, its `pick`-th entry. */
function mutate(tree: unknown, at: number, pick: number, value: unknown, change: 'replace' | 'drop' | 'rename'): void {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const collect = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    containers.push(node as Record<string, unknown>);
    for (const child of Object.values(node)) collect(child);
  };
  collect(tree);
  if (containers.length === 0) return;
  const container = containers[at % containers.length]!;
  const keys = Object.keys(container);
  if (keys.length === 0) return;
  const key = keys[pick % keys.length]!;
  const target = container as Record<string, unknown>;
  if (change === 'replace' || Array.isArray(container)) target[key] = value;
  else if (change === 'drop') delete target[key];
  else {
    target[`${key}_v2`] = target[key];
    delete target[key];
  }
}

/** A normalizer's answer has the promised shape: records of the manifest's entities, or reasons. */
function wellFormed(answer: Normalized, entities: readonly CanonicalEntity[]): boolean {
  if (answer.ok) {
    return Array.isArray(answer.records) && answer.records.every((record) => entities.includes(record.entity) && typeof record.externalId === 'string' && record.externalId !== '');
  }
  return answer.errors.length > 0 && answer.errors.every((error) => typeof error === 'string' && error !== '');
}

const PROPERTY_SEED = 20261129;

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function expectReconciled(runs: Counts[]) {
  for (const run of runs) expect(run.fetched).toBe(run.stored + run.duplicates + run.quarantined);
}

export function runContractSuite(contract: ConnectorContract, options: { seed?: number; enterprises?: number } = {}): void {
  const { connector, sandbox: upstream } = contract;
  const { manifest } = connector;
  const entities = [...manifest.entities];

  let testStore: TestStore;
  let store: Store;
  let portfolio: Portfolio;
  let sandbox: SandboxHandle;
  let enterpriseIds: string[];
  /** The hub's today: the story's, running from its clock. */
  const now = clockFrom(`${CLOCK}T00:00:00.000Z`);

  /**
   * Removes every fact of this source, and its runs, checkpoints, quarantine, raw payloads and
   * consents; enterprises go back to what the bank knows before a registry sync, and forget the
   * states the source's syncs gave their records.
   */
  async function forgetSource(db: Store['db']) {
    for (const entity of entities) {
      if (entity === 'enterprise') {
        await sql`
          UPDATE enterprise SET status = 'UNVERIFIED', legal_form = NULL, industry_code = NULL, established_on = NULL,
            registered_capital_fen = NULL, paid_in_capital_fen = NULL, source = 'watchlist', external_id = uscc, sync_run_id = NULL, payload_hash = ''`.execute(db);
      } else {
        await sql`DELETE FROM ${sql.table(snakeCase(entity))}`.execute(db);
      }
    }
    for (const table of ['enterprise_version', 'sync_checkpoint', 'quarantined_record', 'raw_payload', 'sync_run']) {
      await sql`DELETE FROM ${sql.table(table)} WHERE source = ${manifest.id}`.execute(db);
    }
    await sql`DELETE FROM consent`.execute(db);
    await sql`DELETE FROM person_consent`.execute(db);
  }

  /** The enterprises' consent to `scopes`, and — where the source brings their data — their legal representatives' own. */
  async function grantConsent(db: Store['db'], ids: string[], scopes = [manifest.consentScope]) {
    const valid = { purpose: 'PRE_LOAN_ASSESSMENT', evidenceRef: 'contract-suite', grantedBy: 'contract-suite', grantedAt: now(), expiresAt: new Date(now().getTime() + 86_400_000) };
    for (const enterpriseId of ids) await db.insertInto('consent').values({ enterpriseId, scopes, ...valid }).execute();
    if (!manifest.personalSubjects?.includes('LEGAL_REPRESENTATIVE') || ids.length === 0) return;
    const people = new Map(portfolio.persons.map((person) => [person.key, person]));
    const enterprises = await db.selectFrom('enterprise').select(['id', 'uscc']).where('id', 'in', ids).execute();
    for (const { id, uscc } of enterprises) {
      const keys = new Set(portfolio.enterprises.find((bundle) => bundle.uscc === uscc)!.relations.flatMap((r) => (r.type === 'LEGAL_REPRESENTATIVE' && r.from.kind === 'PERSON' ? [r.from.personKey] : [])));
      for (const key of keys) {
        const person = people.get(key)!;
        await db
          .insertInto('personConsent')
          .values({ personIdHash: hashPersonId(SALT, person.idNumber), maskedIdNumber: '-', name: person.name, enterpriseId: id, role: 'LEGAL_REPRESENTATIVE', scopes, ...valid })
          .execute();
      }
    }
  }

  async function syncAll(): Promise<(Counts & { status: string; error: string | null })[]> {
    const engine = new IngestEngine(store, { personIdSalt: SALT, now });
    const bound = bindConnector(connector, upstream.config(sandbox.url), FAST_RELIABILITY);
    const runs = [];
    for (const id of enterpriseIds) runs.push(await engine.syncEnterprise(id, bound));
    return runs;
  }

  /** The upstream's records as of its clock, keyed `entity|externalId`. */
  function upstreamFacts(): Map<string, CanonicalRecord> {
    const facts = new Map<string, CanonicalRecord>();
    for (const enterprise of portfolio.enterprises) {
      for (const record of contract.expected(enterprise, sandbox.clock(), portfolio)) facts.set(`${record.entity}|${record.externalId}`, record);
    }
    return facts;
  }

  /**
   * The store's current facts from this source, each projected on the fields the upstream's
   * record has; links (`against`, `from`) compared as the person's ID hash or the enterprise's USCC.
   */
  async function storedFacts(expected: Map<string, CanonicalRecord>): Promise<Map<string, string>> {
    const fieldsOf = new Map<CanonicalEntity, string[]>();
    for (const record of expected.values()) if (!fieldsOf.has(record.entity)) fieldsOf.set(record.entity, Object.keys(record.fields));
    const personHash = new Map((await store.db.selectFrom('person').select(['id', 'idHash']).execute()).map((row) => [String(row.id), row.idHash]));
    const usccOf = new Map((await store.db.selectFrom('enterprise').select(['id', 'uscc']).execute()).map((row) => [String(row.id), row.uscc]));
    const stored = (row: Record<string, unknown>, field: string): unknown => {
      if (field === 'against') return row.personId == null ? null : personHash.get(String(row.personId));
      if (field === 'from') return row.fromPersonId != null ? personHash.get(String(row.fromPersonId)) : usccOf.get(String(row.fromEnterpriseId));
      return comparable(row[field]);
    };
    const facts = new Map<string, string>();
    for (const entity of entities) {
      const current = entity === 'enterprise' ? sql`` : sql`AND superseded_at IS NULL`;
      const rows = await sql<Record<string, unknown>>`
        SELECT * FROM ${sql.table(snakeCase(entity))} WHERE source = ${manifest.id} ${current}`.execute(store.db);
      for (const row of rows.rows) {
        const fields = fieldsOf.get(entity) ?? [];
        facts.set(`${entity}|${String(row.externalId)}`, stableStringify(fields.map((field) => stored(row, field))));
      }
    }
    return facts;
  }

  const linked = (field: string, value: unknown): unknown => {
    const person = (ref: PersonRef) => hashPersonId(SALT, ref.idNumber);
    if (field === 'against') return value === null ? null : person(value as PersonRef);
    if (field === 'from') return 'person' in (value as object) ? person((value as { person: PersonRef }).person) : (value as { uscc: string }).uscc;
    return comparable(value);
  };
  const project = (expected: Map<string, CanonicalRecord>) =>
    new Map([...expected].map(([key, record]) => [key, stableStringify(Object.entries(record.fields).map(([field, value]) => linked(field, value)))]));

  describe(`the ${manifest.id} connector's contract`, () => {
    beforeAll(async () => {
      testStore = await openTestStore();
      store = testStore.store;
      portfolio = generatePortfolio({ seed: options.seed ?? 11, enterprises: options.enterprises ?? 5, clock: CLOCK });
      await loadPortfolio(store, portfolio, { personIdSalt: SALT });
      sandbox = await upstream.start({ portfolio });
      enterpriseIds = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    }, 120_000);

    afterAll(async () => {
      await sandbox?.close();
      await testStore?.dispose();
    });

    beforeEach(async () => {
      await forgetSource(store.db);
      sandbox.setFaults({ rate: 0 });
    });

    it.each(contract.fixtures.map((fixture) => [fixture.name, fixture] as const))('normalizes the fixture %s', (_, fixture) => {
      expect(fixture.records.map((raw) => connector.normalize(raw, { uscc: fixture.uscc, stream: fixture.stream }))).toEqual(fixture.expected);
    });

    describe('on upstream garbage', () => {
      const streams = [...new Set(contract.fixtures.map((fixture) => fixture.stream))];
      const fixtures = contract.fixtures.flatMap((fixture) => fixture.records);
      const uscc = contract.fixtures[0]!.uscc;

      it('the normalizer answers every input with records or reasons, and never throws', () => {
        fc.assert(
          fc.property(garbage(fixtures), fc.constantFrom(...streams), (raw, stream) => wellFormed(connector.normalize(raw, { uscc, stream }), entities)),
          { seed: PROPERTY_SEED, numRuns: 1000 },
        );
      });

      it('a sync of garbage succeeds, and every record is stored, a duplicate, or in quarantine with its reasons', async () => {
        const engine = new IngestEngine(store, { personIdSalt: SALT, now });
        const [enterpriseId] = enterpriseIds;
        await grantConsent(store.db, [enterpriseId!]);
        // The fixtures as the upstream would send them for this enterprise.
        const { uscc: ours } = await store.db.selectFrom('enterprise').select('uscc').where('id', '=', enterpriseId!).executeTakeFirstOrThrow();
        const theirs = contract.fixtures.flatMap((fixture) => fixture.records.map((record) => JSON.parse(JSON.stringify(record).replaceAll(fixture.uscc, ours)) as unknown));
        const seen = { stored: 0, quarantined: 0 };
        const pages = fc.array(fc.tuple(fc.constantFrom(...streams), fc.array(garbage(theirs), { minLength: 1, maxLength: 12 })), { minLength: 1, maxLength: 3 });
        await fc.assert(
          fc.asyncProperty(pages, async (generated) => {
            // The connector's own normalizer behind pages held in memory: the upstream's garbage as it would arrive.
            const garbageReader: typeof connector = {
              ...connector,
              async *read(): AsyncGenerator<Page> {
                for (const [stream, records] of generated) yield { stream, records, checkpoint: { streams: {} } };
              },
            };
            const bound = bindConnector(garbageReader, upstream.config(sandbox.url), FAST_RELIABILITY);
            const run = await engine.syncEnterprise(enterpriseId!, bound);
            const fetched = generated.reduce((sum, [, records]) => sum + records.length, 0);
            expect([run.status, run.error]).toEqual([run.quarantined > 0 ? 'PARTIAL' : 'SUCCEEDED', null]);
            expect(run.fetched).toBe(fetched);
            expectReconciled([run]);
            const quarantined = await store.db.selectFrom('quarantinedRecord').select('errors').where('syncRunId', '=', run.id).execute();
            expect(quarantined).toHaveLength(run.quarantined);
            for (const record of quarantined) expect((record.errors as string[]).length).toBeGreaterThan(0);
            seen.stored += run.stored;
            seen.quarantined += run.quarantined;
          }),
          { seed: PROPERTY_SEED, numRuns: 40 },
        );
        // The garbage reached both ends: some of it was still good enough to store.
        expect(seen.stored).toBeGreaterThan(0);
        expect(seen.quarantined).toBeGreaterThan(0);
      }, 120_000);
    });

    it('copies the upstream exactly through its sandbox, and a re-run changes nothing', async () => {
      await grantConsent(store.db, enterpriseIds);
      const runs = await syncAll();
      expect(runs.map((run) => [run.status, run.error])).toEqual(enterpriseIds.map(() => ['SUCCEEDED', null]));
      expectReconciled(runs);
      const expected = upstreamFacts();
      expect(expected.size).toBeGreaterThan(0);
      expect(await storedFacts(expected)).toEqual(project(expected));
      // Resident ID numbers never reach the store in clear, not even inside raw payloads.
      const kept = await sql<{ payload: string }>`SELECT payload::text AS payload FROM raw_payload WHERE source = ${manifest.id}`.execute(store.db);
      const clear = portfolio.persons.map((person) => person.idNumber);
      expect(kept.rows.filter((row) => clear.some((idNumber) => row.payload.includes(idNumber)))).toEqual([]);
      // Each is kept as the text its hash was taken of, so the hash can be checked from the store.
      const unverifiable = await sql<{ n: string }>`
        SELECT count(*) AS n FROM raw_payload
        WHERE source = ${manifest.id} AND encode(sha256(convert_to(payload::text, 'UTF8')), 'hex') <> payload_hash`.execute(store.db);
      expect([kept.rows.length > 0, Number(unverifiable.rows[0]!.n)]).toEqual([true, 0]);

      const rows = async () => {
        let total = 0;
        for (const entity of entities) total += Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(snakeCase(entity))}`.execute(store.db)).rows[0]!.n);
        return total;
      };
      const before = await rows();
      const again = await syncAll();
      expectReconciled(again);
      expect(again.map((run) => [run.status, run.stored])).toEqual(enterpriseIds.map(() => ['SUCCEEDED', 0]));
      expect(await rows()).toBe(before);
    });

    it('refuses without consent for its scope, and no request reaches the upstream', async () => {
      await grantConsent(store.db, enterpriseIds.slice(1));
      await grantConsent(store.db, enterpriseIds.slice(0, 1), ['some-other-scope']);
      const requests = sandbox.stats().requests;
      const engine = new IngestEngine(store, { personIdSalt: SALT, now });
      const run = await engine.syncEnterprise(enterpriseIds[0]!, bindConnector(connector, upstream.config(sandbox.url), FAST_RELIABILITY));
      expect(run).toMatchObject({ status: 'REFUSED', fetched: 0, error: expect.stringContaining(`no valid consent covers scope '${manifest.consentScope}'`) });
      expect(sandbox.stats().requests).toBe(requests);
      expect((await storedFacts(upstreamFacts())).size).toBe(0);
    });

    it.each(FAULT_KINDS.filter((kind) => kind !== 'drift'))(
      'ends with the same store when the upstream answers with %s faults',
      async (kind) => {
        // A 429 costs its Retry-After (a second) and a timeout its timeout: fewer of them keep
        // the suite quick. An upstream with few requests may draw no fault from one seed: the
        // sync is repeated from scratch with the next seed until one was applied.
        const rate = kind === 'http429' || kind === 'timeout' ? 0.1 : 0.3;
        for (let seed = 5; ; seed++) {
          await forgetSource(store.db);
          await grantConsent(store.db, enterpriseIds);
          const applied = sandbox.stats().faults[kind] ?? 0;
          sandbox.setFaults({ rate, kinds: [kind], seed });
          const runs = await syncAll();
          expectReconciled(runs);
          expect(runs.map((run) => [run.status, run.error])).toEqual(enterpriseIds.map(() => ['SUCCEEDED', null]));
          const expected = upstreamFacts();
          expect(await storedFacts(expected)).toEqual(project(expected));
          if ((sandbox.stats().faults[kind] ?? 0) > applied) break;
          expect(seed).toBeLessThan(15);
        }
      },
      60_000,
    );

    it('quarantines records that drifted from the schema, with their reasons, and stores the rest exactly', async () => {
      await grantConsent(store.db, enterpriseIds);
      sandbox.setFaults({ rate: 0.5, kinds: ['drift'], seed: 9 });
      const runs = await syncAll();
      expectReconciled(runs);
      const quarantined = await store.db.selectFrom('quarantinedRecord').selectAll().where('source', '=', manifest.id).execute();
      expect(quarantined.length).toBeGreaterThan(0);
      expect(runs.reduce((sum, run) => sum + run.quarantined, 0)).toBe(quarantined.length);
      expect(runs.some((run) => run.status === 'PARTIAL')).toBe(true);
      for (const record of quarantined) {
        expect(record.payload).toBeTruthy();
        expect((record.errors as string[]).length).toBeGreaterThan(0);
      }
      const expected = project(upstreamFacts());
      const stored = await storedFacts(upstreamFacts());
      for (const [key, value] of stored) expect([key, value]).toEqual([key, expected.get(key)]);
      const quarantinedIds = new Set(quarantined.map((record) => record.externalId));
      for (const key of expected.keys()) {
        if (!stored.has(key)) expect([key, quarantinedIds.has(key.slice(key.indexOf('|') + 1))]).toEqual([key, true]);
      }
    });

    it('resumes a sync killed midway (SIGKILL) without duplicates, through the CLI', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), `creditgraph-contract-${manifest.id}-`));
      try {
        const fileStore = await openStore({ kind: 'pglite', dataDir });
        await loadPortfolio(fileStore, portfolio, { personIdSalt: SALT });
        await forgetSource(fileStore.db);
        await grantConsent(fileStore.db, (await fileStore.db.selectFrom('enterprise').select('id').execute()).map((row) => row.id));
        await fileStore.close();

        const config = upstream.config(sandbox.url) as Record<string, string>;
        const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', HUB_URL: '', LOG_LEVEL: 'silent', CLOCK_START: now().toISOString() };
        for (const [key, value] of Object.entries(config)) environment[environmentVariable(manifest.id, key)] = value;
        const cli = ['--import', 'tsx', 'src/cli/main.ts', 'sync', '--all', '--source', manifest.id];
        // The operator's token, signed with the data folder's development secret.
        const token = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', '--role', 'DATA_ENGINEER', '--user', 'contract-suite'], { env: environment });
        environment.HUB_TOKEN = token.stdout.trim();

        // Every answer slowed down, so the kill lands mid-run.
        sandbox.setFaults({ rate: 1, kinds: ['latency'], seed: 1 });
        const requests = sandbox.stats().requests;
        const child = spawn(process.execPath, cli, { env: environment, stdio: 'ignore' });
        const started = monotonicMs();
        while (monotonicMs() - started < 60_000 && sandbox.stats().requests - requests < 4) await new Promise((resolve) => setTimeout(resolve, 100));
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));

        sandbox.setFaults({ rate: 0 });
        const { stdout } = await promisify(execFile)(process.execPath, cli, { env: environment });
        expect(stdout).toContain(manifest.id);

        const after = await openStore({ kind: 'pglite', dataDir });
        try {
          for (const entity of entities.filter((name) => name !== 'enterprise')) {
            const table = sql.table(snakeCase(entity));
            const { rows } = await sql<{ total: string; distinct: string }>`
              SELECT count(*) AS total, count(DISTINCT external_id) AS distinct FROM ${table} WHERE superseded_at IS NULL`.execute(after.db);
            expect([entity, rows[0]!.total]).toEqual([entity, rows[0]!.distinct]);
            const superseded = await sql<{ n: string }>`SELECT count(*) AS n FROM ${table} WHERE superseded_at IS NOT NULL`.execute(after.db);
            expect([entity, superseded.rows[0]!.n]).toEqual([entity, '0']);
          }
          const expected = upstreamFacts();
          const total = async () => {
            let n = 0;
            for (const entity of entities) n += Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(snakeCase(entity))}`.execute(after.db)).rows[0]!.n);
            return n;
          };
          expect(await total()).toBe(expected.size);
        } finally {
          await after.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 180_000);
  });
}
