import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../src/auth/tokens.js';
import { openStore } from '../src/store/database.js';
import { bookLoans } from './support/loans.js';
import { createPgCluster, type PgCluster } from './support/pg-cluster.js';
import { monotonicMs, systemClock } from '../src/common/clock.js';
import { describeOnServer } from './support/server-suite.js';

/**
 * The PostgreSQL server goes down under traffic and comes back. The hub, run as an operator runs
 * it in production (`serve`, NODE_ENV=production), answers every request while the server is
 * down with SERVICE_UNAVAILABLE, 503 and Retry-After, and says it is not ready; when the
 * server is back it recovers by itself: reads, and a sweep through the job queue, work again.
 *
 * A database-server suite: it runs against PostgreSQL (DATABASE_URL set, as in CI's
 * PostgreSQL stage), with a cluster of its own, since it stops the server.
 */
const cli = ['--import', 'tsx', 'src/cli/main.ts'];
const JWT_SECRET = 'store-outage-jwt-secret-of-forty-characters';

interface Answer {
  phase: string;
  status: number;
  retryAfter: string | null;
  codes: string[];
  data: boolean;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnServer('the PostgreSQL server stopped and started under traffic', () => {
  let cluster: PgCluster;
  let hub: ChildProcess | undefined;
  const log: string[] = [];

  afterAll(async () => {
    hub?.kill('SIGKILL');
    await cluster?.dispose();
  });

  it('fails requests clearly while it is down, is not ready, and recovers by itself', async () => {
    cluster = await createPgCluster();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: cluster.url,
      JWT_SECRET,
      PERSON_ID_SALT: 'store-outage-person-salt',
      PORT: '0',
      HUB_URL: '',
      DEMO: '',
      LOG_LEVEL: 'info',
    };
    const seeded = await run(['seed', '--enterprises', '20'], env);
    expect([seeded.code, seeded.stderr.includes('error:') ? seeded.stderr : '']).toEqual([0, '']);
    // A loan book, so that the sweep after the outage raises alerts.
    const book = await openStore({ kind: 'postgres', url: cluster.url, poolSize: 2 });
    // The hub runs in production, on the machine's clock: the book is made on it.
    await bookLoans(book.db, (await book.db.selectFrom('enterprise').select('id').execute()).map((row) => row.id), { now: systemClock() });
    await book.close();

    hub = spawn(process.execPath, [...cli, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let url = '';
    for await (const line of createInterface({ input: hub.stdout! })) {
      log.push(line);
      const listening = /"msg":"hub listening"/.test(line) ? (JSON.parse(line) as { url: string }).url : undefined;
      if (listening) {
        url = listening;
        break;
      }
    }
    hub.stdout!.on('data', (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean)));
    const analyst = await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'outage-analyst', roles: ['ANALYST'] }, 3600, systemClock());
    const manager = await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'outage-manager', roles: ['RISK_MANAGER'] }, 3600, systemClock());
    const ask = async (token: string, query: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, retryAfter: response.headers.get('retry-after'), codes: (body.errors ?? []).map((error) => String(error.extensions?.code)), data: body.data != null };
    };
    const ready = async () => (await fetch(`${url}/readyz`)).status;
    // A subscriber from before the outage: the hub's LISTEN connection is cut with the server, and comes back.
    const subscriber = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${manager}` }, retryAttempts: 0, lazy: false });
    const heard: unknown[] = [];
    subscriber.subscribe({ query: 'subscription { alertRaised { id } }' }, { next: (event) => heard.push(event), error: (error) => heard.push(error), complete: () => undefined });
    await sleep(500);

    const unavailable = (answer: Answer) => answer.status === 503 && answer.retryAfter === '5' && !answer.data && answer.codes.every((code) => code === 'SERVICE_UNAVAILABLE');
    // Four clients read enterprises, one after another, all through the outage.
    let phase = 'up';
    let traffic = true;
    const answers: Answer[] = [];
    const client = async () => {
      while (traffic) {
        const sentIn = phase;
        const answer = await ask(analyst, '{ enterprises(first: 5) { edges { node { uscc name } } } }');
        answers.push({ ...answer, phase: sentIn === phase ? phase : 'changing' });
        await sleep(20);
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await sleep(1000);

    phase = 'stopping';
    await cluster.stop();
    phase = 'down';
    await sleep(3000);
    expect(await ready()).toBe(503);
    // A user this hub has never seen is told the same: that they could not be recorded in its directory refuses nothing.
    const newcomer = await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'outage-newcomer', roles: ['ANALYST'] }, 3600, systemClock());
    expect(unavailable({ ...(await ask(newcomer, '{ enterprises(first: 5) { edges { node { uscc } } } }')), phase: 'down' })).toBe(true);
    // Alive all the same: an orchestrator must not restart every hub because the database is down.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    phase = 'starting';
    await cluster.start();
    phase = 'recovering';
    const back = monotonicMs();
    while ((await ready()) !== 200) {
      expect(monotonicMs() - back).toBeLessThan(60_000);
      await sleep(250);
    }
    phase = 'recovered';
    await sleep(2000);
    traffic = false;
    await clients;

    const of = (name: string) => answers.filter((answer) => answer.phase === name);
    const ok = (answer: Answer) => answer.status === 200 && answer.data && answer.codes.length === 0;
    expect(of('up').length).toBeGreaterThan(10);
    expect(of('up').filter((answer) => !ok(answer))).toEqual([]);
    // While it is down, every request gets an answer, and the answer says what is wrong.
    expect(of('down').length).toBeGreaterThan(10);
    expect(of('down').filter((answer) => !unavailable(answer))).toEqual([]);
    // Around the stop and the start, a request either succeeds or says the store is unavailable.
    expect(answers.filter((answer) => !ok(answer) && !unavailable(answer))).toEqual([]);
    expect(of('recovered').length).toBeGreaterThan(10);
    expect(of('recovered').filter((answer) => !ok(answer))).toEqual([]);

    // The job queue is back too: a sweep runs through it, and its alerts reach the subscriber from before.
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` }, body: JSON.stringify({ query: 'mutation { refreshMonitoring { enterprises raised } }' }) });
    const sweep = (await response.json()) as { data?: { refreshMonitoring: { enterprises: number; raised: number } }; errors?: unknown[] };
    expect(sweep.errors).toBeUndefined();
    expect(sweep.data!.refreshMonitoring.raised).toBeGreaterThan(0);
    for (const started = monotonicMs(); heard.length < sweep.data!.refreshMonitoring.raised; ) {
      expect(monotonicMs() - started).toBeLessThan(30_000);
      await sleep(200);
    }
    expect(heard).toHaveLength(sweep.data!.refreshMonitoring.raised);
    await subscriber.dispose();
    expect(hub.exitCode).toBeNull();
    expect(log.some((line) => line.includes('"msg":"the store is unavailable"'))).toBe(true);
    expect(log.filter((line) => line.includes('"msg":"unexpected error'))).toEqual([]);
  }, 180_000);
});
