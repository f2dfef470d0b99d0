import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Inserts many rows with one statement of one parameter: the rows as a JSON array, read by
 * `json_to_recordset`. PostgreSQL parses and plans it in the same time whatever the number of
 * rows (unlike a VALUES list of rows × columns parameters), and the rows are serialized by
 * the engine's native JSON.stringify rather than value by value into array literals.
 * Rows are objects keyed by camelCase column names, as Kysely's rows are; a json or jsonb
 * column takes the JSON text of its value, as in Kysely's rows.
 */
export async function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[], options: { onConflictDoNothing?: string[] } = {}): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(db, table);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const columns = keys.map((key) => {
    const column = snakeCase(key);
    const type = types.get(column);
    if (!type) throw new Error(`${table} has no column ${column}`);
    const json = type === 'json' || type === 'jsonb';
    return { field: `"${key}"`, column, declared: json ? 'text' : type, read: json ? `"${key}"::${type}` : `"${key}"` };
  });
  const conflict = options.onConflictDoNothing ? sql` ON CONFLICT (${sql.raw(options.onConflictDoNothing.join(', '))}) DO NOTHING` : sql``;
  await sql`INSERT INTO ${sql.table(table)} (${sql.raw(columns.map(({ column }) => column).join(', '))})
    SELECT ${sql.raw(columns.map(({ read }) => read).join(', '))}
    FROM json_to_recordset(${JSON.stringify(rows.map(jsonRow))}::json) AS row (${sql.raw(columns.map(({ field, declared }) => `${field} ${declared}`).join(', '))})${conflict}`.execute(db);
}

/** The store's name for a Kysely (camelCase) table or column name: `taxFiling` → `tax_filing`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The row as JSON can carry it: bigint (money in fen) as its decimal text, which PostgreSQL reads exactly. */
function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    if (typeof row[key] === 'bigint') return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, typeof value === 'bigint' ? value.toString() : value]));
  }
  return row;
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
