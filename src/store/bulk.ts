import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Inserts many rows with one statement of one array parameter per column —
 * `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)` — which PostgreSQL parses and
 * plans in the same time whatever the number of rows, unlike a VALUES list of rows × columns
 * parameters. Rows are objects keyed by camelCase column names, as Kysely's rows are.
 */
export async function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[], options: { onConflictDoNothing?: string[] } = {}): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(db, table);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const columns = keys.map((key) => {
    const column = snakeCase(key);
    const type = types.get(column);
    if (!type) throw new Error(`${table} has no column ${column}`);
    return { key, column, type };
  });
  const arrays = columns.map(({ key, type }) => sql`${rows.map((row) => cell(row[key]))}::${sql.raw(type)}[]`);
  const conflict = options.onConflictDoNothing ? sql` ON CONFLICT (${sql.raw(options.onConflictDoNothing.join(', '))}) DO NOTHING` : sql``;
  await sql`INSERT INTO ${sql.table(table)} (${sql.raw(columns.map(({ column }) => column).join(', '))}) SELECT * FROM unnest(${sql.join(arrays)})${conflict}`.execute(db);
}

/** The store's name for a Kysely (camelCase) table or column name: `taxFiling` → `tax_filing`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function cell(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Column types by table, read from the catalog once per process (the schema is the migrations'). */
const typesOf = new Map<string, Promise<Map<string, string>>>();

function columnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = typesOf.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`
      SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`
      .execute(db)
      .then((result) => new Map(result.rows.map((row) => [row.name, row.type])));
    types.catch(() => typesOf.delete(table));
    typesOf.set(table, types);
  }
  return types;
}
