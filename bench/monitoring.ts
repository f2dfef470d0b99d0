/**
 * `npm run bench -- monitoring`: the post-loan sweep, each backend in BENCH_BACKENDS.
 * - The whole book swept through the job queue in this process, one loan per enterprise of the
 *   demo portfolio (10,000 on PostgreSQL, 1,000 on PGlite; BENCH_MONITORING_ENTERPRISES
 *   overrides), with no upstream configured, so the figure excludes upstream latency: the first
 *   sweep (nothing to compare with), then the median of three sweeps with nothing changed;
 *   beside, as the baseline, reading every profile alone in batches of the same size.
 * - With the sandboxes on loopback (BENCH_MONITORING_PULLED, 100 enterprises): the median of
 *   two sweeps over unchanged upstreams once a first sweep has pulled everything, pulls included
 *   (and so bound by the connectors' rate limits), with the requests each source answered.
 * - From an upstream change to a subscriber, on a book of 100 in batches of 10: the sandboxes'
 *   clock moves a month on, a sweep is sent at once (as the schedule would), and a graphql-ws
 *   subscriber waits for the first alert: the median of three months.
 */
import { sql } from 'kysely';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { systemActor } from '../src/audit/audit.js';
import { createAuthenticator, signToken } from '../src/auth/tokens.js';
import { grantDemoConsents, registerDemoEnterprises, startDemoUpstreams } from '../src/demo/fill.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio, type Portfolio } from '../src/world/index.js';
import { createServices, type HubServices } from '../src/graphql/context.js';
import { startHub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { openStore, type Store } from '../src/store/database.js';
import { loadProfilesAsOf } from '../src/store/profiles-as-of.js';
import { median, prepareBackend, round } from './support.js';
import { benchClock } from './support.js';
import { systemClock } from '../src/common/clock.js';

const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
/** Which of the three to run (BENCH_MONITORING_PARTS, all by default). */
const parts = (process.env.BENCH_MONITORING_PARTS ?? 'sweep,pulls,latency').split(',');
const SALT = 'bench-salt-bench-salt';
const BATCH = 500;
const actor = systemActor('benchmark sweep');

export async function benchMonitoring(): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = { machine: `${(await import('node:os')).cpus().length} cores`, node: process.version, batchSize: BATCH };
  for (const backend of backends) {
    const enterprises = Number(process.env.BENCH_MONITORING_ENTERPRISES ?? (backend === 'postgres' ? 10_000 : 1_000));
    const result: Record<string, unknown> = {};
    if (parts.includes('sweep')) result.sweep = await withStore(backend, (store) => sweepBook(store, enterprises));
    if (parts.includes('pulls')) result.sweepWithPulls = await withStore(backend, (store) => sweepWithPulls(store, Number(process.env.BENCH_MONITORING_PULLED ?? 100)));
    if (parts.includes('latency')) result.changeToSubscriber = await withStore(backend, (store) => changeToSubscriber(store));
    report[backend] = result;
    console.error(`${backend}: ${JSON.stringify(result)}`);
  }
  return report;
}

async function withStore<T>(backend: string, work: (store: Store) => Promise<T>): Promise<T | undefined> {
  const prepared = await prepareBackend(backend);
  if (!prepared) return undefined;
  try {
    const store = await openStore(prepared.storeConfig);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  } finally {
    await prepared.dispose();
  }
}

