/**
 * `npm run bench -- api`: seeds the demo portfolio (10,000 enterprises by default) into PGlite and,
 * when DATABASE_URL is set, into that PostgreSQL server; then serves each store from a hub in
 * a child process and loads it with autocannon from this process (10 connections, 10 s per
 * query), beside a trivial `{ __typename }` on the same server in the same run.
 *
 * Options (environment): BENCH_ENTERPRISES (10000), BENCH_SECONDS (10), BENCH_CONNECTIONS (10),
 * BENCH_BACKENDS (pglite,postgres).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { graphql } from 'graphql';
import { sql } from 'kysely';
import pg from 'pg';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/demo/portfolio.js';
import { createContext, createServices } from '../src/graphql/context.js';
import { buildSchema } from '../src/graphql/schema.js';
import { openStore, type Store } from '../src/store/database.js';
import type { StoreConfig } from '../src/config/config.js';
import { benchIngest } from './ingest.js';

const enterprises = Number(process.env.BENCH_ENTERPRISES ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const clock = '2026-11-01';

const QUERIES = {
  trivial: { query: '{ __typename }' },
  enterpriseByUscc: {
    query: /* GraphQL */ `query($uscc: String!) { enterprise(uscc: $uscc) {
      id uscc name status establishedOn registeredCapital { amount currency }
      shareholders { shareRatio holder { __typename ... on Person { id name maskedIdNumber } ... on Enterprise { id uscc name } } }
    } }`,
  },
  enterprisesFirst100: {
    query: /* GraphQL */ `{ enterprises(first: 100) { edges { node {
      uscc name legalRepresentative { name } taxRatings { year grade }
      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name } } }
    } } } }`,
  },
} as const;
type QueryName = keyof typeof QUERIES;

interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statements: number;
}

async function main() {
  const report: Record<string, unknown> = { machine: `${(await import('node:os')).cpus().length} cores`, node: process.version, enterprises, seconds, connections };
  const generateStart = performance.now();
  const portfolio = generatePortfolio({ seed: 20261101, enterprises, clock });
  report.generateSeconds = round((performance.now() - generateStart) / 1000);
  console.error(`generated ${enterprises} enterprises in ${report.generateSeconds} s`);
  const usccs = portfolio.enterprises.slice(0, 500).map((enterprise) => enterprise.uscc);

  for (const backend of backends) {
    const prepared = await prepareBackend(backend);
    if (!prepared) continue;
    const { storeConfig, env, dispose } = prepared;
    try {
      const store = await openStore(storeConfig);
      const seedStart = performance.now();
      await loadPortfolio(store, portfolio, {
        personIdSalt: 'bench-salt-bench-salt',
        onProgress: (done, total) => done % 2000 === 0 && console.error(`  ${backend}: loaded ${done}/${total}`),
      });
      const seedSeconds = round((performance.now() - seedStart) / 1000);
      const statements = await statementsPerRequest(store, usccs[0]!);
      await store.close();
      console.error(`${backend}: seeded in ${seedSeconds} s; starting the hub`);

      const hub = await startHubProcess(env);
      try {
        const results: Partial<Record<QueryName, Measurement>> = {};
        for (const name of Object.keys(QUERIES) as QueryName[]) {
          const measured = await load(hub.url, name, usccs);
          results[name] = { ...measured, statements: statements[name] };
          console.error(`  ${name}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms`);
        }
        const trivial = results.trivial!.requestsPerSecond;
        report[backend] = {
          seedSeconds,
          queries: Object.fromEntries(
            Object.entries(results).map(([name, m]) => [name, { ...m, ratioToTrivial: round(m.requestsPerSecond / trivial) }]),
          ),
        };
      } finally {
        await hub.stop();
      }
    } finally {
      await dispose();
    }
  }
  console.log(JSON.stringify(report, null, 2));
}

async function prepareBackend(backend: string) {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-bench-'));
    return {
      storeConfig: { kind: 'pglite', dataDir } as StoreConfig,
      env: { DATA_DIR: dataDir, DATABASE_URL: '' } as Record<string, string>,
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error('postgres: skipped, DATABASE_URL is not set');
    return undefined;
  }
  const name = `creditgraph_bench_${Date.now()}`;
  await administer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    storeConfig: { kind: 'postgres', url: url.toString(), poolSize: 10 } as StoreConfig,
    env: { DATABASE_URL: url.toString() } as Record<string, string>,
    dispose: () => administer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function administer(serverUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}

/** SQL statements one request of each query runs, counted on the store in this process. */
async function statementsPerRequest(store: Store, uscc: string): Promise<Record<QueryName, number>> {
  await sql`ANALYZE`.execute(store.db);
  const schema = buildSchema();
  const counts = {} as Record<QueryName, number>;
  for (const name of Object.keys(QUERIES) as QueryName[]) {
    const before = store.statementCount();
    const result = await graphql({ schema, source: QUERIES[name].query, variableValues: { uscc }, contextValue: createContext(createServices(store, { personIdSalt: 'bench-person-salt-0001' })) });
    if (result.errors) throw new Error(`${name}: ${result.errors[0]!.message}`);
    counts[name] = store.statementCount() - before;
  }
  return counts;
}

async function startHubProcess(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = 4400 + Math.floor(Math.random() * 500);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', PERSON_ID_SALT: 'bench-salt-bench-salt' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function load(url: string, name: QueryName, usccs: string[]): Promise<Omit<Measurement, 'statements'>> {
  let next = 0;
  const body = () => JSON.stringify({ query: QUERIES[name].query, variables: { uscc: usccs[next++ % usccs.length] } });
  const check = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
  const checked = (await check.json()) as { errors?: unknown };
  if (!check.ok || checked.errors) throw new Error(`${name} fails: ${JSON.stringify(checked)}`);
  const options = {
    url: `${url}/graphql`,
    connections,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) }],
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: JIT, pools, caches
  const result = await autocannon({ ...options, duration: seconds });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** `npm run bench` runs both; `npm run bench -- api` or `-- ingest` one of them. */
async function run() {
  const which = process.argv[2] ?? 'all';
  if (!['all', 'api', 'ingest'].includes(which)) throw new Error(`unknown benchmark ${which}: api, ingest or none for both`);
  if (which !== 'ingest') await main();
  if (which !== 'api') console.log(JSON.stringify({ ingest: await benchIngest() }, null, 2));
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
