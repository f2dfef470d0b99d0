/**
 * `npm run bench -- scale` (PostgreSQL's server binaries, nginx and pgbouncer from Debian): the
 * topology of the scale-out test (test/support/topology.ts) with the demo portfolio loaded
 * (BENCH_SCALE_ENTERPRISES, 4,000, a loan each), measured two ways in one run:
 * - the profile query and the risk view through nginx with one API process behind it and with two (autocannon,
 *   BENCH_CONNECTIONS 20, BENCH_SECONDS 10 after a 2 s warm-up; alternated, two rounds each,
 *   medians), beside one API process asked directly;
 * - the sweep of the whole book with one worker and with two (batches of 250; the median of
 *   three sweeps each, after a first that raises the book's alerts), as the client waits for it
 *   and from the store's times.
 * With each, the CPU each part of the topology used, in cores: where the next bottleneck is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { cpus } from 'node:os';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/world/index.js';
import { openStore } from '../src/store/database.js';
import { createTopology, type HubProcess } from '../test/support/topology.js';
import { measure, median, requestHeaders, round, JWT_SECRET, type Measurement } from './support.js';
import { systemClock } from '../src/common/clock.js';
import { bookEveryEnterprise } from './monitoring.js';

const enterprises = Number(process.env.BENCH_SCALE_ENTERPRISES ?? 4000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const SALT = 'bench-salt-bench-salt';
const BATCH = 250;
/** Which parts to run (BENCH_SCALE_PARTS, both by default). */
const parts = (process.env.BENCH_SCALE_PARTS ?? 'throughput,sweep').split(',');

/** The profile as the API benchmark asks it (bench/run.ts), and the risk view, which computes every feature of the enterprise. */
const QUERIES = {
  profile: /* GraphQL */ `query Profile($uscc: String!) { enterprise(uscc: $uscc) {
    id uscc name status establishedOn registeredCapital { amount currency }
    shareholders { shareRatio holder { __typename ... on Person { id name maskedIdNumber } ... on Enterprise { id uscc name } } }
  } }`,
  riskView: /* GraphQL */ `query RiskView($uscc: String!) { enterprise(uscc: $uscc) {
    id riskView { decision score grade reasonCodes { code } } dataFreshness { source lastObservedAt }
  } }`,
};

