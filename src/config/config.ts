import { z } from 'zod';
import { clockFrom, systemClock, type Clock } from '../common/clock.js';
import { sources } from '../../connectors/index.js';
import { parseSandboxFaults } from '../../connectors/kit/faults.js';
import { loadTrustedDocuments, TrustedDocumentsError } from '../server/trusted-documents.js';

/**
 * The hub's configuration, read from the environment once at start and validated, so a bad
 * value stops the start with a message naming it instead of failing later at the first use.
 */
/** An unset variable and an empty one mean the same: not configured. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PGlite's folder, or `memory` for a store that lives and dies with the process. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** A PostgreSQL server; when set, PGlite is not used at all. */
  DATABASE_URL: optional(z.string().url()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A streaming replica of DATABASE_URL: profile, risk-view and feature reads go there, except a user's reads after their own writes. */
  DATABASE_READ_URL: optional(z.string().url()),
  /**
   * The server itself, when DATABASE_URL is a pooler in transaction mode (pgbouncer): the hub
   * then keeps no state in DATABASE_URL's sessions and holds its LISTEN connection here.
   */
  DATABASE_DIRECT_URL: optional(z.string().url()),
  /** Salt for the hash that identifies a natural person; the clear ID number is never stored. */
  PERSON_ID_SALT: optional(z.string().min(16)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(20261101),
  /** The demo's today: the first day of the month after its 36 months of history. */
  DEMO_CLOCK: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'must be the first day of a month, YYYY-MM-01')
    .default('2026-11-01'),
  DEMO_ENTERPRISES: z.coerce.number().int().min(1).max(50_000).default(200),
  /**
   * The hub's today when the process starts, running in real time from there: a hub or CLI
   * pinned to its data's date (tests and development, never production; no demo then, whose
   * clock is DEMO_CLOCK). Unset: the machine's clock.
   */
  CLOCK_START: optional(z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant, e.g. 2026-11-01T08:00:00Z' })),
  /** Whether `serve` runs the demo (its sandboxes, clock and loan book); on by default outside production, never in it. */
  DEMO: optional(z.enum(['true', 'false']).transform((value) => value === 'true')),
  /** Share of requests each demo sandbox answers with a fault, e.g. `tax=0.3,court=0.1`. */
  SANDBOX_FAULTS: z.string().default(''),
  /** HS256 secret the hub verifies (and the `token` command signs) with. */
  JWT_SECRET: optional(z.string().min(32, 'at least 32 characters')),
  /** An identity provider's key set (RS256 or ES256) instead of a shared secret. */
  JWKS_URL: optional(z.string().url()),
  JWT_ISSUER: optional(z.string().min(1)),
  JWT_AUDIENCE: optional(z.string().min(1)),
  HUB_URL: optional(z.string().url()),
  HUB_TOKEN: optional(z.string().min(1)),
  /** When the loan book is swept (cron: minute hour day month weekday, China Standard Time). */
  MONITORING_SCHEDULE: z
    .string()
    .trim()
    .regex(/^\S+( \S+){4}$/, 'must be a cron expression of five fields, e.g. "0 2 * * *"')
    .default('0 2 * * *'),
  /** Enterprises a monitoring batch job pulls and judges together. */
  MONITORING_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** How long a worker may hold a monitoring batch before it counts as lost and is retried. */
  MONITORING_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
  /** How long a sync run may go without its process's heartbeat before it counts as abandoned. */
  SYNC_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(60),
  /** How often the job queue reclaims lost jobs and archives finished ones. */
  JOBS_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Limits on a GraphQL document (GraphQL Armor): field depth, cost (a list weighs its `first`:
   * a page of 50 enterprises with every field of the contract costs about 123,000), aliases,
   * directives, tokens.
   */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(10_000_000).default(150_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
  /** Expensive operations (feature vectors, syncs, sweeps) a user may start a minute. */
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Websocket connections one user may hold open at once, per hub process. */
  WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Subscriptions one websocket connection may run at once. */
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Browser origins allowed to call the API (CORS), comma-separated; none by default. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(
      z.array(
        z.string().refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, 'must be origins such as https://console.bank.example (scheme, host, port; no path or trailing slash), comma-separated'),
      ),
    ),
  /** The bearer token Prometheus scrapes /metrics with; without it, production serves no metrics. */
  METRICS_TOKEN: optional(z.string().min(16, 'at least 16 characters')),
  /** Run only the operations of the trusted-document manifests (src/server/trusted-documents.ts). */
  TRUSTED_DOCUMENTS_ONLY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** More manifests than the built-in clients', comma-separated paths (graphql-codegen client preset's persisted-documents.json). */
  TRUSTED_DOCUMENTS_FILES: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((file) => file.trim()).filter(Boolean)),
});

