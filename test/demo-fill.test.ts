import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { sources } from '../connectors/index.js';
import { ROLES } from '../src/auth/roles.js';
import { enterprisesToFill, fillThroughConnectors, registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio } from '../src/world/index.js';
import { createServices } from '../src/graphql/context.js';
import type { Store } from '../src/store/database.js';
import { openTestStore, type TestStore } from './support/store.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
import { testClock } from './support/clock.js';

/**
 * The demo as `npm start` runs it: the store filled from the sandboxes through the
 * connectors — and, with every sandbox misbehaving, filled the same, except what the
 * upstreams sent malformed, which is in quarantine.
 */
const portfolio = generatePortfolio({ seed: 7, enterprises: 10, clock: '2026-11-01' });
const personIdSalt = 'demo-fill-test-salt-0001';
const FACT_TABLES = ['relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month'];

async function fill(store: Store, faults: Record<string, number>) {
  const upstreams: DemoUpstreams = await startDemoUpstreams(portfolio, faults);
  try {
    const now = testClock();
    await registerDemoEnterprises(store, portfolio, now(), personIdSalt);
    const services = createServices(store, { now, personIdSalt, upstreams: upstreams.configs, reliability: FAST_RELIABILITY });
    const pending = await enterprisesToFill(store, [...upstreams.configs.keys()]);
    return await fillThroughConnectors(services.ingest, pending, { concurrency: 4, report: () => undefined });
  } finally {
    await upstreams.close();
  }
}

/** Every current fact by table and external id, as its content hash; and the enterprises' registry records. */
async function contents(store: Store) {
  const facts = new Map<string, string>();
  for (const table of FACT_TABLES) {
    const rows = await sql<{ externalId: string; payloadHash: string }>`
      SELECT external_id, payload_hash FROM ${sql.table(table)} WHERE superseded_at IS NULL`.execute(store.db);
    for (const row of rows.rows) facts.set(`${table}|${row.externalId}`, row.payloadHash);
  }
  const enterprises = await store.db.selectFrom('enterprise').select(['uscc', 'externalId', 'status', 'payloadHash']).execute();
  for (const e of enterprises) facts.set(`enterprise|${e.uscc}`, `${e.status}|${e.payloadHash}`);
  return facts;
}

/** The court's facts by key (as in `contents`), with the USCC of the enterprise whose sync brought each. */
async function courtFactOwners(store: Store) {
  const owners = new Map<string, string>();
  for (const table of ['court_case', 'enforcement']) {
    const rows = await sql<{ externalId: string; uscc: string }>`
      SELECT f.external_id, e.uscc FROM ${sql.table(table)} f JOIN sync_run r ON r.id = f.sync_run_id JOIN enterprise e ON e.id = r.enterprise_id`.execute(store.db);
    for (const row of rows.rows) owners.set(`${table}|${row.externalId}`, row.uscc);
  }
  return owners;
}

