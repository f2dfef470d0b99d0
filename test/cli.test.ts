import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { promisify } from 'node:util';
import { sources } from '../connectors/index.js';
import { hubClock, loadConfig } from '../src/config/config.js';
import { systemClock } from '../src/common/clock.js';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio } from '../src/world/index.js';
import { createServices } from '../src/graphql/context.js';
import { environmentVariable } from '../src/ingest/connector-config.js';
import { scorecardSchema } from '../src/risk/config.js';
import { FEATURES } from '../src/risk/features/catalog.js';
import { openStore } from '../src/store/database.js';
import { seedDemo } from './support/demo.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { startTestHub, testToken, TEST_PERSON_ID_SALT } from './support/hub.js';
import { testClock } from './support/clock.js';

const run = promisify(execFile);
/** The CLI's today: the test data's date (it is an operator's process, on CLOCK_START). */
const pinned = () => ({ CLOCK_START: testClock()().toISOString() });
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', HUB_URL: '', LOG_LEVEL: 'silent', ...env },
  });

/** The CLI as an operator types it, against a data folder of its own. */
describe('npm run cli -- enterprise', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-cli-'));
    const store = await openStore({ kind: 'pglite', dataDir });
    const graph = new GraphBuilder(store.db);
    const enterprise = await graph.enterprise(42, { name: '苏州命令行测试有限公司' });
    const person = await graph.person('王五');
    await graph.relation({ personId: person.id }, enterprise.id, 'LEGAL_REPRESENTATIVE');
    await graph.relation({ personId: person.id }, enterprise.id, 'SHAREHOLDER', { shareRatio: '1' });
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A token signed with the data folder's development secret, as an operator makes one. */
  const operatorToken = async (...roles: string[]) =>
    (await cli(['token', ...roles.flatMap((role) => ['--role', role]), '--user', 'operator-1', '--ttl', '10m'], { DATA_DIR: dataDir })).stdout.trim();

  it('opens the store itself when HUB_URL is not set, acting with the token the operator made', async () => {
    await expect(cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('UNAUTHENTICATED: set HUB_TOKEN'),
    });
    const { stdout } = await cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir, HUB_TOKEN: await operatorToken('ANALYST') });
    expect(JSON.parse(stdout)).toMatchObject({
      enterprise: {
        uscc: testUscc(42),
        name: '苏州命令行测试有限公司',
        legalRepresentative: { name: '王五' },
        shareholders: [{ shareRatio: 1, holder: { __typename: 'Person', name: '王五' } }],
      },
    });
  });

  it('goes through the running hub when HUB_URL is set, while the hub holds the data folder', async () => {
    const store = await openStore({ kind: 'pglite', dataDir });
    const hub = await startTestHub(store);
    try {
      const token = await testToken({ user: 'operator-1', roles: ['DATA_ENGINEER'] });
      const { stdout } = await cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir, HUB_URL: hub.hub.url, HUB_TOKEN: token });
      // A data engineer sees the legal representative's name masked.
      expect(JSON.parse(stdout)).toMatchObject({ enterprise: { name: '苏州命令行测试有限公司', legalRepresentative: { name: '王*' } } });
      await expect(cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir, HUB_TOKEN: await operatorToken('ANALYST') })).rejects.toMatchObject({
        stderr: expect.stringContaining('is in use by process'),
      });
    } finally {
      await hub.stop();
      await store.close();
    }
  });

  it('refuses a token that is not signed with the data folder\'s secret', async () => {
    const foreign = await testToken({ user: 'intruder', roles: ['ADMIN'] });
    await expect(cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir, HUB_TOKEN: foreign })).rejects.toMatchObject({
      stderr: expect.stringContaining('UNAUTHENTICATED: HUB_TOKEN: the token signature is not valid'),
    });
  });

  it('says what is wrong with a bad USCC and exits non-zero', async () => {
    await expect(cli(['enterprise', '91350100M000100Y44'], { DATA_DIR: dataDir, HUB_TOKEN: await operatorToken('ANALYST') })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("BAD_USER_INPUT: uscc '91350100M000100Y44' is not valid: check character is '4', expected '3'"),
    });
  });
});