/** A line of 500,000.00 to every enterprise of the store the registry knows, in one statement each, booked 60 days before `now`. */
export async function bookEveryEnterprise(store: Store, now: Date): Promise<number> {
  await sql`
    INSERT INTO application (enterprise_id, product, amount_fen, term_months, state, auto_approve_max_fen, senior_approval_fen, senior_authority_fen,
      created_by, created_at, submitted_by, submitted_at, updated_at, expires_at, recommended_decision, recommended_limit_fen,
      decision, decision_basis, decided_by, decider_role, decided_at, approved_amount_fen)
    SELECT id, 'invoice-loan', 50000000, 12, 'APPROVED', 20000000, 80000000, 200000000,
      'bench', ${now}::timestamptz, 'bench', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz + interval '30 days', 'APPROVE', 50000000,
      'APPROVE', 'MANUAL', 'bench-approver', 'APPROVER', ${now}::timestamptz, 50000000
    FROM enterprise ORDER BY id`.execute(store.db);
  const booked = await sql`
    INSERT INTO loan (application_id, enterprise_id, product, amount_fen, limit_fen, term_months, rate_bps, opened_at, matures_on)
    SELECT id, enterprise_id, product, amount_fen, amount_fen, 12, 450, ${now}::timestamptz - interval '60 days', (${now}::timestamptz)::date + 300 FROM application`.execute(store.db);
  return Number(booked.numAffectedRows);
}

async function timedSweep(services: HubServices) {
  const started = performance.now();
  const summary = await services.monitoring.refresh(actor);
  return { seconds: (performance.now() - started) / 1000, summary };
}

async function sweepBook(store: Store, enterprises: number) {
  console.error(`sweep: seeding ${enterprises} enterprises`);
  await loadPortfolio(store, generatePortfolio({ seed: 20261101, enterprises, clock: '2026-11-01' }), { personIdSalt: SALT });
  const now = benchClock();
  const loans = await bookEveryEnterprise(store, now());
  await sql`VACUUM ANALYZE`.execute(store.db);
  const ids = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);

  // The baseline: every profile read, batch after batch, and nothing else.
  const readStart = performance.now();
  for (let start = 0; start < ids.length; start += BATCH) await loadProfilesAsOf(store.db, ids.slice(start, start + BATCH), now());
  const readSeconds = (performance.now() - readStart) / 1000;

  const services = createServices(store, { now, personIdSalt: SALT, monitoring: { batchSize: BATCH } });
  await services.jobs.start({ work: true });
  try {
    const first = await timedSweep(services);
    console.error(`  first sweep: ${first.summary.enterprises} enterprises in ${round(first.seconds)} s, ${first.summary.raised} alerts`);
    const steady: number[] = [];
    for (let i = 0; i < 3; i++) {
      const sweep = await timedSweep(services);
      if (sweep.summary.raised !== 0) throw new Error(`an unchanged book raised ${sweep.summary.raised} alerts`);
      steady.push(sweep.seconds);
      console.error(`  unchanged sweep: ${round(sweep.seconds)} s`);
    }
    const steadyRate = ids.length / median(steady);
    return {
      loans,
      enterprises: ids.length,
      firstSweep: { seconds: round(first.seconds), enterprisesPerSecond: Math.round(ids.length / first.seconds), alerts: first.summary.raised },
      unchangedSweep: { seconds: round(median(steady)), enterprisesPerSecond: Math.round(steadyRate) },
      profileReadsAlone: { seconds: round(readSeconds), enterprisesPerSecond: Math.round(ids.length / readSeconds) },
      ratioToProfileReads: round(steadyRate / (ids.length / readSeconds)),
    };
  } finally {
    await services.jobs.stop();
  }
}