/** CPU seconds used so far, by part of the topology, from /proc (clock ticks of 1/100 s). */
function cpuByPart(hubs: readonly HubProcess[]): Record<string, number> {
  const parts: Record<string, number> = {};
  const hubPids = new Map(hubs.map((hub, index) => [hub.child.pid!, `${hub.role}${index}`]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime; with cutime and cstime, which for PostgreSQL's postmaster hold the backends that have exited.
    const ticks = Number(fields[11]) + Number(fields[12]) + (command === 'postgres' ? Number(fields[13]) + Number(fields[14]) : 0);
    const pid = Number(entry);
    const part = hubPids.get(pid) ?? (command === 'postgres' ? 'postgres' : command === 'nginx' ? 'nginx' : command === 'pgbouncer' ? 'pgbouncer' : pid === process.pid ? 'load generator' : undefined);
    if (part) parts[part] = (parts[part] ?? 0) + ticks / 100;
  }
  return parts;
}

/** Cores each part used while `work` ran (postgres: the primary, the replica and their backends together). */
async function withCpu<T>(hubs: readonly HubProcess[], work: () => Promise<T>): Promise<{ result: T; cores: Record<string, number> }> {
  const before = cpuByPart(hubs);
  const started = performance.now();
  const result = await work();
  const elapsed = (performance.now() - started) / 1000;
  const after = cpuByPart(hubs);
  const cores = Object.fromEntries(Object.entries(after).map(([part, used]) => [part, round((used - (before[part] ?? 0)) / elapsed)]));
  return { result, cores };
}

export async function benchScale(): Promise<Record<string, unknown>> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET,
    PERSON_ID_SALT: SALT,
    DEMO: 'false',
    HUB_URL: '',
    MONITORING_BATCH_SIZE: String(BATCH),
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000',
  };
  const topology = await createTopology({ env, replica: true, bouncer: true });
  try {
    console.error(`scale: loading ${enterprises} enterprises`);
    const store = await openStore({ kind: 'postgres', url: topology.primary.url, poolSize: 4 });
    const portfolio = generatePortfolio({ seed: 20261101, enterprises, clock: '2026-11-01' });
    await loadPortfolio(store, portfolio, { personIdSalt: SALT });
    // The hub processes run in production, on the machine's clock.
    await bookEveryEnterprise(store, systemClock());
    await sql`VACUUM ANALYZE`.execute(store.db);
    await store.close();
    const usccs = portfolio.enterprises.map((enterprise) => enterprise.uscc);

    const [api1, api2, worker1] = await Promise.all([topology.startApi(), topology.startApi(), topology.startWorker()]);
    const hubs: HubProcess[] = [api1!, api2!, worker1!];
    let next = 0;
    const load = (url: string, query: string) => withCpu(hubs, () => measure(url, connections, seconds, () => ({ query, variables: { uscc: usccs[next++ % usccs.length] } })));
    type Run = { rps: number[]; p99: number[]; cores: Record<string, number>[] };
    const runs = new Map<string, Run>();
    const record = (name: string, { result, cores }: { result: Measurement; cores: Record<string, number> }) => {
      if (result.non2xx + result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
      const run = runs.get(name) ?? { rps: [], p99: [], cores: [] };
      runs.set(name, run);
      run.rps.push(result.requestsPerSecond);
      run.p99.push(result.p99);
      run.cores.push(cores);
      console.error(`  ${name}: ${result.requestsPerSecond} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, cores ${JSON.stringify(cores)}`);
    };
    const summary = (name: string) => {
      const run = runs.get(name)!;
      return { requestsPerSecond: median(run.rps), runs: run.rps, p99: median(run.p99), cores: run.cores.at(-1) };
    };
    const throughput: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(parts.includes('throughput') ? QUERIES : {})) {
      for (let round = 0; round < 2; round++) {
        record(`${name} direct`, await load(api1!.url!, query));
        record(`${name} nginx, one API`, await load(await topology.balance([api1!]), query));
        record(`${name} nginx, two APIs`, await load(await topology.balance([api1!, api2!]), query));
      }
      throughput[name] = {
        direct: summary(`${name} direct`),
        nginxOneApi: summary(`${name} nginx, one API`),
        nginxTwoApis: summary(`${name} nginx, two APIs`),
        ratioTwoToOne: round(summary(`${name} nginx, two APIs`).requestsPerSecond / summary(`${name} nginx, one API`).requestsPerSecond),
      };
    }

    if (!parts.includes('sweep')) return { machine: `${cpus().length} cores`, node: process.version, enterprises, connections, throughput };
    // The sweeps, asked of API process 1; with one worker, then with a second.
    const headers = await requestHeaders(['RISK_MANAGER']);
    // The client waits on the API process, which looks at the sweep with a back-off of up to 1 s; the
    // store's own times (the plan's start to the last phase's end) measure the work without it.
    const primary = new pg.Client({ connectionString: topology.primary.url });
    await primary.connect();
    const sweep = async () => {
      const started = performance.now();
      const response = await fetch(`${api1!.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: 'mutation { refreshMonitoring { sweepId enterprises raised } }' }) });
      const body = (await response.json()) as { data?: { refreshMonitoring: { sweepId: string; enterprises: number; raised: number } }; errors?: unknown[] };
      if (body.errors) throw new Error(`the sweep failed: ${JSON.stringify(body.errors)}`);
      const { rows } = await primary.query<{ seconds: number }>(
        'SELECT extract(epoch FROM max(b.finished_at) - s.started_at)::float8 AS seconds FROM monitoring_sweep s JOIN monitoring_sweep_batch b ON b.sweep_id = s.id WHERE s.id = $1 GROUP BY s.started_at',
        [body.data!.refreshMonitoring.sweepId],
      );
      return { seconds: (performance.now() - started) / 1000, inStore: rows[0]!.seconds, ...body.data!.refreshMonitoring };
    };
    const first = await sweep();
    console.error(`  first sweep (one worker): ${first.enterprises} enterprises in ${round(first.seconds)} s (${round(first.inStore)} s in the store), ${first.raised} alerts`);
    const sweeps = async (label: string) => {
      const timed: number[] = [];
      const inStore: number[] = [];
      let cores: Record<string, number> = {};
      for (let i = 0; i < 3; i++) {
        const { result, cores: used } = await withCpu(hubs, sweep);
        timed.push(result.seconds);
        inStore.push(result.inStore);
        cores = used;
        console.error(`  sweep (${label}): ${round(result.seconds)} s (${round(result.inStore)} s in the store), cores ${JSON.stringify(used)}`);
      }
      return { seconds: round(median(timed)), secondsInStore: round(median(inStore)), enterprisesPerSecond: Math.round(first.enterprises / median(inStore)), cores };
    };
    const oneWorker = await sweeps('one worker');
    hubs.push(await topology.startWorker());
    const twoWorkers = await sweeps('two workers');
    await primary.end();

    return {
      machine: `${cpus().length} cores`,
      node: process.version,
      enterprises,
      connections,
      throughput,
      sweep: { batchSize: BATCH, oneWorker, twoWorkers, ratioTwoToOne: round(twoWorkers.enterprisesPerSecond / oneWorker.enterprisesPerSecond) },
    };
  } finally {
    await topology.dispose();
  }
}
