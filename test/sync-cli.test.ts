import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { startTaxSandbox } from '../connectors/tax/sandbox/server.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/demo/portfolio.js';
import { openStore } from '../src/store/database.js';

/**
 * `npm run cli -- sync` as an operator runs it, against the tax bureau's sandbox: killed
 * (SIGKILL) in the middle of a sync, then run again, it resumes and nothing is doubled.
 */
const run = promisify(execFile);
const credentials = { clientId: 'cli-test', clientSecret: 'cli-secret-0001' };
let dataDir: string;
let sandbox: Awaited<ReturnType<typeof startTaxSandbox>>;
let environment: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-sync-'));
  const portfolio = generatePortfolio({ seed: 21, enterprises: 8, clock: '2026-11-01' });
  const store = await openStore({ kind: 'pglite', dataDir });
  await loadPortfolio(store, portfolio, { personIdSalt: 'sync-cli-test-salt-01' });
  await sql`TRUNCATE tax_filing, tax_rating, tax_arrears`.execute(store.db);
  const ids = await store.db.selectFrom('enterprise').select('id').execute();
  for (const { id } of ids) {
    await store.db
      .insertInto('consent')
      .values({ enterpriseId: id, scopes: ['tax'], purpose: '贷前调查', evidenceRef: 'test', grantedBy: 'test', expiresAt: new Date(Date.now() + 86_400_000) })
      .execute();
  }
  await store.close();
  sandbox = await startTaxSandbox({ portfolio, ...credentials, port: 0 });
  environment = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    HUB_URL: '',
    LOG_LEVEL: 'silent',
    CONNECTOR_TAX_BASE_URL: sandbox.url,
    CONNECTOR_TAX_CLIENT_ID: credentials.clientId,
    CONNECTOR_TAX_CLIENT_SECRET: credentials.clientSecret,
  };
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function storeCounts() {
  const store = await openStore({ kind: 'pglite', dataDir });
  try {
    const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(store.db)).rows[0] as { n: string }).n);
    return {
      filings: await count(sql`SELECT count(*) AS n FROM tax_filing`),
      current: await count(sql`SELECT count(DISTINCT external_id) AS n FROM tax_filing WHERE superseded_at IS NULL`),
      checkpoints: await count(sql`SELECT count(*) AS n FROM sync_checkpoint`),
    };
  } finally {
    await store.close();
  }
}

it('resumes after being killed mid-sync, without duplicates, and prints a summary', async () => {
  // Slow every answer down so the kill lands mid-run.
  sandbox.setFaults({ rate: 1, kinds: ['latency'], seed: 1 });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sync', '--all'], { env: environment, stdio: 'ignore' });
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requests = sandbox.stats().requests;
    if (requests >= 6) break;
  }
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const counts = await storeCounts();
  expect(counts.checkpoints).toBeGreaterThan(0);

  sandbox.setFaults({ rate: 0 });
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sync', '--all'], { env: environment });
  expect(stdout).toMatch(/tax/);
  expect(stdout).toMatch(/fetched/);
  const after = await storeCounts();
  // Every filing is stored once: no row beyond the current version of each.
  expect(after.filings).toBe(after.current);
  expect(after.current).toBeGreaterThan(counts.current);
}, 180_000);
