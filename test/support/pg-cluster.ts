import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { withoutFaketime } from './clock.js';

/**
 * A PostgreSQL cluster of a test's own, from the server binaries Debian installs, on a free
 * loopback port: what a test needs when it stops and starts the server under the hub.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export interface PgCluster {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Runs SQL text (any number of statements) as the superuser. */
  sql(text: string): Promise<void>;
  /** A fast shutdown: open connections are cut, as when a server goes down under traffic. */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
    return versions.length > 0 ? join(root, versions.at(-1)!, 'bin') : null;
  } catch {
    return null;
  }
}

const run = promisify(execFile);

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a process this one starts as the postgres user: this process's, but for
 * a preloaded libfaketime's shared memory (CI's run a year ahead), which belongs to this user and
 * which the postgres user could not open; its processes make their own.
 */
export function postgresEnvironment(): NodeJS.ProcessEnv {
  const { FAKETIME_SHARED: _shared, ...environment } = process.env;
  return environment;
}

/**
 * A new cluster; with `replicaOf`, a streaming replica of that running cluster, copied from it
 * by pg_basebackup (hot standby, replaying what the primary streams).
 */
export async function createPgCluster(options: { replicaOf?: PgCluster } = {}): Promise<PgCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const root = process.getuid?.() === 0;
  const owner = root ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'creditgraph-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  // Asynchronous, so that traffic the test sends meanwhile is not held up. On the real clock even in
  // CI's run a year ahead (withoutFaketime): the hub asks its own clock, never the server's.
  const environment = withoutFaketime();
  const as = (command: string, args: string[]) =>
    root ? run('su', ['postgres', '-c', [command, ...args].map((part) => `'${part}'`).join(' ')], { env: environment }) : run(command, args, { env: environment });
  if (owner !== undefined) chownSync(dir, owner, owner);
  if (options.replicaOf) {
    await as(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(options.replicaOf.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast']);
  } else {
    await as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const port = await freePort();
  const ctl = (...args: string[]) => as(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: async () => void (await ctl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'server.log'), '-w', 'start')),
    stop: async () => void (await ctl('-m', 'fast', '-w', 'stop')),
    async sql(text) {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await cluster.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
