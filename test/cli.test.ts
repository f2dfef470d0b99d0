import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '../src/store/database.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { startTestHub } from './support/hub.js';

const run = promisify(execFile);
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

  it('opens the store itself when HUB_URL is not set', async () => {
    const { stdout } = await cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir });
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
      const { stdout } = await cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir, HUB_URL: hub.hub.url });
      expect(JSON.parse(stdout)).toMatchObject({ enterprise: { name: '苏州命令行测试有限公司' } });
      await expect(cli(['enterprise', testUscc(42)], { DATA_DIR: dataDir })).rejects.toMatchObject({
        stderr: expect.stringContaining('is in use by process'),
      });
    } finally {
      await hub.stop();
      await store.close();
    }
  });

  it('says what is wrong with a bad USCC and exits non-zero', async () => {
    await expect(cli(['enterprise', '91350100M000100Y44'], { DATA_DIR: dataDir })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("BAD_USER_INPUT: uscc '91350100M000100Y44' is not valid: check character is '4', expected '3'"),
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
});
