import { sql } from 'kysely';
import { monotonicMs } from '../common/clock.js';
import { metrics } from '../common/metrics.js';
import type { Db, Store } from './database.js';

/** A replica whose last replayed transaction is older than this, while the primary has more, is too far behind to read from. */
export const MAX_REPLICA_LAG_SECONDS = 10;
/** How long one look at the replica's position serves every request of the process. */
const PROBE_TTL_MS = 100;
/** How long an unreachable replica is left alone before it is tried again. */
const UNAVAILABLE_BACKOFF_MS = 5_000;

interface ReplicaPosition {
  /** The last write-ahead-log position the replica has replayed. */
  replayed: bigint;
  /**
   * How long ago, on the replica's own clock, the primary committed the last transaction the
   * replica replayed, when it was probed; null before the first.
   */
  replayLagMs: number | null;
  /** When it was probed (monotonicMs). */
  probedAt: number;
}

/**
 * Which server a request's profile, risk-view and feature reads go to when a streaming replica
 * is configured (DATABASE_READ_URL), so that nobody reads a state older than their own writes:
 * - after a user's mutation, where the primary's write-ahead log then ended is recorded for
 *   them (`write_position`, on the primary, which every API process reads);
 * - a query's reads go to the replica when it has replayed that far, to the primary otherwise;
 * - mutations (and anything but a query over HTTP) read the primary, as do all reads while the
 *   replica is unreachable or more than MAX_REPLICA_LAG_SECONDS behind.
 * Each decision costs one indexed lookup on the primary and, at most every PROBE_TTL_MS a
 * process, one look at the replica's position.
 */
export class ReadRouting {
  #position: ReplicaPosition | undefined;
  #probe: Promise<ReplicaPosition | undefined> | undefined;
  #unavailableUntil = 0;

  constructor(private readonly store: Store) {}

  /**
   * The Db a request's reads use. `mayLag` is asked when the first of them runs, after the
   * operation is known: true for a query, whose reads may come from the replica.
   */
  readsFor(user: string, mayLag: () => boolean): Db {
    if (this.store.replica === undefined) return this.store.db;
    return this.store.route(
      async () => {
        const reason = mayLag() ? await this.#reasonForPrimary(user) : 'mutation';
        metrics.readsRouted(reason === null ? 'replica' : 'primary', reason ?? 'replica');
        return reason === null ? 'replica' : 'primary';
      },
      () => {
        // Gone since the last look: the request goes to the primary, and so do the next ones for a while.
        metrics.readsRouted('primary', 'replica_unavailable');
        this.#markUnavailable();
      },
    );
  }

  /** After a user's mutation: their later reads see everything the primary had committed by now. */
  async recordWrite(user: string): Promise<void> {
    if (this.store.replica === undefined) return;
    // The primary's own time of the position: bookkeeping, no date anyone decides on.
    // eslint-disable-next-line no-restricted-syntax
    await sql`
      INSERT INTO write_position (recorded_at, lsn, subject) VALUES (now(), pg_current_wal_lsn(), ${user})
      ON CONFLICT (subject) DO UPDATE SET lsn = greatest(write_position.lsn, excluded.lsn), recorded_at = excluded.recorded_at`.execute(this.store.db);
  }

  /** Why the primary must serve this user's reads now, or null when the replica may. */
  async #reasonForPrimary(user: string): Promise<string | null> {
    const [primary, cached] = await Promise.all([
      sql<{ current: string; mine: string | null }>`
        SELECT pg_current_wal_lsn()::text AS current, (SELECT lsn::text FROM write_position WHERE subject = ${user}) AS mine`.execute(this.store.db),
      this.#replicaPosition(false),
    ]);
    const { current, mine } = primary.rows[0]!;
    let position = cached;
    // The cached look may predate the user's write: look again before sending them to the primary.
    if (position && mine !== null && position.replayed < lsn(mine)) position = await this.#replicaPosition(true);
    if (!position) return 'replica_unavailable';
    if (mine !== null && position.replayed < lsn(mine)) return 'own_write';
    const lagMs = position.replayLagMs === null ? null : position.replayLagMs + monotonicMs() - position.probedAt;
    const behind = position.replayed < lsn(current) && (lagMs === null || lagMs > MAX_REPLICA_LAG_SECONDS * 1000);
    return behind ? 'replica_lagging' : null;
  }

  #markUnavailable(): void {
    this.#unavailableUntil = monotonicMs() + UNAVAILABLE_BACKOFF_MS;
    this.#position = undefined;
  }

  /** The replica's position, at most PROBE_TTL_MS old unless `fresh`; undefined while it cannot be reached. */
  async #replicaPosition(fresh: boolean): Promise<ReplicaPosition | undefined> {
    const now = monotonicMs();
    if (now < this.#unavailableUntil) return undefined;
    if (!fresh && this.#position && now - this.#position.probedAt < PROBE_TTL_MS) return this.#position;
    this.#probe ??= (async () => {
      try {
        // The lag on the replica's own clock, as PostgreSQL's documentation measures it: no
        // difference between this process's clock and the servers' enters it.
        // eslint-disable-next-line no-restricted-syntax
        const { rows } = await sql<{ replayed: string | null; replayLagMs: number | null }>`
          SELECT pg_last_wal_replay_lsn()::text AS replayed, (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS replay_lag_ms`.execute(this.store.replica!);
        const { replayed, replayLagMs } = rows[0]!;
        // Null: the server is not in recovery, i.e. not a replica (a misconfiguration, or promoted).
        if (replayed === null) throw new Error('DATABASE_READ_URL is not a replica in recovery');
        this.#position = { replayed: lsn(replayed), replayLagMs, probedAt: monotonicMs() };
        return this.#position;
      } catch {
        this.#markUnavailable();
        return undefined;
      } finally {
        this.#probe = undefined;
      }
    })();
    return this.#probe;
  }
}

/** A pg_lsn (`16/B374D848`: two 32-bit halves in hex) as a number that compares as positions do. */
function lsn(text: string): bigint {
  const [high, low] = text.split('/') as [string, string];
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}