/** `sync` as a data engineer types it, in-process against the sandboxes of every source. */
describe('npm run cli -- sync', () => {
  const portfolio = generatePortfolio({ seed: 11, enterprises: 4, clock: '2026-11-01' });
  let dataDir: string;
  let upstreams: DemoUpstreams;
  let environment: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-cli-sync-'));
    const store = await openStore({ kind: 'pglite', dataDir });
    await registerDemoEnterprises(store, portfolio, testClock()(), loadConfig({}).personIdSalt);
    await store.close();
    upstreams = await startDemoUpstreams(portfolio, {});
    // A budget the API would spend on the first enterprise (a point per source): the operator's own process is not the API.
    environment = { DATA_DIR: dataDir, RATE_LIMIT_EXPENSIVE_PER_MINUTE: '6', ...pinned() };
    for (const [id, config] of upstreams.configs) {
      for (const [key, value] of Object.entries(config as Record<string, string>)) environment[environmentVariable(id, key)] = value;
    }
    environment.HUB_TOKEN = (await cli(['token', '--role', 'DATA_ENGINEER', '--user', 'data-engineer-1'], environment)).stdout.trim();
  }, 60_000);
  afterAll(async () => {
    await upstreams?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('syncs every enterprise from every source, several at once, and sums the runs up per source', async () => {
    const { stdout } = await cli(['sync', '--all', '--concurrency', '3'], environment);
    const summary = new Map(
      stdout
        .split('\n')
        .map((line) => line.split('│').map((cell) => cell.trim()))
        .filter((cells) => /^'.+'$/.test(cells[2] ?? ''))
        .map(([, , source, runs, failed, fetched, stored]) => [source!.slice(1, -1), { runs, failed, fetched, stored }]),
    );
    expect([...summary.keys()].sort()).toEqual(sources.map((source) => source.connector.manifest.id).sort());

    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      const runs = await store.db.selectFrom('syncRun').select(['source', 'status', 'fetched', 'stored']).execute();
      for (const [source, row] of summary) {
        const own = runs.filter((run) => run.source === source);
        expect([source, own.map((run) => run.status)]).toEqual([source, ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']]);
        expect(row).toEqual({ runs: '4', failed: '0', fetched: String(own.reduce((sum, run) => sum + run.fetched, 0)), stored: String(own.reduce((sum, run) => sum + run.stored, 0)) });
      }
      expect(runs.reduce((sum, run) => sum + run.stored, 0)).toBeGreaterThan(100);
    } finally {
      await store.close();
    }
  });

  it('refuses a concurrency that is not a whole number from 1 to 64, and syncs nothing', async () => {
    await expect(cli(['sync', '--all', '--concurrency', '0'], environment)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("option '--concurrency <n>' argument '0' is invalid. expected a whole number from 1 to 64"),
    });
  });
});

