/**
 * `npm run bench -- risk`: the risk view on the demo portfolio (10,000 enterprises on
 * PostgreSQL, 1,000 on PGlite; BENCH_RISK_ENTERPRISES overrides), each backend in BENCH_BACKENDS:
 * - features of every enterprise in batches, in this process: enterprises per second, the
 *   median of three passes, beside the profile reads alone, one batch after another (the
 *   SQL share of it: the batch computation reads two batches at once while it computes);
 * - `riskView` under autocannon (BENCH_CONNECTIONS, 10) for BENCH_SECONDS (10) against a hub in
 *   a child process, beside `{ __typename }` on the same hub;
 * - `featureVectors` for 1,000 ids over HTTP: the median of five calls.
 */
import { sql } from 'kysely';
import { toGlobalId } from '../src/graphql/ids.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/world/index.js';
import { computeFeatureVectors, FEATURE_BATCH_SIZE } from '../src/risk/features/compute.js';
import { openStore } from '../src/store/database.js';
import { loadProfilesAsOf } from '../src/store/profiles-as-of.js';
import { measure, median, prepareBackend, requestHeaders, round, startHubProcess } from './support.js';

const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const AS_OF = '2026-11-01T00:00:00.000Z';

export async function benchRisk(): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = { machine: `${(await import('node:os')).cpus().length} cores`, node: process.version, batchSize: FEATURE_BATCH_SIZE };
  for (const backend of backends) {
    const enterprises = Number(process.env.BENCH_RISK_ENTERPRISES ?? (backend === 'postgres' ? 10_000 : 1_000));
    const prepared = await prepareBackend(backend);
    if (!prepared) continue;
    try {
      const store = await openStore(prepared.storeConfig);
      console.error(`${backend}: seeding ${enterprises} enterprises`);
      await loadPortfolio(store, generatePortfolio({ seed: 20261101, enterprises, clock: '2026-11-01' }), { personIdSalt: 'bench-salt-bench-salt' });
      // A store in service has statistics and visibility maps; one just bulk-loaded has neither
      // until autovacuum comes round, which would make this a measure of its timing.
      await sql`VACUUM ANALYZE`.execute(store.db);
      const rows = await store.db.selectFrom('enterprise').select(['id', 'uscc']).orderBy('id').execute();
      const ids = rows.map((row) => row.id);
      const asOf = new Date(AS_OF);

      const passes = (run: () => Promise<unknown>) => timed(3, run);
      const profilesOnly = await passes(async () => {
        for (let start = 0; start < ids.length; start += FEATURE_BATCH_SIZE) await loadProfilesAsOf(store.db, ids.slice(start, start + FEATURE_BATCH_SIZE), asOf);
      });
      const features = await passes(() => computeFeatureVectors(store.db, ids, asOf));
      console.error(`  features: ${round(ids.length / features)} enterprises/s (profile reads alone ${round(ids.length / profilesOnly)}/s)`);
      await store.close();

      const hub = await startHubProcess(prepared.env);
      try {
        const trivial = await measure(hub.url, connections, seconds, () => ({ query: '{ __typename }' }));
        let next = 0;
        const riskView = await measure(hub.url, connections, seconds, () => ({
          query: 'query($uscc: String!, $asOf: DateTime) { enterprise(uscc: $uscc) { riskView(asOf: $asOf, product: "invoice-loan") { score grade decision probabilityOfDefault reasonCodes { code } recommendedLimit { amount } } } }',
          variables: { uscc: rows[next++ % Math.min(rows.length, 2000)]!.uscc, asOf: AS_OF },
        }));
        console.error(`  riskView: ${riskView.requestsPerSecond} req/s, p50 ${riskView.p50} ms, p99 ${riskView.p99} ms`);
        const thousand = rows.slice(0, 1000).map((row) => toGlobalId('Enterprise', row.id));
        const vectorSeconds = await timed(5, async () => {
          const response = await fetch(`${hub.url}/graphql`, {
            method: 'POST',
            headers: await requestHeaders(),
            body: JSON.stringify({ query: 'query($ids: [ID!]!, $asOf: DateTime) { featureVectors(enterpriseIds: $ids, asOf: $asOf) { enterpriseId values { name value } } }', variables: { ids: thousand, asOf: AS_OF } }),
          });
          const body = (await response.json()) as { errors?: unknown; data?: { featureVectors: unknown[] } };
          if (body.errors || body.data?.featureVectors.length !== thousand.length) throw new Error(`featureVectors failed: ${JSON.stringify(body.errors)}`);
        });
        console.error(`  featureVectors(1,000 ids): ${round(vectorSeconds * 1000)} ms`);
        report[backend] = {
          enterprises,
          featuresBatch: {
            enterprisesPerSecond: round(ids.length / features),
            seconds: round(features),
            profileReadsAlonePerSecond: round(ids.length / profilesOnly),
            statementsPerBatch: 1,
          },
          riskView: { ...riskView, ratioToTrivial: round(riskView.requestsPerSecond / trivial.requestsPerSecond) },
          trivial,
          featureVectors1000Ms: round(vectorSeconds * 1000),
        };
      } finally {
        await hub.stop();
      }
    } finally {
      await prepared.dispose();
    }
  }
  return report;
}

/** The median of `runs` timings of `run`, in seconds. */
async function timed(runs: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}
