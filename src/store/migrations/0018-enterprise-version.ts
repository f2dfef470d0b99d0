import { sql, type Kysely } from 'kysely';

/**
 * The enterprise's own record — names, legal form, industry, region, status, established date,
 * registered and paid-in capital — kept with observation time like every fact: `enterprise`
 * holds the record as last observed, and each state it has had is a version here, visible from
 * when it was observed until it was superseded. The database keeps them, whatever path writes
 * the record (the registry's sync, the bank's registration, a loader), so no writer can change
 * what the hub knew at an earlier instant.
 */
const MASTER = [
  'name',
  'legal_form',
  'industry_code',
  'region_code',
  'status',
  'established_on',
  'registered_capital_fen',
  'registered_capital_currency',
  'paid_in_capital_fen',
] as const;
const KEPT = [...MASTER, 'source', 'external_id', 'sync_run_id', 'payload_hash', 'observed_at'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE enterprise_version (
      id bigint GENERATED ALWAYS AS IDENTITY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      name text NOT NULL,
      legal_form text,
      industry_code text,
      region_code text NOT NULL,
      status text NOT NULL,
      established_on date,
      registered_capital_fen bigint,
      registered_capital_currency text NOT NULL,
      paid_in_capital_fen bigint,
      source text NOT NULL,
      external_id text NOT NULL,
      sync_run_id bigint REFERENCES sync_run (id),
      payload_hash text NOT NULL,
      observed_at timestamptz NOT NULL,
      superseded_at timestamptz,
      CHECK (superseded_at IS NULL OR superseded_at >= observed_at),
      PRIMARY KEY (enterprise_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX enterprise_version_current ON enterprise_version (enterprise_id) WHERE superseded_at IS NULL`.execute(db);
  await sql`CREATE INDEX enterprise_version_observed ON enterprise_version (enterprise_id, observed_at DESC)`.execute(db);
  const columns = sql.raw(KEPT.join(', '));
  const values = sql.raw(KEPT.map((column) => `NEW.${column}`).join(', '));
  const unchanged = sql.raw(MASTER.map((column) => `NEW.${column} IS NOT DISTINCT FROM OLD.${column}`).join(' AND '));
  // A state observed out of order (a clock behind the last observation) still supersedes the
  // one before it, at that one's own observation time at the earliest.
  await sql`
    CREATE FUNCTION enterprise_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF ${unchanged} THEN
          RETURN NULL;
        END IF;
        UPDATE enterprise_version SET superseded_at = greatest(NEW.observed_at, observed_at)
        WHERE enterprise_id = NEW.id AND superseded_at IS NULL;
      END IF;
      INSERT INTO enterprise_version (enterprise_id, ${columns}) VALUES (NEW.id, ${values});
      RETURN NULL;
    END $$`.execute(db);
  await sql`INSERT INTO enterprise_version (enterprise_id, ${columns}) SELECT id, ${columns} FROM enterprise`.execute(db);
  await sql`CREATE TRIGGER enterprise_versioned AFTER INSERT OR UPDATE ON enterprise FOR EACH ROW EXECUTE FUNCTION enterprise_versioned()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER enterprise_versioned ON enterprise`.execute(db);
  await sql`DROP FUNCTION enterprise_versioned()`.execute(db);
  await sql`DROP TABLE enterprise_version`.execute(db);
}