export type Config = {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  store: StoreConfig;
  personIdSalt: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  demo: { enabled: boolean; seed: number; enterprises: number; clock: string; sandboxFaults: Record<string, number> };
  /** CLOCK_START: where the hub's today starts, when not on the machine's clock (src/common/clock.ts). */
  clockStart: string | undefined;
  /** Where the HS256 secret for development lives: the embedded store's folder. */
  dataDir: string;
  auth: AuthConfig;
  /** The running hub CLI commands go through (HUB_URL), and the token they act with (HUB_TOKEN). */
  hub: { url: string | undefined; token: string | undefined };
  jobs: { maintenanceIntervalSeconds: number };
  monitoring: { schedule: string; batchSize: number; leaseSeconds: number };
  /** Sync runs' lease (src/ingest/engine.ts). */
  sync: { leaseSeconds: number };
  /** How much a request may ask for (src/server/limits.ts). */
  limits: RequestLimits;
  corsOrigins: string[];
  metricsToken: string | undefined;
  /** Which operations the hub runs: with `only`, those of the built-in clients' manifests and `files`. */
  trustedDocuments: { only: boolean; files: string[] };
};

export interface RequestLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  expensivePerMinute: number;
  /** Websocket connections a user may hold at once (per process). */
  socketsPerUser: number;
  /** Subscriptions a websocket connection may run at once. */
  subscriptionsPerSocket: number;
}

/** How tokens are verified; `development` is a random secret kept in DATA_DIR (src/auth/tokens.ts). */
export type AuthConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'jwks'; url: string; issuer: string; audience: string }
  | { kind: 'development' };

