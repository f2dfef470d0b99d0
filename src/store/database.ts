import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type LogEvent,
  type TransactionSettings,
} from 'kysely';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreConfig } from '../config/config.js';
import { lockDataDir } from './data-dir-lock.js';
import { migrateToLatest } from './migrate.js';
import { pgliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface Store {
  /** The primary: every write, and every read that must not lag. */
  readonly db: Db;
  /** A streaming replica of `db` (DATABASE_READ_URL), whose reads may lag a little behind it. */
  readonly replica: Db | undefined;
  readonly kind: StoreConfig['kind'];
  /**
   * A Db whose statements go to the replica or the primary, as `choose` decides when the first
   * of them runs (once): what a request's reads use, decided after its operation is known. When
   * the replica cannot be reached, they go to the primary and `onReplicaUnreachable` is told.
   * `db` itself when there is no replica.
   */
  route(choose: () => Promise<'primary' | 'replica'>, onReplicaUnreachable: () => void): Db;
  /** SQL statements executed since the store opened: how tests and benchmarks catch N+1. */
  statementCount(): number;
  /** True when a trivial statement succeeds within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * Runs SQL text as a library wrote it (the job queue brings its own): with values, one
   * statement; without, any number of them, e.g. a migration wrapped in BEGIN and COMMIT.
   */
  runSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` from any process on this
   * database, after the sending transaction commits, until the returned function is called.
   * Against a server it holds a connection of its own, reconnected after the server went away;
   * notifications sent meanwhile are not delivered, and `onReconnect` is called once it is back
   * so the caller can catch up from the tables.
   */
  listen(channel: string, handler: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Apply pending migrations before returning. @default true */
  migrate?: boolean;
  /** Called with each failed statement (and each statement at debug level). */
  onLog?: (event: LogEvent) => void;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const identity = (value: string) => value;

export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  let statements = 0;
  const log = (event: LogEvent) => {
    statements++;
    options.onLog?.(event);
  };
  const { dialect, replicaDialect, release, runSql, listen } = config.kind === 'postgres' ? postgresDialect(config) : { ...(await embeddedDialect(config)), replicaDialect: undefined };
  const listening = new Set<() => Promise<void>>();
  const plugins = [new CamelCasePlugin()];
  const db = new Kysely<Database>({ dialect, log, plugins });
  const replica = replicaDialect && new Kysely<Database>({ dialect: replicaDialect, log, plugins });
  let route: Store['route'] = () => db;
  if (replicaDialect) {
    // Drivers of their own over the same pools: a per-request Kysely borrows them, and
    // destroying it (never done) is the only thing that would end them.
    const drivers = { primary: dialect.createDriver(), replica: replicaDialect.createDriver() };
    await Promise.all([drivers.primary.init(), drivers.replica.init()]);
    route = (choose, onReplicaUnreachable) =>
      new Kysely<Database>({
        dialect: {
          createAdapter: () => replicaDialect.createAdapter(),
          createQueryCompiler: () => replicaDialect.createQueryCompiler(),
          createIntrospector: (kysely) => replicaDialect.createIntrospector(kysely),
          createDriver: () => new RoutingDriver(drivers, choose, onReplicaUnreachable),
        },
        log,
        plugins,
      });
  }
  const store: Store = {
    db,
    replica,
    route,
    kind: config.kind,
    statementCount: () => statements,
    runSql: (text, values) => runSql(db, text, values),
    async listen(channel, handler, onReconnect) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new RangeError(`'${channel}' is not a channel name`);
      const stop = await listen(channel, handler, onReconnect);
      const unlisten = async () => {
        listening.delete(unlisten);
        await stop();
      };
      listening.add(unlisten);
      return unlisten;
    },
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
        });
        await Promise.race([sql`SELECT 1`.execute(db), timeout]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all([...listening].map((unlisten) => unlisten()));
      await Promise.all([db.destroy(), replica?.destroy()]);
      release();
    },
  };
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db as unknown as Kysely<unknown>);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/**
 * Whether an error says the database server cannot be reached or went away (as opposed to a
 * statement it refused): the connection refused, reset or timed out, the session terminated by
 * a shutdown or a crash, or the server not accepting connections yet. Looks through `cause`s.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/i.test(current.message)) return true;
  }
  return false;
}

/** Socket errors, and SQLSTATEs 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (class 08 is connection exceptions). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03']);

function postgresDialect(config: Extract<StoreConfig, { kind: 'postgres' }>) {
  // Behind a transaction pooler each statement may run on another server session, so nothing
  // may live in one: neither startup settings (pgbouncer refuses them) nor prepared statements.
  const sessions = config.directUrl === undefined;
  const pool = createPool(config.url, config.poolSize, sessions);
  const replicaPool = config.readUrl === undefined ? undefined : createPool(config.readUrl, config.poolSize, true);
  const runSql = async (_db: Db, text: string, values?: readonly unknown[]) => pool.query(text, values === undefined ? undefined : [...values]);
  const listenUrl = config.directUrl ?? config.url;
  return {
    dialect: new PostgresDialect({ pool }),
    replicaDialect: replicaPool && new PostgresDialect({ pool: replicaPool }),
    release: () => undefined,
    runSql,
    listen: (channel: string, handler: (payload: string) => void, onReconnect?: () => void) => listenOnServer(listenUrl, channel, handler, onReconnect),
  };
}

function createPool(url: string, size: number, sessions: boolean): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    // With the server unreachable in a way that drops packets, a request fails after this long instead of waiting for ever.
    connectionTimeoutMillis: 10_000,
    // JIT compiling pays off for long analytical queries only: on the feature batches, whose
    // estimated cost crosses the JIT threshold, it spent 0.6 s compiling a 30 ms query. The
    // batches' aggregates sort some 80,000 invoice rows, which spill to disk at the default 4 MB.
    // The reads are prepared (below) and take their ids as one array, so one generic plan per
    // statement serves every call: the risk view's statement plans in 9 ms and runs in 3, and
    // custom plans would plan it again on every request. Behind a pooler the same settings belong
    // on the database role (README, "Scaling out").
    ...(sessions ? { options: '-c jit=off -c work_mem=16MB -c plan_cache_mode=force_generic_plan' } : {}),
    // Keep bigint, numeric and date as strings, as PGlite does below: exact and zone-free.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE || oid === INT8 || oid === NUMERIC
          ? identity
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener the
  // process would exit. The next query gets a fresh connection or a clear error instead.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // The same for a client checked out between two statements (a transaction doing work in
    // between): the pool listens only to idle ones. Its next statement fails, and says why.
    client.on('error', () => undefined);
    if (sessions) prepareReads(client);
  });
  return pool;
}

/**
 * A driver that picks the primary's or the replica's when asked for its first connection, and
 * hands every later call to the driver that gave the connection. Each connection it hands out
 * is a new object over the pool's: Kysely wraps every connection it has not seen with its
 * logging, and a request's Kysely is new, so the pool's own connections would be wrapped once
 * more by every request.
 */
class RoutingDriver implements Driver {
  readonly #lent = new WeakMap<DatabaseConnection, { driver: Driver; connection: DatabaseConnection }>();
  #chosen: Promise<Driver> | undefined;

  constructor(
    private readonly drivers: { primary: Driver; replica: Driver },
    private readonly choose: () => Promise<'primary' | 'replica'>,
    private readonly onReplicaUnreachable: () => void,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#chosen ??= this.choose().then((target) => this.drivers[target]);
    let driver = await this.#chosen;
    let connection: DatabaseConnection;
    try {
      connection = await driver.acquireConnection();
    } catch (error) {
      if (driver === this.drivers.primary || !isStoreUnavailable(error)) throw error;
      this.onReplicaUnreachable();
      driver = this.drivers.primary;
      this.#chosen = Promise.resolve(driver);
      connection = await driver.acquireConnection();
    }
    const lent: DatabaseConnection = {
      executeQuery: (query) => connection.executeQuery(query),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
    this.#lent.set(lent, { driver, connection });
    return lent;
  }

  beginTransaction(lent: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const { driver, connection } = this.#owner(lent);
    return driver.beginTransaction(connection, settings);
  }

  commitTransaction(lent: DatabaseConnection): Promise<void> {
    const { driver, connection } = this.#owner(lent);
    return driver.commitTransaction(connection);
  }

  rollbackTransaction(lent: DatabaseConnection): Promise<void> {
    const { driver, connection } = this.#owner(lent);
    return driver.rollbackTransaction(connection);
  }

  releaseConnection(lent: DatabaseConnection): Promise<void> {
    const { driver, connection } = this.#owner(lent);
    return driver.releaseConnection(connection);
  }

  async destroy(): Promise<void> {}

  #owner(lent: DatabaseConnection) {
    return this.#lent.get(lent)!;
  }
}

/** LISTEN on a connection of its own, outside the pool, reconnecting with backoff (0.5 s to 5 s) while the server is away. */
async function listenOnServer(url: string, channel: string, handler: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  const discard = (old: pg.Client) => {
    old.removeAllListeners();
    old.on('error', () => undefined);
    return old.end().catch(() => undefined);
  };
  const connect = async (first: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    const reconnect = () => {
      void discard(next);
      if (stopped || client !== next) return;
      client = undefined;
      retry = setTimeout(() => void connect(false), Math.min(500 * 2 ** failures++, 5_000));
    };
    next.on('error', reconnect);
    next.on('end', reconnect);
    next.on('notification', (message) => message.channel === channel && handler(message.payload ?? ''));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      failures = 0;
      if (!first) onReconnect?.();
    } catch (error) {
      if (first) {
        client = undefined;
        void discard(next);
        throw error;
      }
      reconnect();
    }
  };
  await connect(true);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const last = client;
    client = undefined;
    if (last) await discard(last);
  };
}

/**
 * Reads run as named prepared statements, one per distinct SQL text and connection: on the
 * hot paths PostgreSQL spends more time planning (~0.7 ms) than executing (~0.1 ms) these
 * index lookups, and the loaders' SQL does not vary with the number of ids (`= any($1)`).
 * Writes, whose text varies with the number of rows, stay unnamed; a connection prepares at
 * most MAX_PREPARED texts, so no mix of queries can grow the server's memory without bound.
 */
const MAX_PREPARED = 500;

function prepareReads(client: pg.PoolClient) {
  // The pool's own query() calls in with a callback after the values: passed through as given.
  const query = client.query.bind(client) as (config: pg.QueryConfig | string, values?: unknown[], ...callback: unknown[]) => Promise<unknown>;
  const prepared = new Map<string, string>();
  client.query = ((config: pg.QueryConfig | string, values?: unknown[], ...callback: unknown[]) => {
    if (typeof config === 'string' && Array.isArray(values)) {
      let name = prepared.get(config);
      if (name === undefined && prepared.size < MAX_PREPARED && /^\s*(select|with)\b/i.test(config)) {
        name = `cg_${createHash('sha1').update(config).digest('base64url')}`;
        prepared.set(config, name);
      }
      if (name !== undefined) return query({ name, text: config, values }, undefined, ...callback);
    }
    return query(config, values, ...callback);
  }) as typeof client.query;
}

async function embeddedDialect(config: Extract<StoreConfig, { kind: 'pglite' }>) {
  const inMemory = config.dataDir === 'memory';
  const release = inMemory ? () => undefined : await lockDataDir(config.dataDir);
  try {
    const client = await PGlite.create({
      // PostgreSQL's own files sit in a folder of their own, beside the lock (and, later,
      // other files of the hub), never mixed with them.
      ...(inMemory ? {} : { dataDir: join(config.dataDir, 'pglite') }),
      extensions: { pg_trgm },
      parsers: { [pgliteTypes.INT8]: identity, [pgliteTypes.NUMERIC]: identity, [pgliteTypes.DATE]: identity },
    });
    // Held on Kysely's one connection, so the text never runs inside another caller's transaction.
    const runSql = (db: Db, text: string, values?: readonly unknown[]) =>
      db.connection().execute(async () => {
        if (values !== undefined && values.length > 0) return client.query(text, [...values]);
        const results = await client.exec(text);
        return results.at(-1) ?? { rows: [] };
      });
    const listen = (channel: string, handler: (payload: string) => void) => client.listen(channel, handler);
    return { dialect: pgliteDialect(client), release, runSql, listen };
  } catch (error) {
    release();
    throw error;
  }
}
