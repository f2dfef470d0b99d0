/** What the benchmarks share: a store per backend, a hub in a child process, a load run. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Role } from '../src/auth/roles.js';
import { signToken } from '../src/auth/tokens.js';
import { clockFrom, systemClock, type Clock } from '../src/common/clock.js';
import type { StoreConfig } from '../src/config/config.js';

/** The secret hubs under benchmark verify tokens with. */
export const JWT_SECRET = 'bench-jwt-secret-bench-jwt-secret-0001';

/** The hub's today in a benchmark's own process: its portfolio's date (2026-11-01), running in real time. */
export const benchClock = (): Clock => clockFrom('2026-11-01T00:00:00.000Z');

/** What a credit officer's screen and a scoring service send: a token with both roles, in clear personal data and all. */
export const BENCH_VIEWER: { user: string; roles: readonly Role[] } = { user: 'bench', roles: ['ANALYST', 'SCORING_SERVICE'] };

/** The headers of every benchmark request: JSON and a bearer token the hub verifies. */
export async function requestHeaders(roles: readonly Role[] = BENCH_VIEWER.roles): Promise<Record<string, string>> {
  const token = await signToken(new TextEncoder().encode(JWT_SECRET), { user: BENCH_VIEWER.user, roles: [...roles] }, 4 * 3600, systemClock());
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}

export interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export const round = (value: number) => Math.round(value * 100) / 100;

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function prepareBackend(backend: string) {
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
  const name = `creditgraph_bench_${randomBytes(6).toString('hex')}`;
  await administer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    storeConfig: { kind: 'postgres', url: url.toString(), poolSize: 10 } as StoreConfig,
    env: { DATABASE_URL: url.toString() } as Record<string, string>,
    dispose: () => administer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export async function administer(serverUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}

export async function startHubProcess(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = 4400 + Math.floor(Math.random() * 500);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', PERSON_ID_SALT: 'bench-salt-bench-salt', JWT_SECRET },
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

/**
 * autocannon against the hub's /graphql with `connections` connections for `seconds`, after a
 * two-second warm-up (JIT, pools, caches); each request's body from `body()`. The first
 * request must answer without errors.
 */
export async function measure(
  url: string,
  connections: number,
  seconds: number,
  body: () => { query: string; variables?: Record<string, unknown> },
  roles?: readonly Role[],
): Promise<Measurement> {
  const headers = await requestHeaders(roles);
  const check = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body()) });
  const checked = (await check.json()) as { errors?: unknown };
  if (!check.ok || checked.errors) throw new Error(`the query fails: ${JSON.stringify(checked).slice(0, 500)}`);
  const options = {
    url: `${url}/graphql`,
    connections,
    method: 'POST' as const,
    headers,
    requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify(body()) }) }],
  };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: seconds });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
