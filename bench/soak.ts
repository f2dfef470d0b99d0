/**
 * `npm run bench -- soak`: the hub under a steady mixed load for a long while, on PostgreSQL — a
 * script an operator runs before a release, not a test. It seeds a fresh database, serves it from
 * a hub in a child process (production settings), and runs SOAK_CLIENTS clients (20), each
 * sending one operation after another for SOAK_MINUTES (10): profile and risk-view reads,
 * enterprise pages, feature vectors, alerts, the portfolio, and mutations (consent granted then
 * revoked, an application created then withdrawn). Each client draws its operations from a
 * seeded PRNG, so two runs send the same mix.
 *
 * Reports errors by operation and code (target: none), throughput per minute and overall, p50
 * and p99 latency by operation, and the hub's memory (resident set and V8 heap, from /metrics)
 * after the warm-up minute and at the end (target: no growth beyond 20%).
 *
 * Options (environment): DATABASE_URL (required), SOAK_MINUTES (10), SOAK_CLIENTS (20),
 * SOAK_ENTERPRISES (2000).
 */
import { cpus } from 'node:os';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/world/index.js';
import { seededRandom } from '../connectors/kit/faults.js';
import { openStore } from '../src/store/database.js';
import { toGlobalId } from '../src/graphql/ids.js';
import { median, prepareBackend, requestHeaders, round, startHubProcess } from './support.js';
import { systemClock } from '../src/common/clock.js';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const clients = Number(process.env.SOAK_CLIENTS ?? 20);
const enterprises = Number(process.env.SOAK_ENTERPRISES ?? 2000);
const METRICS_TOKEN = 'soak-metrics-token-0001';

interface Sample {
  operation: string;
  at: number;
  ms: number;
  codes: string[];
}

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** One client's turn: an operation (or a pair, a mutation and its undoing) on an enterprise. */
interface Operation {
  name: string;
  weight: number;
  run(ask: Ask, enterprise: { id: string; uscc: string }, ids: string[]): Promise<void>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'profile',
    weight: 30,
    run: async (ask, { uscc }) => {
      await ask(
        `query Profile($uscc: String!) { enterprise(uscc: $uscc) { id uscc name status establishedOn registeredCapital { amount currency }
          legalRepresentative { name } shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }
          taxRatings { year grade } dataFreshness { source lastObservedAt } } }`,
        { uscc },
      );
    },
  },
  {
    name: 'riskView',
    weight: 20,
    run: async (ask, { uscc }) => {
      await ask('query Risk($uscc: String!) { enterprise(uscc: $uscc) { riskView { score grade decision recommendedLimit { amount } reasonCodes { code } } } }', { uscc });
    },
  },
  {
    name: 'enterprisePage',
    weight: 15,
    run: async (ask) => {
      await ask('{ enterprises(first: 20) { totalCount edges { node { uscc name status } } } }');
    },
  },
  {
    name: 'featureVectors',
    weight: 10,
    run: async (ask, _enterprise, ids) => {
      await ask('query Vectors($ids: [ID!]!) { featureVectors(enterpriseIds: $ids) { enterpriseId values { name value } } }', { ids });
    },
  },
  {
    name: 'alerts',
    weight: 5,
    run: async (ask) => {
      await ask('{ alerts(first: 20) { totalCount edges { node { id status signal { code severity } } } } }');
    },
  },
  {
    name: 'portfolio',
    weight: 5,
    run: async (ask) => {
      await ask('{ portfolio { byGrade { key loans } } }');
    },
  },
  {
    name: 'consentGrantRevoke',
    weight: 10,
    run: async (ask, { id }) => {
      const granted = await ask(
        'mutation Grant($input: GrantConsentInput!) { grantConsent(input: $input) { id } }',
        { input: { enterpriseId: id, scopes: ['tax'], purpose: 'POST_LOAN_MANAGEMENT', expiresAt: new Date(systemClock().getTime() + 86_400_000).toISOString(), evidenceRef: 'soak' } },
      );
      const consent = granted.grantConsent as { id: string } | undefined;
      if (consent) await ask('mutation Revoke($id: ID!) { revokeConsent(id: $id) { id } }', { id: consent.id });
    },
  },
  {
    name: 'applicationCreateWithdraw',
    weight: 5,
    run: async (ask, { uscc }) => {
      const created = await ask(
        'mutation Create($input: CreateApplicationInput!) { createApplication(input: $input) { id } }',
        { input: { uscc, product: 'invoice-loan', amount: '100000.00', termMonths: 12 } },
      );
      const application = created.createApplication as { id: string } | undefined;
      if (application) await ask('mutation Withdraw($id: ID!) { withdrawApplication(id: $id) { id } }', { id: application.id });
    },
  },
];

async function hubMemory(url: string): Promise<{ rssMb: number; heapUsedMb: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { rssMb: round(value('creditgraph_process_resident_memory_bytes')), heapUsedMb: round(value('creditgraph_nodejs_heap_size_used_bytes')) };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN);
};

