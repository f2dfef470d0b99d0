import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * docs/citus.md against the migrated schema and the code. The plan is only worth something
 * while it describes this schema: every comparison runs both ways, so a new table, key,
 * constraint or query module fails here until the plan says what Citus makes of it, and a
 * change the plan asks for that the schema no longer needs fails too.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLAN_FILE = 'docs/citus.md';
const PLAN = readFileSync(join(ROOT, PLAN_FILE), 'utf8');

type Kind = 'distributed' | 'reference' | 'local';
interface PlannedTable {
  table: string;
  kind: Kind;
  key: string | null;
  colocation: string | null;
}

/** The rows of the markdown table between `<!-- citus:name -->` and `<!-- /citus:name -->`, by header. */
function section(name: string): Record<string, string>[] {
  const match = new RegExp(`<!-- citus:${name} -->([\\s\\S]*?)<!-- /citus:${name} -->`).exec(PLAN);
  if (!match) throw new Error(`${PLAN_FILE} has no <!-- citus:${name} --> section`);
  const cells = (line: string) => line.replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
  const [header, separator, ...rows] = match[1]!.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('|'));
  if (!header || !separator) throw new Error(`${PLAN_FILE}: the citus:${name} section holds no table`);
  const names = cells(header);
  return rows.map((row) => Object.fromEntries(cells(row).map((cell, i) => [names[i] ?? `column ${i}`, cell])));
}

