import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';

/**
 * A store for one test file: an in-memory PGlite by default, or, when DATABASE_URL is set,
 * a fresh database on that PostgreSQL server, dropped again by `dispose`.
 */
export interface TestStore {
  store: Store;
  /** The database's URL on the PostgreSQL server, for processes a test starts; none for PGlite. */
  url?: string;
  /** Empties every table, keeping the schema: cheaper than a new store between tests. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const store = await openStore({ kind: 'pglite', dataDir: 'memory' });
    return { store, reset: () => truncateAll(store), dispose: () => store.close() };
  }
  const name = `creditgraph_test_${randomBytes(6).toString('hex')}`;
  await administer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  return {
    store,
    url: url.toString(),
    reset: () => truncateAll(store),
    async dispose() {
      await store.close();
      await administer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function administer(serverUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function truncateAll(store: Store) {
  const tables = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'schema_migration%'`.execute(store.db);
  const names = tables.rows.map((row) => `"${row.tablename}"`).join(', ');
  // The append-only tables refuse TRUNCATE by trigger; a test's reset is the one caller that
  // may, and replica mode (superuser, this transaction only) is how it says so.
  await store.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql.raw(`TRUNCATE ${names} RESTART IDENTITY CASCADE`).execute(trx);
  });
}