/** Where the data lives: one discriminated union, so a wrong combination does not compile. */
export type StoreConfig =
  | { kind: 'pglite'; dataDir: string | 'memory' }
  | {
      kind: 'postgres';
      url: string;
      /** Connections per process, to the server and to the replica each. */
      poolSize: number;
      /** DATABASE_READ_URL. */
      readUrl?: string;
      /** DATABASE_DIRECT_URL: set when `url` is a transaction pooler. */
      directUrl?: string;
    };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const developmentSalt = 'creditgraph-development-salt-not-for-production';

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration — ${problems.join('; ')}`);
  }
  const env = parsed.data;
  let sandboxFaults: Record<string, number>;
  try {
    sandboxFaults = parseSandboxFaults(env.SANDBOX_FAULTS, sources.map((source) => source.connector.manifest.id));
  } catch (error) {
    throw new ConfigError(`invalid configuration — SANDBOX_FAULTS: ${(error as Error).message}`);
  }
  try {
    loadTrustedDocuments(env.TRUSTED_DOCUMENTS_FILES, env.TRUSTED_DOCUMENTS_ONLY);
  } catch (error) {
    if (!(error instanceof TrustedDocumentsError)) throw error;
    throw new ConfigError(`invalid configuration — TRUSTED_DOCUMENTS_FILES: ${error.message}`);
  }
  if (!env.DATABASE_URL && (env.DATABASE_READ_URL || env.DATABASE_DIRECT_URL)) {
    throw new ConfigError(`invalid configuration — ${env.DATABASE_READ_URL ? 'DATABASE_READ_URL' : 'DATABASE_DIRECT_URL'}: only with DATABASE_URL (the embedded store has no replica or pooler)`);
  }
  if (env.NODE_ENV === 'production' && !env.PERSON_ID_SALT) {
    throw new ConfigError('invalid configuration — PERSON_ID_SALT: required in production');
  }
  if (env.JWT_SECRET && env.JWKS_URL) {
    throw new ConfigError('invalid configuration — JWT_SECRET and JWKS_URL: set one, not both');
  }
  if (env.JWKS_URL && (!env.JWT_ISSUER || !env.JWT_AUDIENCE)) {
    throw new ConfigError('invalid configuration — JWT_ISSUER and JWT_AUDIENCE: required with JWKS_URL, or any token of that identity provider would do');
  }
  if (env.NODE_ENV === 'production' && env.DEMO) {
    throw new ConfigError('invalid configuration — DEMO: the demo (sandboxes as upstreams, a clock of its own) never runs in production');
  }
  if (env.CLOCK_START && env.NODE_ENV === 'production') {
    throw new ConfigError("invalid configuration — CLOCK_START: production's today is the machine's clock");
  }
  if (env.CLOCK_START && env.DEMO) {
    throw new ConfigError('invalid configuration — CLOCK_START: the demo runs on its own clock (DEMO_CLOCK), not with CLOCK_START');
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWKS_URL) {
    throw new ConfigError('invalid configuration — JWT_SECRET or JWKS_URL: one is required in production');
  }
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    store: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, readUrl: env.DATABASE_READ_URL, directUrl: env.DATABASE_DIRECT_URL }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
    personIdSalt: env.PERSON_ID_SALT ?? developmentSalt,
    logLevel: env.LOG_LEVEL,
    // A hub pinned to a date (CLOCK_START) runs no demo unless asked, and then refuses (above).
    demo: { enabled: env.DEMO ?? (env.NODE_ENV !== 'production' && !env.CLOCK_START), seed: env.DEMO_SEED, enterprises: env.DEMO_ENTERPRISES, clock: env.DEMO_CLOCK, sandboxFaults },
    clockStart: env.CLOCK_START,
    dataDir: env.DATA_DIR,
    auth: env.JWT_SECRET
      ? { kind: 'secret', secret: env.JWT_SECRET }
      : env.JWKS_URL
        ? { kind: 'jwks', url: env.JWKS_URL, issuer: env.JWT_ISSUER!, audience: env.JWT_AUDIENCE! }
        : { kind: 'development' },
    hub: { url: env.HUB_URL, token: env.HUB_TOKEN },
    jobs: { maintenanceIntervalSeconds: env.JOBS_MAINTENANCE_SECONDS },
    monitoring: { schedule: env.MONITORING_SCHEDULE, batchSize: env.MONITORING_BATCH_SIZE, leaseSeconds: env.MONITORING_LEASE_SECONDS },
    sync: { leaseSeconds: env.SYNC_LEASE_SECONDS },
    limits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxCost: env.GRAPHQL_MAX_COST,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      expensivePerMinute: env.RATE_LIMIT_EXPENSIVE_PER_MINUTE,
      socketsPerUser: env.WS_MAX_CONNECTIONS_PER_USER,
      subscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
    corsOrigins: env.CORS_ORIGINS,
    metricsToken: env.METRICS_TOKEN,
    trustedDocuments: { only: env.TRUSTED_DOCUMENTS_ONLY, files: env.TRUSTED_DOCUMENTS_FILES },
  };
}

/** The hub's today outside the demo: the machine's clock, or CLOCK_START's pinned one. */
export function hubClock(config: Pick<Config, 'clockStart'>): Clock {
  return config.clockStart === undefined ? systemClock : clockFrom(config.clockStart);
}
