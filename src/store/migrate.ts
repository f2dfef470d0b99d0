import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
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
import * as rawPayloadText from './migrations/0013-raw-payload-text.js';
import * as timesFromTheClock from './migrations/0014-times-from-the-clock.js';
import * as canonicalUsers from './migrations/0015-canonical-users.js';
import * as approvalAuthority from './migrations/0016-approval-authority.js';
import * as personConsent from './migrations/0017-person-consent.js';
import * as enterpriseVersion from './migrations/0018-enterprise-version.js';
import * as hubUser from './migrations/0019-hub-user.js';
import * as auditRecipients from './migrations/0020-audit-recipients.js';
import * as syncRunLease from './migrations/0021-sync-run-lease.js';
import * as quarantineStream from './migrations/0022-quarantine-stream.js';
import * as quarantineResolution from './migrations/0023-quarantine-resolution.js';
import * as oneAlertPerCondition from './migrations/0024-one-alert-per-condition.js';

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
  '0013-raw-payload-text': rawPayloadText,
  '0014-times-from-the-clock': timesFromTheClock,
  '0015-canonical-users': canonicalUsers,
  '0016-approval-authority': approvalAuthority,
  '0017-person-consent': personConsent,
  '0018-enterprise-version': enterpriseVersion,
  '0019-hub-user': hubUser,
  '0020-audit-recipients': auditRecipients,
  '0021-sync-run-lease': syncRunLease,
  '0022-quarantine-stream': quarantineStream,
  '0023-quarantine-resolution': quarantineResolution,
  '0024-one-alert-per-condition': oneAlertPerCondition,
};

/**
 * Migrates up or down to the named migration: how a test puts a store where an older hub left it,
 * to check what a migration makes of the data it finds.
 */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
  const result = await migrator.migrateTo(name);
  if (result.error) throw new Error(`migrating to ${name} failed: ${String((result.error as Error).message ?? result.error)}`, { cause: result.error });
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  // Processes starting together on a current store (the usual case) skip Kysely's migrator: its
  // first step reads the whole catalog by name, which fails when another process creates or
  // drops a schema meanwhile (the job queue installing its own).
  if (await isCurrent(db)) return { results: [] };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  for (let attempt = 1; ; attempt++) {
    const result = await migrator.migrateToLatest();
    if (!result.error) return result;
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    // No migration failed: the migrator's own reading of the catalog did, which is worth a second try.
    if (failed === undefined && attempt < 3) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    throw new Error(`migration ${failed ?? 'setup'} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
}

/**
 * Whether exactly the migrations here are recorded as applied. A store with one this code does
 * not know goes to the migrator, which refuses it by name.
 */
async function isCurrent(db: Kysely<unknown>): Promise<boolean> {
  const exists = await sql<{ exists: boolean }>`SELECT to_regclass('schema_migration') IS NOT NULL AS exists`.execute(db);
  if (!exists.rows[0]?.exists) return false;
  const applied = await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(db);
  const names = new Set(applied.rows.map((row) => row.name));
  const known = Object.keys(migrations);
  return names.size === known.length && known.every((name) => names.has(name));
}
