/**
 * `npm run bench -- ingest`: canonical records per second from the sandboxes (in a child
 * process) over loopback HTTP, through the connectors and the engine, into a fresh store — beside the limit measured
 * in the same run: the same rows loaded by COPY into empty copies of the same tables.
 *
 * It also reports the CPU time each process spent during the sync, per stored record: the hub (this
 * process), the sandboxes (its child) and, for a server on this machine, PostgreSQL (every
 * `postgres` process, read from /proc) — on a machine whose cores are all busy, where the
 * time goes.
 *
 * Options (environment): BENCH_INGEST_ENTERPRISES (10000),
 * BENCH_INGEST_CONCURRENCY (64), BENCH_BACKENDS (pglite,postgres; postgres needs DATABASE_URL).
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { sources } from '../connectors/index.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { loadConfig } from '../src/config/config.js';
import { demoStory } from '../src/demo/world.js';
import { systemActor } from '../src/audit/audit.js';
import { createServices } from '../src/graphql/context.js';
import { defaultReliability } from '../src/ingest/bind.js';
import { openStore, type Store } from '../src/store/database.js';
import { benchClock } from './support.js';
import { randomBytes } from 'node:crypto';

const SEED = 20261101;
const CLOCK = '2026-11-01';
const enterprises = Number(process.env.BENCH_INGEST_ENTERPRISES ?? 10_000);
const concurrency = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 64);
const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const TABLES = ['relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month'];

/**
 * The sandboxes in a child process, as real upstreams are not in the hub's process: the same
 * demo portfolio (same seed), their configurations read from the child's first line.
 */
const demoEnvironment = (enterprises: number) => ({ ...process.env, DEMO_ENTERPRISES: String(enterprises), DEMO_SEED: String(SEED), DEMO_CLOCK: CLOCK, LOG_LEVEL: 'silent' });

