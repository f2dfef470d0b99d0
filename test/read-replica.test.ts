import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { openStore, type Store } from '../src/store/database.js';
import { MAX_REPLICA_LAG_SECONDS } from '../src/store/read-your-writes.js';
import { GraphBuilder } from './support/fixtures.js';
import { startTestHub, type GraphQLClient, type TestHub } from './support/hub.js';
import { createPgCluster, type PgCluster } from './support/pg-cluster.js';
import { describeOnServer } from './support/server-suite.js';

/**
 * DATABASE_READ_URL: a streaming replica (pg_basebackup of the test's own primary) serves the
 * profile reads of queries, and nobody reads a state older than their own writes. Pausing the
 * replica's replay makes what it serves visible: a state that stopped at the pause.
 *
 * A database-server suite: it runs against PostgreSQL (DATABASE_URL set, as in CI).
 */

const GRANT = 'mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id enterprise { consents { id } } } }';
const CONSENTS = 'query($id: ID!) { enterprise(id: $id) { consents { id } } }';

describeOnServer('a read replica', () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let store: Store;
  let hub: TestHub;
  const inAYear = () => new Date(hub.now().getTime() + 365 * 86_400_000).toISOString();
  let enterpriseId: string;
  let writer: GraphQLClient;
  let reader: GraphQLClient;

  const onServer = async <T>(url: string, text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const caughtUp = async () => {
    const { lsn } = (await onServer<{ lsn: string }>(primary.url, 'SELECT pg_current_wal_lsn()::text AS lsn'))[0]!;
    for (let waited = 0; ; waited += 50) {
      const { done } = (await onServer<{ done: boolean }>(replica.url, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`))[0]!;
      if (done) return;
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const pauseReplay = () => onServer(replica.url, 'SELECT pg_wal_replay_pause()');
  const resumeReplay = () => onServer(replica.url, 'SELECT pg_wal_replay_resume()');
  /** The hub's count of requests whose reads went to `to`, for `reason`. */
  const routed = async (to: string, reason: string) => {
    const text = await (await fetch(`${hub.hub.url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`creditgraph_reads_routed_total{to="${to}",reason="${reason}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };
  const grant = async (client: GraphQLClient, scope: string) => {
    const response = await client.query<{ grantConsent: { id: string; enterprise: { consents: { id: string }[] } } }>(GRANT, {
      input: { enterpriseId, scopes: [scope], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: inAYear(), evidenceRef: `contract/${scope}.pdf` },
    });
    expect(response.errors).toBeUndefined();
    // A mutation reads the primary: its own result includes what it wrote.
    expect(response.data!.grantConsent.enterprise.consents.map((consent) => consent.id)).toContain(response.data!.grantConsent.id);
    return response.data!.grantConsent.id;
  };
  const consentIds = async (client: GraphQLClient) => {
    const response = await client.query<{ enterprise: { consents: { id: string }[] } }>(CONSENTS, { id: enterpriseId });
    expect(response.errors).toBeUndefined();
    return response.data!.enterprise.consents.map((consent) => consent.id);
  };

  beforeAll(async () => {
    primary = await createPgCluster();
    replica = await createPgCluster({ replicaOf: primary });
    store = await openStore({ kind: 'postgres', url: primary.url, poolSize: 4, readUrl: replica.url });
    await new GraphBuilder(store.db).enterprise(7, { name: '副本测试有限公司' });
    hub = await startTestHub(store);
    // Credit officers: who records consents, and who reads.
    writer = hub.as('officer-writer', 'ANALYST');
    reader = hub.as('officer-reader', 'ANALYST');
    const page = await hub.query<{ enterprises: { edges: { node: { id: string } }[] } }>('{ enterprises(first: 1) { edges { node { id } } } }');
    enterpriseId = page.data!.enterprises.edges[0]!.node.id;
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    await store?.close();
    await replica?.dispose();
    await primary?.dispose();
  });

  it("serves a query's reads from the replica, and a user's own writes from the primary until the replica has them", async () => {
    // A fresh commit the replica has replayed, then the replay stopped: the replica's state is frozen, and not yet lagging.
    const before = await grant(hub.as('officer-other', 'ANALYST'), 'court');
    await caughtUp();
    await pauseReplay();
    try {
      const replicaReads = await routed('replica', 'replica');
      const ownWriteReads = await routed('primary', 'own_write');
      const written = await grant(writer, 'tax');

      // The writer reads their write back (from the primary); another user reads the replica's state without it.
      expect(await consentIds(writer)).toEqual(expect.arrayContaining([before, written]));
      const seen = await consentIds(reader);
      expect(seen).toContain(before);
      expect(seen).not.toContain(written);
      expect(await routed('primary', 'own_write')).toBe(ownWriteReads + 1);
      expect(await routed('replica', 'replica')).toBe(replicaReads + 1);
    } finally {
      await resumeReplay();
    }
    await caughtUp();
    const replicaReads = await routed('replica', 'replica');
    expect((await consentIds(reader)).length).toBe((await consentIds(writer)).length);
    // Once the replica has replayed the write, the writer reads it there too.
    expect(await routed('replica', 'replica')).toBe(replicaReads + 2);
    expect(await routed('primary', 'mutation')).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('reads the primary while the replica is too far behind or unreachable', async () => {
    await caughtUp();
    await pauseReplay();
    try {
      const written = await grant(writer, 'utility');
      // The replica's last replayed commit grows older than the limit while the primary has newer ones.
      await new Promise((resolve) => setTimeout(resolve, (MAX_REPLICA_LAG_SECONDS + 1) * 1000));
      const lagging = await routed('primary', 'replica_lagging');
      expect(await consentIds(reader)).toContain(written);
      expect(await routed('primary', 'replica_lagging')).toBe(lagging + 1);
    } finally {
      await resumeReplay();
    }

    await replica.stop();
    try {
      const unavailable = await routed('primary', 'replica_unavailable');
      const written = await grant(writer, 'invoice');
      expect(await consentIds(reader)).toContain(written);
      expect(await consentIds(reader)).toContain(written);
      expect(await routed('primary', 'replica_unavailable')).toBe(unavailable + 2);
    } finally {
      await replica.start();
    }
    await caughtUp();
    // Tried again once its back-off (5 s) has passed.
    const replicaReads = await routed('replica', 'replica');
    for (let waited = 0; (await routed('replica', 'replica')) === replicaReads; waited += 500) {
      expect(waited).toBeLessThan(15_000);
      await consentIds(reader);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 90_000);
});

describe('replica and pooler settings', () => {
  it('need DATABASE_URL, and are URLs', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://replica/db' })).toThrow('DATABASE_READ_URL: only with DATABASE_URL (the embedded store has no replica or pooler)');
    expect(() => loadConfig({ DATABASE_DIRECT_URL: 'postgres://server/db' })).toThrow('DATABASE_DIRECT_URL: only with DATABASE_URL');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://primary/db', DATABASE_READ_URL: 'replica' })).toThrow(/DATABASE_READ_URL: /);
    expect(loadConfig({ DATABASE_URL: 'postgres://bouncer/db', DATABASE_READ_URL: 'postgres://replica/db', DATABASE_DIRECT_URL: 'postgres://server/db' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://bouncer/db',
      poolSize: 10,
      readUrl: 'postgres://replica/db',
      directUrl: 'postgres://server/db',
    });
  });
});
