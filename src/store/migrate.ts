import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as profileGraph from './migrations/0001-profile-graph.js';
import * as syncCheckpoint from './migrations/0002-sync-checkpoint.js';
import * as unverifiedEnterprise from './migrations/0003-unverified-enterprise.js';
import * as currentVersionKeyOrder from './migrations/0004-current-version-key-order.js';
import * as pointInTimeIndexes from './migrations/0005-point-in-time-indexes.js';
import * as origination from './migrations/0006-origination.js';
import * as alerts from './migrations/0007-alerts.js';
import * as monitoringSweeps from './migrations/0008-monitoring-sweeps.js';
import * as limitActions from './migrations/0009-limit-actions.js';
import * as demoClock from './migrations/0010-demo-clock.js';
import * as writePosition from './migrations/0011-write-position.js';
import * as rateLimit from './migrations/0012-rate-limit.js';

/** All migrations, in order; one set for PGlite and PostgreSQL alike. */
const migrations: Record<string, Migration> = {
  '0001-profile-graph': profileGraph,
  '0002-sync-checkpoint': syncCheckpoint,
  '0003-unverified-enterprise': unverifiedEnterprise,
  '0004-current-version-key-order': currentVersionKeyOrder,
  '0005-point-in-time-indexes': pointInTimeIndexes,
  '0006-origination': origination,
  '0007-alerts': alerts,
  '0008-monitoring-sweeps': monitoringSweeps,
  '0009-limit-actions': limitActions,
  '0010-demo-clock': demoClock,
  '0011-write-position': writePosition,
  '0012-rate-limit': rateLimit,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}