const plain = (cell: string | undefined) => (cell ?? '').replace(/`/g, '').trim();
const isNone = (cell: string) => cell === '' || cell === '—' || cell === '-';
const list = (cell: string | undefined) => (cell ?? '').split(',').map(plain).filter((item) => !isNone(item));

const planned: PlannedTable[] = section('tables').map((row) => {
  const kind = plain(row.kind);
  if (kind !== 'distributed' && kind !== 'reference' && kind !== 'local') throw new Error(`${PLAN_FILE}: table ${row.table} has kind '${kind}', not distributed, reference or local`);
  const key = plain(row.key);
  const colocation = plain(row.colocation);
  return { table: plain(row.table), kind, key: isNone(key) ? null : key, colocation: isNone(colocation) ? null : colocation };
});
const publicPlan = new Map(planned.filter((entry) => !entry.table.includes('.')).map((entry) => [entry.table, entry]));
/** Other schemas are planned whole (`pgboss.*`): the hub's migrations do not make them, a library does. */
const otherSchemas = planned.filter((entry) => entry.table.includes('.'));

function plannedKind(table: string): Kind | undefined {
  const schema = table.includes('.') ? table.split('.')[0] : null;
  if (schema === null) return publicPlan.get(table)?.kind;
  return otherSchemas.find((entry) => entry.table === `${schema}.*` || entry.table === table)?.kind;
}

/**
 * What the schema shows and the plan does not list, and what the plan lists that the schema
 * does not show, each worded for the failure message. `found` maps a name to how it is shown.
 */
function bothWays(found: Iterable<string> | ReadonlyMap<string, string>, listed: Iterable<string>, unlisted: string, stale: string): string[] {
  const shown = found instanceof Map ? (found as ReadonlyMap<string, string>) : new Map([...(found as Iterable<string>)].map((name) => [name, name]));
  const plan = new Set(listed);
  return [
    ...[...shown].filter(([name]) => !plan.has(name)).map(([, description]) => `${description}: ${unlisted}`),
    ...[...plan].filter((name) => !shown.has(name)).map((name) => `${name}: ${stale}`),
  ].sort();
}

interface Schema {
  tables: string[];
  columns: Map<string, Map<string, { nullable: boolean; type: string }>>;
  uniqueIndexes: { table: string; index: string; columns: string[] }[];
  foreignKeys: { table: string; constraint: string; columns: string[]; referenced: string; referencedColumns: string[] }[];
}

async function readSchema(testStore: TestStore): Promise<Schema> {
  const { db } = testStore.store;
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db);
  const columns = await sql<{ tableName: string; columnName: string; isNullable: string; dataType: string }>`
    SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = 'public'`.execute(db);
  // Unique indexes, not only constraints: Citus refuses a CREATE UNIQUE INDEX without the key as well.
  const unique = await sql<{ table: string; index: string; columns: string | null }>`
    SELECT t.relname AS table, i.relname AS index,
           (SELECT string_agg(a.attname::text, ',' ORDER BY k.position) FROM unnest(x.indkey) WITH ORDINALITY AS k (attnum, position)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
    FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indisunique AND t.relnamespace = 'public'::regnamespace ORDER BY 1, 2`.execute(db);
  const keys = await sql<{ table: string; constraint: string; columns: string; referenced: string; referencedColumns: string }>`
    SELECT t.relname AS table, c.conname AS constraint,
           CASE WHEN r.relnamespace = 'public'::regnamespace THEN r.relname::text ELSE r.relnamespace::regnamespace::text || '.' || r.relname END AS referenced,
           (SELECT string_agg(a.attname::text, ',' ORDER BY k.position) FROM unnest(c.conkey) WITH ORDINALITY AS k (attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
           (SELECT string_agg(a.attname::text, ',' ORDER BY k.position) FROM unnest(c.confkey) WITH ORDINALITY AS k (attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS referenced_columns
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY 1, 2`.execute(db);

  const byTable = new Map<string, Map<string, { nullable: boolean; type: string }>>();
  for (const row of columns.rows) {
    const table = byTable.get(row.tableName) ?? new Map();
    table.set(row.columnName, { nullable: row.isNullable === 'YES', type: row.dataType });
    byTable.set(row.tableName, table);
  }
  return {
    tables: tables.rows.map((row) => row.name),
    columns: byTable,
    uniqueIndexes: unique.rows.map((row) => ({ ...row, columns: row.columns?.split(',') ?? [] })),
    foreignKeys: keys.rows.map((row) => ({ ...row, columns: row.columns.split(','), referencedColumns: row.referencedColumns.split(',') })),
  };
}

describe(`the Citus distribution plan (${PLAN_FILE}) against the schema (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite'})`, () => {
  let testStore: TestStore;
  let schema: Schema;
  beforeAll(async () => {
    testStore = await openTestStore();
    schema = await readSchema(testStore);
  });
  afterAll(() => testStore?.dispose());

  const distributed = () => [...publicPlan.values()].filter((entry) => entry.kind === 'distributed');

  it('names every table of the public schema, and no table the schema lacks', () => {
    expect(bothWays(schema.tables, publicPlan.keys(), `a table of the schema that ${PLAN_FILE} does not place`, `in ${PLAN_FILE} but not in the migrated schema`)).toEqual([]);
    const misplaced = otherSchemas.filter((entry) => !/^[a-z_][a-z0-9_]*\.\*$/.test(entry.table) || entry.table.startsWith('public.') || entry.kind !== 'local');
    expect(misplaced.map((entry) => `${entry.table}: another schema is planned whole, as 'name.*', and local to the coordinator`)).toEqual([]);
  });

  it('gives every distributed table a key and a co-location group', () => {
    const incomplete = distributed().filter((entry) => entry.key === null || entry.colocation === null);
    expect(incomplete.map((entry) => `${entry.table}: distributed without a key or a colocation`)).toEqual([]);
    const other = [...publicPlan.values()].filter((entry) => entry.kind !== 'distributed' && (entry.key !== null || entry.colocation !== null));
    expect(other.map((entry) => `${entry.table}: a ${entry.kind} table has no distribution key or co-location`)).toEqual([]);
  });

  it('lists exactly the distribution columns to add or to make NOT NULL', () => {
    const needed = new Map<string, 'add' | 'not null'>();
    for (const { table, key } of distributed()) {
      const column = schema.columns.get(table)?.get(key!);
      if (!column) needed.set(`${table}.${key}`, 'add');
      else if (column.nullable) needed.set(`${table}.${key}`, 'not null');
    }
    const listed = new Map(section('key-changes').map((row) => [`${plain(row.table)}.${plain(row.column)}`, plain(row.change).toLowerCase()]));
    expect(bothWays(needed.keys(), listed.keys(), `the distribution column is missing or nullable, and ${PLAN_FILE} does not say so`, `listed as a key change in ${PLAN_FILE}, but the column exists and is NOT NULL (or the table is not distributed on it)`)).toEqual([]);
    const misworded = [...needed].filter(([column, change]) => listed.has(column) && !listed.get(column)!.includes(change));
    expect(misworded.map(([column, change]) => `${column}: the change must say '${change}'`)).toEqual([]);
  });

  it('co-locates only keys of one type', () => {
    const types = new Map<string, Set<string>>();
    for (const { table, key, colocation } of distributed()) {
      const type = schema.columns.get(table)?.get(key!)?.type;
      if (type === undefined) continue;
      types.set(colocation!, (types.get(colocation!) ?? new Set()).add(`${type} (${table})`));
    }
    const mixed = [...types].filter(([, found]) => new Set([...found].map((entry) => entry.split(' (')[0])).size > 1);
    expect(mixed.map(([group, found]) => `colocation ${group} mixes key types: ${[...found].join(', ')}`)).toEqual([]);
  });

  it('lists exactly the unique indexes of distributed tables that lack the distribution column', () => {
    const lacking = new Map(
      schema.uniqueIndexes
        .filter(({ table, columns }) => {
          const entry = publicPlan.get(table);
          return entry?.kind === 'distributed' && !columns.includes(entry.key!);
        })
        .map(({ table, index, columns }) => [`${table}.${index}`, `${table}.${index} (${columns.join(', ')})`]),
    );
    const listed = section('unique-changes').map((row) => `${plain(row.table)}.${plain(row.index)}`);
    expect(bothWays(lacking, listed, `a unique index without the distribution column that ${PLAN_FILE} does not list`, `listed in ${PLAN_FILE}, but the schema has no such unique index lacking the key`)).toEqual([]);
  });

  it('lists exactly the foreign keys that Citus would refuse', () => {
    const placed = (table: string) => publicPlan.get(table) ?? { kind: plannedKind(table), key: null, colocation: null };
    const refused = schema.foreignKeys.filter(({ table, columns, referenced, referencedColumns }) => {
      const [from, to] = [placed(table), placed(referenced)];
      if (!from.kind || !to.kind) return true;
      if (from.kind === 'distributed' && to.kind === 'distributed') {
        // Between shards only if co-located and the key of one side maps onto the key of the other.
        return from.colocation !== to.colocation || !columns.some((column, i) => column === from.key && referencedColumns[i] === to.key);
      }
      if (to.kind === 'distributed') return true;
      // A local table referring to a reference table is allowed: Citus adds it to its metadata.
      if (to.kind === 'local') return from.kind !== 'local';
      return false;
    });
    const wording = ({ table, constraint, columns, referenced, referencedColumns }: Schema['foreignKeys'][number]) =>
      `${table}.${constraint} (${columns.join(', ')}) → ${referenced} (${referencedColumns.join(', ')})`;
    const byName = new Map(refused.map((key) => [`${key.table}.${key.constraint}`, wording(key)]));
    const listed = section('foreign-keys').map((row) => `${plain(row.table)}.${plain(row.constraint)}`);
    expect(bothWays(byName, listed, `a foreign key Citus refuses under this plan that ${PLAN_FILE} does not list`, `listed in ${PLAN_FILE}, but the schema has no such foreign key that Citus would refuse`)).toEqual([]);
  });
});

/** Where the hub's SQL lives: the modules the plan must classify. */
const QUERY_MODULES = ['src/store', 'src/ingest', 'src/risk/features', 'src/monitoring', 'src/origination', 'src/audit'];
const QUERY_FILES = ['src/graphql/loaders.ts', 'src/jobs/queue.ts', 'src/demo/clock.ts'];

/** SQL that Citus restricts or runs only on one node: the plan's notes must say what becomes of each where the code uses it. */
const CONSTRUCTS: [name: string, pattern: RegExp][] = [
  ['WITH RECURSIVE', /WITH RECURSIVE/],
  ['LATERAL', /\bLATERAL\b/],
  ['FOR UPDATE', /FOR UPDATE|\.forUpdate\(/],
  ['DISTINCT ON', /DISTINCT ON|\.distinctOn\(/],
  ['pg_notify', /pg_notify\(/],
  // The store's LISTEN (and PGlite's), not a network server's listen().
  ['LISTEN', /\bLISTEN\s|\b(?:store|client)\.listen\(/],
  ['SET LOCAL', /SET LOCAL/],
  ['pg_current_wal_lsn', /pg_current_wal_lsn\(/],
];

const ROUTES = ['router', 'pruned', 'multi-shard', 'reference', 'local', 'needs change'];
const SHARDED_ROUTES = ['router', 'pruned', 'multi-shard'];

interface SourceFile {
  file: string;
  text: string;
  tables: Set<string>;
  /** Exported functions whose first parameter is the database. */
  functions: string[];
  constructs: string[];
}

function scan(file: string, known: ReadonlySet<string>): SourceFile {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const tables = new Set<string>();
  const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  for (const [, name] of text.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*'(\w+)/g)) tables.add(snake(name!));
  for (const [, name] of text.matchAll(/\binsertRows\(\s*\w+,\s*'(\w+)'/g)) tables.add(name!);
  // Raw SQL: only names the schema or the plan knows, so CTE names and prose do not count.
  for (const [, name] of text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+((?:\w+\.)?\w+)/g)) if (known.has(name!) || (name!.includes('.') && plannedKind(name!))) tables.add(name!);
  const functions = [...text.matchAll(/export\s+(?:async\s+)?function\s+(\w+)\s*(?:<[^(]*>)?\(\s*\w+\s*:\s*(?:Db|Kysely|Transaction)\b/g)].map((match) => match[1]!);
  const constructs = CONSTRUCTS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  return { file, text, tables, functions, constructs };
}

describe(`the Citus plan's queries (${PLAN_FILE}) against the code`, () => {
  const rows = section('queries').map((row) => ({ file: plain(row.file), functions: list(row.function), tables: list(row.tables), routing: plain(row.routing), notes: (row.notes ?? '').toLowerCase() }));
  const known = new Set(publicPlan.keys());
  const files = [
    ...QUERY_MODULES.flatMap((folder) => readdirSync(join(ROOT, folder)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).map((name) => `${folder}/${name}`)),
    ...QUERY_FILES,
  ].map((file) => scan(file, known));
  const rowsOf = (file: string) => rows.filter((row) => row.file === file);

  it('has a row for every module that runs SQL, naming every table it touches and every exported function on a Db', () => {
    const problems: string[] = [];
    for (const source of files) {
      if (source.tables.size === 0 && source.functions.length === 0 && source.constructs.length === 0) continue;
      const own = rowsOf(source.file);
      if (own.length === 0) {
        problems.push(`${source.file}: runs SQL (${[...source.tables, ...source.functions].join(', ')}) but ${PLAN_FILE} has no row for it`);
        continue;
      }
      const [tables, functions] = [new Set(own.flatMap((row) => row.tables)), new Set(own.flatMap((row) => row.functions))];
      if (!tables.has('*')) for (const table of source.tables) if (!tables.has(table)) problems.push(`${source.file}: touches ${table}, which its rows in ${PLAN_FILE} do not name`);
      for (const name of source.functions) if (!functions.has(name)) problems.push(`${source.file}: exports ${name}, which its rows in ${PLAN_FILE} do not classify`);
    }
    expect(problems).toEqual([]);
  });

  it('names only files and functions that exist', () => {
    const problems: string[] = [];
    for (const row of rows) {
      if (!existsSync(join(ROOT, row.file))) {
        problems.push(`${row.file}: no such file`);
        continue;
      }
      const text = readFileSync(join(ROOT, row.file), 'utf8');
      for (const name of row.functions) {
        const missing = name.split('.').filter((part) => !new RegExp(`\\b${part}\\b`).test(text));
        if (missing.length > 0) problems.push(`${row.file}: ${name} is not in the file`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('routes each query in a way its tables allow', () => {
    const problems: string[] = [];
    for (const row of rows) {
      const where = `${row.file} ${row.functions.join(', ')}`;
      const routes = row.routing.split('/').map((route) => route.trim());
      for (const route of routes) if (!ROUTES.includes(route)) problems.push(`${where}: routing '${route}' is none of ${ROUTES.join(', ')}`);
      if (row.tables.includes('*') || row.tables.length === 0) continue;
      const kinds = new Set<Kind>();
      for (const table of row.tables) {
        const kind = plannedKind(table);
        if (kind) kinds.add(kind);
        else problems.push(`${where}: ${table} is not a table of the plan`);
      }
      if (kinds.has('distributed') && !routes.some((route) => [...SHARDED_ROUTES, 'needs change'].includes(route))) problems.push(`${where}: touches a distributed table but says no shard routing`);
      if (!kinds.has('distributed') && routes.some((route) => SHARDED_ROUTES.includes(route))) problems.push(`${where}: routed to shards, but names no distributed table`);
      if (routes.includes('reference') && !kinds.has('reference')) problems.push(`${where}: routed as reference, but names no reference table`);
      if (routes.includes('local') && !kinds.has('local')) problems.push(`${where}: routed as local, but names no local table`);
    }
    expect(problems).toEqual([]);
  });

  it('says what becomes of each construct Citus restricts, where the code uses it', () => {
    const problems = files.flatMap((source) => {
      const notes = rowsOf(source.file).map((row) => row.notes).join(' ');
      return source.constructs.filter((name) => !notes.includes(name.toLowerCase())).map((name) => `${source.file}: uses ${name}, which the notes of its rows in ${PLAN_FILE} do not mention`);
    });
    expect(problems).toEqual([]);
  });
});
