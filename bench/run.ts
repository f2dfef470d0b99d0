/**
 * `npm run bench -- api`: seeds the demo portfolio (10,000 enterprises by default) into PGlite and,
 * when DATABASE_URL is set, into that PostgreSQL server; then serves each store from a hub in
 * a child process and loads it with autocannon from this process (10 connections, 10 s per
 * query), beside a trivial `{ __typename }` on the same server in the same run. First it times
 * what the document limits cost a request (limitsCost).
 *
 * Options (environment): BENCH_ENTERPRISES (10000), BENCH_SECONDS (10), BENCH_CONNECTIONS (10),
 * BENCH_BACKENDS (pglite,postgres).
 */
import { graphql, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { sql } from 'kysely';
import type { Role } from '../src/auth/roles.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/world/index.js';
import { auditPersonalReads, createContext, createServices } from '../src/graphql/context.js';
import { buildSchema } from '../src/graphql/schema.js';
import { loadConfig } from '../src/config/config.js';
import { documentProtection } from '../src/server/limits.js';
import { openStore, type Store } from '../src/store/database.js';
import { benchIngest } from './ingest.js';
import { benchMonitoring } from './monitoring.js';
import { benchRisk } from './risk.js';
import { benchScale } from './scale.js';
import { soak } from './soak.js';
import { BENCH_VIEWER, measure, median, prepareBackend, round, startHubProcess, type Measurement as LoadMeasurement } from './support.js';
import { benchClock } from './support.js';

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
  /** The same, as a data engineer: personal data masked, so no audit line is written. */
  enterpriseByUsccMasked: {
    query: /* GraphQL */ `query($uscc: String!) { enterprise(uscc: $uscc) {
      id uscc name status establishedOn registeredCapital { amount currency }
      shareholders { shareRatio holder { __typename ... on Person { id name maskedIdNumber } ... on Enterprise { id uscc name } } }
    } }`,
    roles: ['DATA_ENGINEER'] as Role[],
  },
  enterprisesFirst100: {
    query: /* GraphQL */ `{ enterprises(first: 100) { edges { node {
      uscc name legalRepresentative { name } taxRatings { year grade }
      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name } } }
    } } } }`,
  },
} satisfies Record<string, { query: string; roles?: readonly Role[] }>;
type QueryName = keyof typeof QUERIES;
/** The roles a query is asked with: the bench viewer's unless it names others. */
const rolesOf = (name: QueryName): readonly Role[] => (QUERIES[name] as { roles?: readonly Role[] }).roles ?? BENCH_VIEWER.roles;

interface Measurement extends LoadMeasurement {
  statements: number;
}

async function main() {
  const report: Record<string, unknown> = { machine: `${(await import('node:os')).cpus().length} cores`, node: process.version, enterprises, seconds, connections };
  const generateStart = performance.now();
  const portfolio = generatePortfolio({ seed: 20261101, enterprises, clock });
  report.generateSeconds = round((performance.now() - generateStart) / 1000);
  console.error(`generated ${enterprises} enterprises in ${report.generateSeconds} s`);
  const usccs = portfolio.enterprises.slice(0, 500).map((enterprise) => enterprise.uscc);
  report.limits = await limitsCost(usccs[0]!);
  console.error(`limits: ${JSON.stringify(report.limits)}`);

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

/**
 * What the document limits (src/server/limits.ts) cost a request, timed in this process: Armor's
 * validation rules beside graphql's own (Apollo caches a validated document by its text, so
 * these run once per distinct operation), and the cost check with the variables in, which runs
 * on every request: for a document met the first time, and again (its verdict is kept with it).
 * Microseconds a call, the median of five rounds of 2,000 calls.
 */
async function limitsCost(uscc: string) {
  const schema = buildSchema();
  const protection = documentProtection(loadConfig({}).limits, true);
  const hooks = await Promise.all(protection.apollo.plugins.map((plugin) => plugin.requestDidStart?.({} as never)));
  const micros = (work: () => unknown) => {
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      for (let i = 0; i < 2000; i++) work();
      rounds.push(((performance.now() - start) * 1000) / 2000);
    }
    return round(median(rounds));
  };
  const result: Record<string, { validate: number; validateWithArmor: number; costCheckFirst: number; costCheckPerRequest: number }> = {};
  const check = (document: DocumentNode, variables: Record<string, unknown>) => {
    for (const hooked of hooks) void hooked?.didResolveOperation?.({ schema, document, request: { variables } } as never);
  };
  for (const name of Object.keys(QUERIES) as QueryName[]) {
    const document = parse(QUERIES[name].query);
    const variables = { uscc };
    result[name] = {
      validate: micros(() => validate(schema, document, specifiedRules)),
      validateWithArmor: micros(() => validate(schema, document, [...specifiedRules, ...protection.apollo.validationRules])),
      // A document met for the first time (each call a copy), then the same document again, as Apollo's cache hands it over.
      costCheckFirst: ((copies) => micros(() => check(copies.pop() ?? document, variables)))(Array.from({ length: 10_000 }, () => structuredClone(document))),
      costCheckPerRequest: micros(() => check(document, variables)),
    };
  }
  return result;
}

/** SQL statements one request of each query runs, counted on the store in this process. */
async function statementsPerRequest(store: Store, uscc: string): Promise<Record<QueryName, number>> {
  await sql`ANALYZE`.execute(store.db);
  const schema = buildSchema();
  const counts = {} as Record<QueryName, number>;
  const services = createServices(store, { now: benchClock(), personIdSalt: 'bench-person-salt-0001' });
  for (const name of Object.keys(QUERIES) as QueryName[]) {
    const before = store.statementCount();
    const context = createContext(services, { viewer: { user: BENCH_VIEWER.user, roles: rolesOf(name) }, requestId: null, purpose: null });
    const result = await graphql({ schema, source: QUERIES[name].query, variableValues: { uscc }, contextValue: context });
    if (result.errors) throw new Error(`${name}: ${result.errors[0]!.message}`);
    await auditPersonalReads(context, name);
    counts[name] = store.statementCount() - before;
  }
  return counts;
}

function load(url: string, name: QueryName, usccs: string[]) {
  let next = 0;
  const { query } = QUERIES[name];
  return measure(url, connections, seconds, () => ({ query, variables: { uscc: usccs[next++ % usccs.length] } }), rolesOf(name));
}


/**
 * `npm run bench` runs them all; `npm run bench -- api`, `-- ingest`, `-- risk` or `-- monitoring`
 * one of them. `npm run bench -- soak` (bench/soak.ts, ten minutes) and `npm run bench -- scale`
 * (bench/scale.ts: nginx, pgbouncer and a replica from Debian's packages) run only when named.
 */
async function run() {
  const which = process.argv[2] ?? 'all';
  if (!['all', 'api', 'ingest', 'risk', 'monitoring', 'soak', 'scale'].includes(which)) throw new Error(`unknown benchmark ${which}: api, ingest, risk, monitoring, soak, scale or none for all`);
  if (which === 'soak') return console.log(JSON.stringify({ soak: await soak() }, null, 2));
  if (which === 'scale') return console.log(JSON.stringify({ scale: await benchScale() }, null, 2));
  if (which === 'all' || which === 'api') await main();
  if (which === 'all' || which === 'ingest') console.log(JSON.stringify({ ingest: await benchIngest() }, null, 2));
  if (which === 'all' || which === 'risk') console.log(JSON.stringify({ risk: await benchRisk() }, null, 2));
  if (which === 'all' || which === 'monitoring') console.log(JSON.stringify({ monitoring: await benchMonitoring() }, null, 2));
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