async function startSandboxProcess(enterprises: number): Promise<{ configs: Map<string, unknown>; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandboxes', '--json'], {
    env: demoEnvironment(enterprises),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { configs: new Map(Object.entries(JSON.parse(line) as Record<string, unknown>)), pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function ingest(store: Store, enterprises: number) {
  const upstreams = await startSandboxProcess(enterprises);
  try {
    // The sandboxes' own story (the demo's, with its months past the clock), whose legal
    // representatives the court's pulls need authorizations of. It only names the enterprises and
    // their persons here: left to the garbage collector at once, it does not weigh on the sync.
    const now = benchClock();
    await registerDemoEnterprises(store, demoStory(loadConfig(demoEnvironment(enterprises)).demo), now(), 'bench-person-salt-0001');
    // The sandboxes allow any rate: the upstreams' real limits would measure them, not the ingest.
    const reliability = { ...defaultReliability, limits: { requestsPerSecond: 100_000, concurrency: 2 * concurrency } };
    const services = createServices(store, { now, personIdSalt: 'bench-person-salt-0001', upstreams: upstreams.configs, reliability });
    const ids = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    const totals = { runs: 0, failed: 0, fetched: 0, stored: 0, errors: [] as string[] };
    const cpuBefore = { hub: process.cpuUsage(), sandboxes: cpuSeconds((pid) => pid === upstreams.pid), postgres: cpuSeconds((_pid, name) => name === 'postgres') };
    const started = performance.now();
    await services.ingest.syncMany(systemActor('benchmark'), ids, {
      concurrency,
      onEnterprise: (runs, done) => {
        for (const run of runs) {
          totals.runs++;
          if (run.status !== 'SUCCEEDED') {
            totals.failed++;
            if (totals.errors.length < 5) totals.errors.push(`${run.source}: ${run.error}`);
          }
          totals.fetched += run.fetched;
          totals.stored += run.stored;
        }
        if (done % 500 === 0) console.error(`  ${done}/${ids.length} enterprises`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const hubCpu = process.cpuUsage(cpuBefore.hub);
    const cpu = {
      hub: (hubCpu.user + hubCpu.system) / 1e6,
      sandboxes: difference(cpuSeconds((pid) => pid === upstreams.pid), cpuBefore.sandboxes),
      postgres: store.kind === 'postgres' ? difference(cpuSeconds((_pid, name) => name === 'postgres'), cpuBefore.postgres) : undefined,
    };
    const perRecord = (value: number | undefined) => (value === undefined ? undefined : round((value * 1e6) / totals.stored));
    return {
      enterprises,
      ...totals,
      seconds: round(seconds),
      recordsPerSecond: Math.round(totals.stored / seconds),
      sources: sources.length,
      cpuSeconds: { hub: round(cpu.hub), sandboxes: roundSome(cpu.sandboxes), postgres: roundSome(cpu.postgres) },
      cpuMicrosecondsPerRecord: { hub: perRecord(cpu.hub), sandboxes: perRecord(cpu.sandboxes), postgres: perRecord(cpu.postgres) },
    };
  } finally {
    upstreams.stop();
  }
}

/**
 * CPU seconds (user and system) of the processes chosen by pid and name, from /proc: undefined
 * where there is none (not Linux) — the report then leaves the figure out.
 */
function cpuSeconds(choose: (pid: number, name: string) => boolean): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended since the listing
    }
    // "pid (name) state ppid …": the name may hold spaces, so the fields are counted after its ')'.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!choose(pid, name)) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Its own time, and its ended children's (PostgreSQL's backends closed by the pool's idle timeout, counted in the postmaster's).
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / clockTicksPerSecond();
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

const difference = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? undefined : after - before);

/** Copies every fact table out (untimed), then COPYs the rows into an empty copy of it (timed). */
async function copyBaselinePostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let rows = 0;
    let seconds = 0;
    for (const table of TABLES) {
      const chunks: Buffer[] = [];
      await pipeline(client.query(copyTo(`COPY ${table} TO STDOUT`)), new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
      rows += Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      await client.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
      const started = performance.now();
      await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY bench_copy_${table} FROM STDIN`)));
      seconds += (performance.now() - started) / 1000;
      await client.query(`DROP TABLE bench_copy_${table}`);
    }
    return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    await client.end();
  }
}

async function copyBaselinePglite(dataDir: string) {
  const db = await PGlite.create(join(dataDir, 'pglite'));
  try {
    let rows = 0;
    let seconds = 0;
    for (const table of TABLES) {
      const out = await db.query(`COPY ${table} TO '/dev/blob'`);
      // An empty table yields no blob, and PGlite's COPY FROM without one reads whatever its
      // device last held: it crashes the process or spins.
      if (!out.blob) continue;
      rows += Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
      await db.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
      const started = performance.now();
      await db.query(`COPY bench_copy_${table} FROM '/dev/blob'`, [], { blob: out.blob! });
      seconds += (performance.now() - started) / 1000;
      await db.query(`DROP TABLE bench_copy_${table}`);
    }
    return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    await db.close();
  }
}

async function freshDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `creditgraph_bench_ingest_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function benchIngest(): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = { concurrency };
  if (backends.includes('postgres') && process.env.DATABASE_URL) {
    const database = await freshDatabase(process.env.DATABASE_URL);
    try {
      const store = await openStore({ kind: 'postgres', url: database.url, poolSize: concurrency + 2 });
      let sync;
      try {
        console.error(`ingest into PostgreSQL: ${enterprises} enterprises`);
        sync = await ingest(store, enterprises);
      } finally {
        await store.close();
      }
      const copy = await copyBaselinePostgres(database.url);
      report.postgres = { sync, copy, ratioToCopy: round(sync.recordsPerSecond / copy.rowsPerSecond) };
    } finally {
      await database.drop();
    }
  }
  if (backends.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-bench-ingest-'));
    try {
      const store = await openStore({ kind: 'pglite', dataDir });
      let sync;
      try {
        console.error(`ingest into PGlite: ${enterprises} enterprises`);
        sync = await ingest(store, enterprises);
      } finally {
        await store.close();
      }
      const copy = await copyBaselinePglite(dataDir);
      report.pglite = { sync, copy, ratioToCopy: round(sync.recordsPerSecond / copy.rowsPerSecond) };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return report;
}

const round = (value: number) => Math.round(value * 100) / 100;
const roundSome = (value: number | undefined) => (value === undefined ? undefined : round(value));