describe('configuration', () => {
  it('stops the start with a message naming a bad value', async () => {
    await expect(cli(['serve'], { PORT: 'eighty', DATA_DIR: 'memory' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/invalid configuration — PORT: .*number/),
    });
    await expect(cli(['migrate'], { DATABASE_URL: 'not a url' })).rejects.toMatchObject({
      stderr: expect.stringContaining('DATABASE_URL'),
    });
  });

  it('requires a salt for personal identifiers in production', async () => {
    await expect(cli(['migrate'], { NODE_ENV: 'production', DATA_DIR: 'memory', PERSON_ID_SALT: '' })).rejects.toMatchObject({
      stderr: expect.stringContaining('PERSON_ID_SALT: required in production'),
    });
  });

  it('never runs the demo in production, and runs it by default elsewhere', async () => {
    const production = { NODE_ENV: 'production', DATA_DIR: 'memory', PERSON_ID_SALT: 'a-production-salt-of-length', JWT_SECRET: 'x'.repeat(32) };
    await expect(cli(['serve'], { ...production, DEMO: 'true' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DEMO: the demo (sandboxes as upstreams, a clock of its own) never runs in production'),
    });
    expect(loadConfig(production).demo.enabled).toBe(false);
    expect(loadConfig({}).demo.enabled).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demo.enabled).toBe(false);
  });

  it('pins the hub to a date with CLOCK_START outside the demo and production, and runs on from there', () => {
    const pinned = loadConfig({ CLOCK_START: '2026-11-01T08:00:00+08:00' });
    expect(pinned.demo.enabled).toBe(false);
    const today = hubClock(pinned)().getTime();
    expect(today).toBeGreaterThanOrEqual(Date.parse('2026-11-01T00:00:00Z'));
    expect(today).toBeLessThan(Date.parse('2026-11-01T00:01:00Z'));
    expect(hubClock(loadConfig({}))).toBe(systemClock);
    expect(() => loadConfig({ CLOCK_START: '2026-11-01' })).toThrow(/CLOCK_START: must be an ISO 8601 instant/);
    expect(() => loadConfig({ CLOCK_START: '2026-11-01T00:00:00Z', DEMO: 'true' })).toThrow(/CLOCK_START: the demo runs on its own clock/);
    const production = { NODE_ENV: 'production', PERSON_ID_SALT: 'a-production-salt-of-length', JWT_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig({ ...production, CLOCK_START: '2026-11-01T00:00:00Z' })).toThrow(/CLOCK_START: production's today is the machine's clock/);
  });

  it('takes CORS origins as origins only, which a browser\'s Origin header can match', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://console.bank.example, http://localhost:5173' }).corsOrigins).toEqual(['https://console.bank.example', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://console.bank.example/' })).toThrow(/CORS_ORIGINS\.0: must be origins/);
    expect(() => loadConfig({ CORS_ORIGINS: 'console.bank.example' })).toThrow(/CORS_ORIGINS/);
  });
});

