import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROLES } from '../src/auth/roles.js';
import { createAuthenticator } from '../src/auth/tokens.js';
import { createServices } from '../src/graphql/context.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { seedDemo } from './support/demo.js';
import { TEST_JWT_SECRET, TEST_PERSON_ID_SALT, testToken } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * The risk console in a real browser (Debian's Chromium, driven by playwright-core), as a credit
 * officer uses it: sign in with a demo role, search, open an enterprise, read its profile and
 * risk view, in either language; GraphiQL beside it. Every request a page makes goes to the hub.
 * Screenshots go to test-output/console/.
 */
const SHOTS = join(process.cwd(), 'test-output', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let testStore: TestStore;
let hub: Hub;
let browser: Browser;
let built: string;
let portfolio: Awaited<ReturnType<typeof seedDemo>>;
const outside: string[] = [];

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  page.on('request', (request) => {
    if (!request.url().startsWith(hub.url) && !request.url().startsWith('data:')) outside.push(request.url());
  });
  return page;
}

beforeAll(async () => {
  built = mkdtempSync(join(tmpdir(), 'creditgraph-console-'));
  mkdirSync(SHOTS, { recursive: true });
  const [store] = await Promise.all([
    openTestStore(),
    promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'console/vite.config.ts', '--outDir', built, '--emptyOutDir', '--logLevel', 'warn']),
  ]);
  testStore = store;
  portfolio = await seedDemo(testStore.store, 30);
  const demoTokens = new Map<string, string>();
  for (const role of ROLES) demoTokens.set(role, await testToken({ user: `demo-${role.toLowerCase()}`, roles: [role] }));
  hub = await startHub({
    config: { nodeEnv: 'development', port: 0, host: '127.0.0.1' },
    services: createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT }),
    authenticator: createAuthenticator({ kind: 'secret', secret: TEST_JWT_SECRET }),
    logger: createLogger({ logLevel: 'silent' }),
    consoleDir: built,
    demoTokens,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await testStore?.dispose();
  rmSync(built, { recursive: true, force: true });
});

afterEach(() => {
  expect(outside).toEqual([]);
});

describe('the risk console', () => {
  it('signs in as a demo role, searches, opens an enterprise and shows its profile and risk view', async () => {
    const page = await openPage();
    await page.goto(`${hub.url}/`);
    await page.getByRole('button', { name: 'ANALYST', exact: true }).click();
    await page.getByTestId('viewer').getByText('demo-analyst · ANALYST').waitFor();
    await page.getByTestId('total').getByText('共 30 家').waitFor();
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });

    const target = portfolio.enterprises[3]!;
    await page.getByRole('textbox', { name: '按名称搜索' }).fill(target.name.slice(0, 6));
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByRole('link', { name: target.name }).click();
    await page.getByTestId('enterprise-name').getByText(target.name).waitFor();
    expect(page.url()).toBe(`${hub.url}/#/enterprise/${target.uscc}`);
    await page.getByText(target.uscc).first().waitFor();

    // The risk view: a decision, a score and grade, with the reasons in the user's language.
    const decision = await page.getByTestId('decision').textContent();
    expect(['批准', '人工审核', '拒绝']).toContain(decision);
    expect(Number(await page.getByTestId('score').textContent())).toBeGreaterThan(0);
    expect(await page.getByTestId('grade').textContent()).toMatch(/^[A-E]$/);
    await page.getByTestId('freshness').getByText('registry').waitFor();
    await page.screenshot({ path: join(SHOTS, 'enterprise-zh.png'), fullPage: true });

    // As of an earlier day, and in English.
    await page.getByLabel('评估时点').fill('2026-06-30');
    await page.getByTestId('risk-view').getByText('2026-06-30').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Risk view' }).waitFor();
    expect(['Approve', 'Review', 'Decline']).toContain(await page.getByTestId('decision').textContent());
    await page.screenshot({ path: join(SHOTS, 'enterprise-en.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('refuses a pasted text that is not a token, and shows the hub\'s own refusal of a token it does not trust', async () => {
    const page = await openPage();
    await page.goto(`${hub.url}/`);
    await page.getByRole('textbox', { name: '令牌' }).fill('not a token');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('这不是令牌（JWT）').waitFor();
    // Well formed, signed with another key: the hub says so.
    const forged = (await testToken({ user: 'mallory', roles: ['ANALYST'] })).replace(/\.[^.]+$/, '.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ');
    await page.getByRole('textbox', { name: '令牌' }).fill(forged);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('UNAUTHENTICATED').waitFor();
    await page.screenshot({ path: join(SHOTS, 'refused-token.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('serves GraphiQL from the hub, with a field for the bearer token', async () => {
    const page = await openPage();
    await page.goto(`${hub.url}/graphiql`);
    await page.getByRole('textbox', { name: 'Bearer token' }).fill(await testToken({ user: 'graphiql-user', roles: ['ANALYST'] }));
    await page.locator('.graphiql-container').waitFor();
    await page.screenshot({ path: join(SHOTS, 'graphiql.png') });
    await page.close();
  }, 60_000);
});
