import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createPgCluster, freePort, postgresEnvironment, type PgCluster } from './pg-cluster.js';

/**
 * The hub scaled out on one machine, as an operator would run it, all on loopback and from
 * Debian's packages: a PostgreSQL primary and its streaming replica, pgbouncer in transaction
 * mode in front of the primary, hub processes by role (`serve --role api|worker`), and nginx
 * balancing the API processes. Used by the scale-out test and benchmark.
 */
export interface HubProcess {
  role: 'api' | 'worker';
  /** The API process's own address (not nginx's); none for a worker. */
  url: string | undefined;
  child: ChildProcess;
  /** Everything it printed. */
  output: string[];
  /** Ends it; `SIGKILL` to kill it as a crash would. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface Topology {
  primary: PgCluster;
  replica: PgCluster | undefined;
  /** pgbouncer's address for the primary's database, or the primary's own without pgbouncer. */
  databaseUrl: string;
  /** pgbouncer's admin console, for SHOW STATS. */
  bouncerAdminUrl: string | undefined;
  startApi(): Promise<HubProcess>;
  startWorker(): Promise<HubProcess>;
  /** nginx in front of these API processes; stops the previous nginx. */
  balance(apis: readonly HubProcess[]): Promise<string>;
  dispose(): Promise<void>;
}

export interface TopologyOptions {
  /** The hub's environment besides the database's (secrets, upstreams, schedules). */
  env: NodeJS.ProcessEnv;
  replica?: boolean;
  bouncer?: boolean;
}

const root = process.getuid?.() === 0;
/** pgbouncer, like PostgreSQL, refuses to run as root. */
const postgresUser = () => (root ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {});

export function missingPackages(): string[] {
  return [
    ['nginx', '/usr/sbin/nginx'],
    ['pgbouncer', '/usr/sbin/pgbouncer'],
  ]
    .filter(([, path]) => !existsSync(path!))
    .map(([name]) => name!);
}

export async function createTopology(options: TopologyOptions): Promise<Topology> {
  const missing = missingPackages();
  if (missing.length > 0) throw new Error(`the scale-out topology needs ${missing.join(' and ')} (apt-get install -y ${missing.join(' ')})`);
  const dir = mkdtempSync(join(tmpdir(), 'creditgraph-topology-'));
  chmodSync(dir, 0o777);
  const children = new Set<ChildProcess>();
  const primary = await createPgCluster();
  const replica = options.replica ? await createPgCluster({ replicaOf: primary }) : undefined;
  let bouncer: { url: string; adminUrl: string; child: ChildProcess } | undefined;
  if (options.bouncer) {
    // What the hub would set in its sessions, set on the role instead, as the README asks of an operator behind a pooler.
    await primary.sql("ALTER ROLE postgres SET jit = off; ALTER ROLE postgres SET work_mem = '16MB'");
    bouncer = await startPgBouncer(primary, dir);
    children.add(bouncer.child);
  }
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    DATABASE_URL: bouncer?.url ?? primary.url,
    DATABASE_DIRECT_URL: bouncer ? primary.url : '',
    DATABASE_READ_URL: replica?.url ?? '',
  };
  let nginx: ChildProcess | undefined;

  const startHub = async (role: 'api' | 'worker'): Promise<HubProcess> => {
    const port = await freePort();
    // Readiness is read from the lifecycle lines, which are logged at info.
    const started = await startRole(role, { ...env, PORT: String(port), LOG_LEVEL: 'info' });
    children.add(started.child);
    return { ...started, url: role === 'api' ? `http://127.0.0.1:${port}` : undefined };
  };

  return {
    primary,
    replica,
    databaseUrl: env.DATABASE_URL!,
    bouncerAdminUrl: bouncer?.adminUrl,
    startApi: () => startHub('api'),
    startWorker: () => startHub('worker'),
    async balance(apis) {
      if (nginx) {
        children.delete(nginx);
        await stopChild(nginx, 'SIGTERM');
      }
      const port = await freePort();
      nginx = await startNginx(port, apis.map((api) => api.url!), dir);
      children.add(nginx);
      return `http://127.0.0.1:${port}`;
    },
    async dispose() {
      // nginx's master ends its workers on SIGTERM; killed, it would leave them behind.
      await Promise.all([...children].map((child) => stopChild(child, child === nginx ? 'SIGTERM' : 'SIGKILL')));
      await replica?.dispose();
      await primary.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** `serve --role ROLE` until it logs that it is ready. */
function startRole(role: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<Omit<HubProcess, 'url'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--role', role], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const ready = role === 'api' ? /"msg":"hub listening"/ : /"msg":"worker ready/;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      if (ready.test(line)) resolve({ role, child, output, stop: (signal = 'SIGTERM') => stopChild(child, signal) });
    });
    child.once('exit', (code, signal) => reject(new Error(`serve --role ${role} exited (${code ?? signal}): ${output.join('\n').slice(-2000)}`)));
  });
}

/** pgbouncer in transaction mode: every statement of a session may run on another server connection. */
async function startPgBouncer(primary: PgCluster, dir: string): Promise<{ url: string; adminUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const home = join(dir, 'pgbouncer');
  mkdirSync(home);
  writeFileSync(join(home, 'users.txt'), '"postgres" ""\n');
  writeFileSync(
    join(home, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=127.0.0.1 port=${primary.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      "unix_socket_dir = ''",
      'auth_type = trust',
      `auth_file = ${join(home, 'users.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      // Fewer server connections than the hub processes' pools hold together: pgbouncer multiplexes them.
      'default_pool_size = 12',
      'max_client_conn = 1000',
      `logfile = ${join(home, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  if (root) chownSync(home, postgresUser().uid!, postgresUser().gid!);
  const child = spawn('/usr/sbin/pgbouncer', [join(home, 'pgbouncer.ini')], { ...postgresUser(), env: postgresEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitForPort(port, child, 'pgbouncer');
  return { url, adminUrl: `postgres://postgres@127.0.0.1:${port}/pgbouncer`, child };
}

/** nginx balancing `upstreams` round-robin; a process that refuses connections is skipped for 5 s. */
async function startNginx(port: number, upstreams: readonly string[], dir: string): Promise<ChildProcess> {
  const home = mkdtempSync(join(dir, 'nginx-'));
  chmodSync(home, 0o777);
  const conf = join(home, 'nginx.conf');
  writeFileSync(
    conf,
    [
      ...(root ? ['user root;'] : []),
      'worker_processes 1;',
      'daemon off;',
      'master_process on;',
      `pid ${join(home, 'nginx.pid')};`,
      `error_log ${join(home, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((temp) => `  ${temp}_temp_path ${join(home, temp)};`),
      // A request nginx could not hand to a process (connection refused) goes to the next one; one
      // a process took and then died with is the client's to retry (a POST may have changed things).
      // Connections to the processes are kept open and reused, closed by nginx before the hub's
      // own 5 s keep-alive would close them under a request.
      `  upstream hub { ${upstreams.map((url) => `server ${new URL(url).host} max_fails=1 fail_timeout=5s;`).join(' ')} keepalive 64; keepalive_timeout 4s; }`,
      "  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }",
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    location / {',
      '      proxy_pass http://hub;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Upgrade $http_upgrade;',
      '      proxy_set_header Connection $connection_upgrade;',
      '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '      proxy_read_timeout 300s;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/nginx', ['-p', home, '-c', conf, '-e', join(home, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForPort(port, child, 'nginx');
  return child;
}

async function waitForPort(port: number, child: ChildProcess, name: string): Promise<void> {
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${errors}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} does not listen on ${port}: ${errors}`);
}