export async function soak(): Promise<Record<string, unknown>> {
  if (!process.env.DATABASE_URL) throw new Error('the soak runs on PostgreSQL: set DATABASE_URL');
  const prepared = (await prepareBackend('postgres'))!;
  try {
    const portfolio = generatePortfolio({ seed: 20261129, enterprises, clock: '2026-11-01' });
    const store = await openStore(prepared.storeConfig);
    await loadPortfolio(store, portfolio, { personIdSalt: 'bench-salt-bench-salt' });
    const rows = await store.db.selectFrom('enterprise').select(['id', 'uscc']).orderBy('id').execute();
    await store.close();
    const targets = rows.map((row) => ({ id: toGlobalId('Enterprise', row.id), uscc: row.uscc }));
    console.error(`soak: seeded ${targets.length} enterprises; ${clients} clients for ${minutes} min`);

    const hub = await startHubProcess({ ...prepared.env, METRICS_TOKEN, RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000' });
    try {
      const headers = await requestHeaders(['ANALYST', 'SCORING_SERVICE', 'RISK_MANAGER']);
      const samples: Sample[] = [];
      const errors = new Map<string, { count: number; example: string }>();
      const started = performance.now();
      const warmUpMs = 60_000;
      const endsAt = started + minutes * 60_000;
      const memory: { minute: number; rssMb: number; heapUsedMb: number }[] = [];
      const sampler = setInterval(() => {
        void hubMemory(hub.url).then((m) => memory.push({ minute: round((performance.now() - started) / 60_000), ...m }));
      }, 30_000);

      const client = async (index: number) => {
        const random = seededRandom(1000 + index);
        const totalWeight = OPERATIONS.reduce((sum, operation) => sum + operation.weight, 0);
        while (performance.now() < endsAt) {
          let draw = random() * totalWeight;
          const operation = OPERATIONS.find((candidate) => (draw -= candidate.weight) < 0) ?? OPERATIONS[0]!;
          const enterprise = targets[Math.floor(random() * targets.length)]!;
          const first = Math.floor(random() * (targets.length - 10));
          const ids = targets.slice(first, first + 10).map((target) => target.id);
          const codes: string[] = [];
          const ask: Ask = async (query, variables = {}) => {
            const response = await fetch(`${hub.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }).catch((error: Error) => error);
            if (response instanceof Error) {
              codes.push('NETWORK');
              errors.set(`${operation.name}:NETWORK`, { count: (errors.get(`${operation.name}:NETWORK`)?.count ?? 0) + 1, example: response.message });
              return {};
            }
            const body = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status} without JSON`, extensions: { code: `HTTP_${response.status}` } }] }))) as {
              data?: Record<string, unknown>;
              errors?: { message: string; extensions?: { code?: string } }[];
            };
            for (const error of body.errors ?? []) {
              const code = error.extensions?.code ?? 'UNKNOWN';
              codes.push(code);
              const key = `${operation.name}:${code}`;
              errors.set(key, { count: (errors.get(key)?.count ?? 0) + 1, example: error.message.slice(0, 200) });
            }
            return body.data ?? {};
          };
          const start = performance.now();
          await operation.run(ask, enterprise, ids);
          samples.push({ operation: operation.name, at: start - started, ms: performance.now() - start, codes });
        }
      };
      await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
      clearInterval(sampler);
      const end = await hubMemory(hub.url);
      const start = memory.find((m) => m.minute >= warmUpMs / 60_000) ?? memory[0]!;

      const seconds = (performance.now() - started) / 1000;
      const byOperation = Object.fromEntries(
        OPERATIONS.map(({ name }) => {
          const times = samples.filter((sample) => sample.operation === name).map((sample) => sample.ms);
          return [name, { count: times.length, p50: round(median(times)), p99: percentile(times, 99) }];
        }),
      );
      const perMinute = Array.from({ length: Math.ceil(minutes) }, (_, minute) => samples.filter((sample) => sample.at >= minute * 60_000 && sample.at < (minute + 1) * 60_000).length);
      return {
        machine: `${cpus().length} cores`,
        node: process.version,
        enterprises: targets.length,
        clients,
        minutes,
        operations: samples.length,
        operationsPerSecond: round(samples.length / seconds),
        operationsPerMinute: perMinute,
        p50: round(median(samples.map((sample) => sample.ms))),
        p99: percentile(samples.map((sample) => sample.ms), 99),
        failedOperations: samples.filter((sample) => sample.codes.length > 0).length,
        errors: Object.fromEntries(errors),
        byOperation,
        memory: { afterWarmUp: start, end, rssGrowth: round(end.rssMb / start.rssMb - 1), heapGrowth: round(end.heapUsedMb / start.heapUsedMb - 1), samples: memory },
      };
    } finally {
      await hub.stop();
    }
  } finally {
    await prepared.dispose();
  }
}