/** The risk commands as a data scientist types them. */
describe('npm run cli -- export-features and fit-scorecard', () => {
  let dataDir: string;
  let scoringToken: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-cli-risk-'));
    const store = await openStore({ kind: 'pglite', dataDir });
    await seedDemo(store, 12);
    await store.close();
    scoringToken = (await cli(['token', '--role', 'SCORING_SERVICE', '--user', 'model-team'], { DATA_DIR: dataDir })).stdout.trim();
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exports every enterprise as of a date to CSV and to JSON Lines, the same values in both', async () => {
    const csvFile = join(dataDir, 'features.csv');
    const jsonFile = join(dataDir, 'features.jsonl');
    const { stderr } = await cli(['export-features', '--as-of', '2026-11-01', '--out', csvFile], { DATA_DIR: dataDir, HUB_TOKEN: scoringToken, ...pinned() });
    expect(stderr).toContain('wrote 12 feature vectors');
    await cli(['export-features', '--as-of', '2026-11-01T00:00:00Z', '--out', jsonFile, '--names', 'invoice_sales_12m', 'tax_grade'], { DATA_DIR: dataDir, HUB_TOKEN: scoringToken, ...pinned() });
    const [header, ...lines] = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['uscc', 'enterprise_id', 'as_of', FEATURES[0]!.name]);
    expect(header!.split(',')).toHaveLength(3 + FEATURES.length);
    expect(lines).toHaveLength(12);
    const json = readFileSync(jsonFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { uscc: string; asOf: string; values: Record<string, number | null> });
    expect(json).toHaveLength(12);
    expect(Object.keys(json[0]!.values)).toEqual(['invoice_sales_12m', 'tax_grade']);
    const column = header!.split(',').indexOf('invoice_sales_12m');
    for (const [i, line] of lines.entries()) {
      const cells = line.split(',');
      expect(cells[0]).toBe(json[i]!.uscc);
      expect(cells[2]).toBe('2026-11-01T00:00:00.000Z');
      expect(Number(cells[column])).toBe(json[i]!.values.invoice_sales_12m);
    }
  });

  it('refuses unknown features and dates in the future, and writes nothing', async () => {
    const file = join(dataDir, 'refused.csv');
    await expect(cli(['export-features', '--as-of', '2026-11-01', '--out', file, '--names', 'shoe_size'], { DATA_DIR: dataDir, HUB_TOKEN: scoringToken, ...pinned() })).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown features: shoe_size'),
    });
    await expect(cli(['export-features', '--as-of', '2199-01-01', '--out', file], { DATA_DIR: dataDir, HUB_TOKEN: scoringToken, ...pinned() })).rejects.toMatchObject({
      stderr: expect.stringContaining('in the future'),
    });
    // A day that is not on the calendar is not read as another one.
    for (const asOf of ['last tuesday', '2026-02-30']) {
      await expect(cli(['export-features', '--as-of', asOf, '--out', file], { DATA_DIR: dataDir, HUB_TOKEN: scoringToken, ...pinned() })).rejects.toMatchObject({
        stderr: expect.stringContaining('is not a date (YYYY-MM-DD) or an RFC 3339 instant in the years 1900 to 2200'),
      });
    }
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('through a hub, waits out the operator\'s rate limit (saying so) instead of failing halfway', async () => {
    const store = await openStore({ kind: 'pglite', dataDir });
    const limits = { ...loadConfig({}).limits, expensivePerMinute: 1 };
    const hub = await startTestHub(store, 'test', createServices(store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT, limits }));
    const file = join(dataDir, 'paced.csv');
    let child: ChildProcess | undefined;
    try {
      // The user's one point of this minute is spent already.
      const scorer = hub.as('model-team', 'SCORING_SERVICE');
      const first = await scorer.query<{ enterprises: { edges: { node: { id: string } }[] } }>('{ enterprises(first: 1) { edges { node { id } } } }');
      const spent = await scorer.query('query ($ids: [ID!]!) { featureVectors(enterpriseIds: $ids, asOf: "2026-11-01T00:00:00Z") { enterpriseId } }', { ids: [first.data!.enterprises.edges[0]!.node.id] });
      expect(spent.errors).toBeUndefined();
      const token = await testToken({ user: 'model-team', roles: ['SCORING_SERVICE'] });
      child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export-features', '--as-of', '2026-11-01', '--out', file], {
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, HUB_URL: hub.hub.url, HUB_TOKEN: token, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let exited = false;
      child.once('exit', () => (exited = true));
      while (!exited && !stderr.includes('; waiting')) await setTimeout(100);
      expect(stderr).toContain('model-team has used the 1 points a minute of expensive operations (feature vectors, syncs, submissions, sweeps); featureVectors costs 1 and may be asked again in');
      // Still waiting a second later, and told once.
      await setTimeout(1000);
      expect(exited).toBe(false);
      expect(stderr.split('; waiting')).toHaveLength(2);
    } finally {
      child?.kill('SIGKILL');
      await hub.stop();
      await store.close();
    }
  }, 60_000);

  it('fits a scorecard on a labelled portfolio and reports IV per feature, AUC and KS on the held-out split', async () => {
    const out = join(dataDir, 'scorecard.json');
    const report = join(dataDir, 'report.md');
    await cli(['fit-scorecard', '--enterprises', '600', '--seed', '5', '--out', out, '--report', report], { DATA_DIR: dataDir });
    const card = scorecardSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(card).toMatchObject({ id: 'sme-general', version: '2026-11-s5-n600', scaling: { baseScore: 600, baseOdds: 50, pdo: 20 } });
    expect(card.characteristics.length).toBeGreaterThan(2);
    expect(card.fit!.auc).toBeGreaterThan(0.55);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/\| held out \| \d+ \| \d+ \(\d+\.\d%\) \| 0\.\d{3} \| 0\.\d{3} \|/);
    for (const characteristic of card.characteristics) expect(text).toContain(`| ${characteristic.feature} |`);
  }, 120_000);
});