describe('the demo fill through the connectors', () => {
  let clean: TestStore;
  let faulty: TestStore;
  beforeAll(async () => {
    clean = await openTestStore();
    faulty = await openTestStore();
  }, 60_000);
  afterAll(async () => {
    await clean?.dispose();
    await faulty?.dispose();
  });

  it('ends with the same store with every sandbox misbehaving, except what the upstreams sent malformed and what needed it', async () => {
    const everySource = Object.fromEntries(sources.map((source) => [source.connector.manifest.id, 0.2]));
    const cleanFill = await fill(clean.store, {});
    const faultyFill = await fill(faulty.store, everySource);
    expect(cleanFill).toMatchObject({ enterprises: 10, runs: 10 * sources.length, failed: 0, quarantined: 0 });
    expect(faultyFill).toMatchObject({ enterprises: 10, runs: 10 * sources.length });
    // The one run that may not end well: court's, refused (nothing fetched) where the legal
    // representative whose own authorization its answers need came in malformed and is unknown.
    const refused = await faulty.store.db
      .selectFrom('syncRun')
      .innerJoin('enterprise', 'enterprise.id', 'syncRun.enterpriseId')
      .select(['syncRun.source', 'syncRun.status', 'syncRun.fetched', 'enterprise.id', 'enterprise.uscc'])
      .where('syncRun.status', 'in', ['FAILED', 'REFUSED'])
      .execute();
    expect(refused.length).toBe(faultyFill.failed);
    const representatives = new Set(
      (await faulty.store.db.selectFrom('relation').select('toEnterpriseId').where('type', '=', 'LEGAL_REPRESENTATIVE').where('supersededAt', 'is', null).execute()).map((row) => row.toEnterpriseId),
    );
    const malformedRegistry = new Set(
      (await faulty.store.db.selectFrom('quarantinedRecord').select('enterpriseId').where('source', '=', 'registry').execute()).map((row) => row.enterpriseId),
    );
    for (const run of refused) {
      expect({ source: run.source, status: run.status, fetched: run.fetched, representativeKnown: representatives.has(run.id), registryMalformed: malformedRegistry.has(run.id) }).toEqual({
        source: 'court',
        status: 'REFUSED',
        fetched: 0,
        representativeKnown: false,
        registryMalformed: true,
      });
    }
    const courtUnfetched = new Set(refused.map((run) => run.uscc));
    for (const summary of [cleanFill, faultyFill]) expect(summary.fetched).toBe(summary.stored + summary.duplicates + summary.quarantined);
    expect(faultyFill.quarantined).toBeGreaterThan(0);

    const expected = await contents(clean.store);
    const actual = await contents(faulty.store);
    const quarantined = await faulty.store.db.selectFrom('quarantinedRecord').select(['externalId', 'enterpriseId']).execute();
    const quarantinedIds = new Set(quarantined.map((record) => record.externalId));
    const unverified = new Set(
      (await faulty.store.db.selectFrom('enterprise').select('uscc').where('status', '=', 'UNVERIFIED').execute()).map((row) => `enterprise|${row.uscc}`),
    );
    for (const [key, hash] of actual) {
      if (unverified.has(key)) continue; // its registry record was the malformed one
      expect([key, hash]).toEqual([key, expected.get(key)]);
    }
    const courtOf = await courtFactOwners(clean.store);
    for (const key of expected.keys()) {
      if (!actual.has(key)) expect([key, quarantinedIds.has(key.slice(key.indexOf('|') + 1)) || courtUnfetched.has(courtOf.get(key) ?? '')]).toEqual([key, true]);
    }
  }, 180_000);
});

describe('npm start', () => {
  it('answers while it fills the store through the connectors, and logs when the fill is complete', async () => {
    // The story's first 13 enterprises are the fewest with a record of every source (the 13th has court cases).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, DATA_DIR: 'memory', DATABASE_URL: '', PORT: '0', DEMO_ENTERPRISES: '13', LOG_LEVEL: 'info', SANDBOX_FAULTS: 'tax=0.2,invoice=0.2' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let url: string | undefined;
      const tokens = new Map<string, string>();
      let answeredDuringFill: boolean | undefined;
      let complete: { runs: number; failed: number } | undefined;
      const ask = (query: string, token: string | undefined) =>
        fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query }),
        });
      for await (const line of lines) {
        const up = /GraphQL at (http:\/\/\S+)\/graphql/.exec(line);
        if (up) url = up[1];
        const token = /^ {2}([A-Z_]+) +(\S+\.\S+\.\S+)$/.exec(line);
        if (token) tokens.set(token[1]!, token[2]!);
        if (line.startsWith('Try')) {
          // The welcome is printed whole: every role's token is in hand.
          expect([...tokens.keys()].sort()).toEqual([...ROLES].sort());
          expect((await ask('{ enterprises(first: 1) { totalCount } }', undefined)).status).toBe(401);
          const response = await ask('{ viewer { user roles } enterprises(first: 1) { totalCount } }', tokens.get('ANALYST'));
          expect(response.status).toBe(200);
          expect(await response.json()).toMatchObject({ data: { viewer: { user: 'demo-analyst', roles: ['ANALYST'] } } });
          answeredDuringFill = complete === undefined;
        }
        if (line.includes('"demo fill complete"')) {
          complete = JSON.parse(line) as { runs: number; failed: number };
          break;
        }
      }
      expect(answeredDuringFill).toBe(true);
      expect(complete).toMatchObject({ runs: 13 * sources.length, failed: 0 });
      const inventory = await ask('{ dataInventory { source } }', tokens.get('DATA_ENGINEER'));
      const body = (await inventory.json()) as { data: { dataInventory: { source: string }[] } };
      expect(new Set(body.data.dataInventory.map((row) => row.source))).toEqual(new Set(sources.map((source) => source.connector.manifest.id)));
    } finally {
      child.kill('SIGTERM');
    }
  }, 180_000);
});