async function sweepWithPulls(store: Store, enterprises: number) {
  const portfolio = generatePortfolio({ seed: 20261101, enterprises, clock: '2026-11-01' });
  await loadPortfolio(store, portfolio, { personIdSalt: SALT });
  const now = benchClock();
  await grantDemoConsents(store.db, portfolio, await store.db.selectFrom('enterprise').select(['id', 'uscc']).execute(), { now: now(), personIdSalt: SALT });
  await bookEveryEnterprise(store, now());
  await sql`VACUUM ANALYZE`.execute(store.db);
  const upstreams = await startDemoUpstreams(portfolio, {});
  const services = createServices(store, { now, personIdSalt: SALT, upstreams: upstreams.configs, monitoring: { batchSize: BATCH } });
  await services.jobs.start({ work: true });
  const requests = () => [...upstreams.sandboxes.values()].reduce((sum, sandbox) => sum + sandbox.stats().requests, 0);
  try {
    const first = await timedSweep(services);
    console.error(`  pulled sweep (first): ${round(first.seconds)} s`);
    const steady: number[] = [];
    const before = requests();
    const bySource = new Map([...upstreams.sandboxes].map(([id, sandbox]) => [id, sandbox.stats().requests]));
    for (let i = 0; i < 2; i++) steady.push((await timedSweep(services)).seconds);
    return {
      enterprises,
      firstSweep: { seconds: round(first.seconds), enterprisesPerSecond: Math.round(enterprises / first.seconds) },
      unchangedSweep: {
        seconds: round(median(steady)),
        enterprisesPerSecond: Math.round(enterprises / median(steady)),
        upstreamRequestsPerSweep: (requests() - before) / 2,
        bySource: Object.fromEntries([...upstreams.sandboxes].map(([id, sandbox]) => [id, (sandbox.stats().requests - bySource.get(id)!) / 2])),
      },
    };
  } finally {
    await services.jobs.stop();
    await upstreams.close();
  }
}

/** The sandboxes serve a portfolio up to 2026-11-01 as of an earlier month; moving their clock on is the upstream change. */
async function changeToSubscriber(store: Store) {
  const portfolio: Portfolio = generatePortfolio({ seed: 20261101, enterprises: 100, clock: '2026-11-01' });
  const now = benchClock();
  await registerDemoEnterprises(store, portfolio, now(), SALT);
  await bookEveryEnterprise(store, now());
  const upstreams = await startDemoUpstreams(portfolio, {});
  const setClock = (instant: string) => upstreams.sandboxes.forEach((sandbox) => sandbox.setClock(instant));
  setClock('2026-08-01T00:00:00.000Z');
  // Small batches: a batch's alerts are published when it commits, after its enterprises' pulls.
  const services = createServices(store, { now, personIdSalt: SALT, upstreams: upstreams.configs, monitoring: { batchSize: 10 } });
  const secret = new TextEncoder().encode('bench-monitoring-secret-bench-monitoring');
  const hub = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1' }, services, authenticator: createAuthenticator({ kind: 'secret', secret }, systemClock), logger: createLogger({ logLevel: 'silent' }) });
  await services.jobs.start({ work: true });
  const token = await signToken(secret, { user: 'bench', roles: ['RISK_MANAGER'] }, 3600, systemClock());
  const client = createClient({ url: `${hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  try {
    await timedSweep(services); // the first pull of every source, and the alerts of the book as it was
    const samples: { toSubscriberMs: number; sweepMs: number }[] = [];
    for (const month of ['2026-09-01', '2026-10-01', '2026-11-01']) {
      const events = client.iterate({ query: 'subscription { alertRaised { id signal { code } } }' });
      const first = events.next();
      await new Promise((resolve) => setTimeout(resolve, 200));
      setClock(`${month}T00:00:00.000Z`);
      const changed = performance.now();
      const sweep = fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation { refreshMonitoring { raised } }' }),
      }).then(() => performance.now());
      await first;
      const received = performance.now();
      const finished = await sweep;
      await events.return?.();
      samples.push({ toSubscriberMs: Math.round(received - changed), sweepMs: Math.round(finished - changed) });
      console.error(`  ${month}: first alert at the subscriber after ${samples.at(-1)!.toSubscriberMs} ms; sweep done after ${samples.at(-1)!.sweepMs} ms`);
    }
    return {
      book: portfolio.enterprises.length,
      samples,
      medianToSubscriberMs: median(samples.map((sample) => sample.toSubscriberMs)),
      medianSweepMs: median(samples.map((sample) => sample.sweepMs)),
    };
  } finally {
    await client.dispose();
    await hub.stop();
    await services.jobs.stop();
    await upstreams.close();
  }
}
