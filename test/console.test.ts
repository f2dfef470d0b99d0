import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { ROLES, type Role } from '../src/auth/roles.js';
import { prepareDemo } from '../src/demo/prepare.js';
import { openDemoWorld, type DemoWorld } from '../src/demo/world.js';
import { createServices, type HubServices } from '../src/graphql/context.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { TEST_PERSON_ID_SALT, testToken, testAuthenticator } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';
import { systemClock } from '../src/common/clock.js';
import { launchBrowser, openClockedPage } from './support/browser.js';

/**
 * The risk console in a real browser (the Chromium `npm ci` installs, test/support/browser.ts,
 * driven by playwright-core), against a hub running a prepared demo, as credit officers use it:
 * sign in with a demo role, search, open
 * an enterprise and read its profile and risk view in either language; an application created
 * and submitted by an analyst, refused to them and approved by an approver; an alert raised by
 * `simulate` arriving live on the alert inbox and handled there; the portfolio; GraphiQL.
 * Every request a page makes goes to the hub. Screenshots go to test-output/console/.
 */
const SHOTS = join(process.cwd(), 'test-output', 'console');
let testStore: TestStore;
let hub: Hub;
let setupHub: Hub;
let browser: Browser;
let built: string;
let world: DemoWorld;
let services: HubServices;
const outside: string[] = [];

async function openPage(): Promise<Page> {
  const page = await openClockedPage(browser, { viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
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
  // The demo as `npm start` runs it, smaller: its story, sandboxes, clock and prepared loan book.
  world = (await openDemoWorld(testStore.store, { enabled: true, clock: '2026-11-01', seed: 20261101, enterprises: 24, sandboxFaults: {} }, { create: true, real: systemClock, personIdSalt: TEST_PERSON_ID_SALT }))!;
  services = createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT, demoWorld: world });
  await services.jobs.start({ work: true });
  expect(await prepareDemo(services, world, { info: () => undefined })).toBeDefined();
  const demoTokens = new Map<string, string>();
  for (const role of ROLES) demoTokens.set(role, await testToken({ user: `demo-${role.toLowerCase().replaceAll('_', '-')}`, roles: [role] }));
  // Only trusted documents: the console sends nothing but the operations of its manifest.
  hub = await startHub({
    config: { nodeEnv: 'development', port: 0, host: '127.0.0.1', trustedDocuments: { only: true, files: [] } },
    services,
    authenticator: testAuthenticator(),
    logger: createLogger({ logLevel: 'silent' }),
    consoleDir: built,
    demoTokens,
  });
  // The test's own setup queries go to a hub that runs any document, on the same services.
  setupHub = await startHub({ config: { nodeEnv: 'development', port: 0, host: '127.0.0.1' }, services, authenticator: testAuthenticator(), logger: createLogger({ logLevel: 'silent' }) });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await setupHub?.stop();
  await services?.jobs.stop();
  await world?.close();
  await testStore?.dispose();
  rmSync(built, { recursive: true, force: true });
});

/** Signs out if need be, then in with the role's demo button. */
async function signInAs(page: Page, role: string) {
  await page.goto(`${hub.url}/`);
  const signOut = page.getByRole('button', { name: '退出' });
  if (await signOut.isVisible()) await signOut.click();
  await page.getByRole('button', { name: role, exact: true }).click();
  await page.getByTestId('viewer').getByText(new RegExp(` · ${role}$`)).waitFor();
}

/** An enterprise of the demo with related enterprises, so its page draws a graph. */
async function enterpriseWithRelations(): Promise<{ uscc: string; name: string }> {
  for (const enterprise of world.portfolio.enterprises) {
    const { data } = await graphqlAs<{ enterprise: { relatedEnterprises: unknown[] } }>('ANALYST', 'query($uscc: String!) { enterprise(uscc: $uscc) { relatedEnterprises(depth: 2) { distance } } }', { uscc: enterprise.uscc });
    if (data.enterprise.relatedEnterprises.length > 0) return enterprise;
  }
  throw new Error('no enterprise of the demo has related enterprises');
}

async function graphqlAs<T>(role: Role, query: string, variables: Record<string, unknown>): Promise<{ data: T }> {
  const response = await fetch(`${setupHub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await testToken({ user: 'setup', roles: [role] })}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: T };
}

/**
 * An enterprise the model approves for a product, with no application yet, and an amount above
 * the product's automatic approval but within the recommended limit: it goes to review.
 */
async function applicationCandidate(): Promise<{ uscc: string; product: string; amount: string }> {
  const applied = new Set((await testStore.store.db.selectFrom('application').select('enterpriseId').execute()).map((row) => row.enterpriseId));
  const enterprises = await testStore.store.db.selectFrom('enterprise').select(['id', 'uscc']).where('uscc', 'in', world.portfolio.enterprises.map((e) => e.uscc)).execute();
  for (const product of ['invoice-loan', 'tax-loan']) {
    // Comparing with a yuan figure, not keeping money: a Number is fine here.
    const automatic = product === 'invoice-loan' ? 200_000 : 300_000;
    for (const { uscc } of enterprises.filter((e) => !applied.has(e.id))) {
      const { data } = await graphqlAs<{ enterprise: { riskView: { decision: string; recommendedLimit: { amount: string } | null } } }>(
        'ANALYST',
        'query($uscc: String!, $product: String) { enterprise(uscc: $uscc) { riskView(product: $product) { decision recommendedLimit { amount } } } }',
        { uscc, product },
      );
      const { decision, recommendedLimit } = data.enterprise.riskView;
      if (decision === 'APPROVE' && Number(recommendedLimit?.amount ?? 0) >= automatic + 10_000) return { uscc, product, amount: String(automatic + 10_000) };
    }
  }
  throw new Error('no enterprise of the demo qualifies for a reviewed application');
}

afterEach(() => {
  expect(outside).toEqual([]);
});

describe('the risk console', () => {
  it('signs in as a demo role, searches, opens an enterprise and shows its profile and risk view', async () => {
    const page = await openPage();
    await page.goto(`${hub.url}/`);
    await page.getByRole('button', { name: 'ANALYST', exact: true }).click();
    await page.getByTestId('viewer').getByText('demo-analyst · ANALYST').waitFor();
    await page.getByTestId('total').getByText(/^共 \d+ 家$/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });
    // Pages of 20, forward and back.
    const firstPage = await page.getByRole('table').getByRole('link').allTextContents();
    expect(firstPage).toHaveLength(20);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByRole('button', { name: '下一页' }).and(page.locator(':disabled')).waitFor();
    const secondPage = await page.getByRole('table').getByRole('link').allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    await page.getByRole('button', { name: '上一页' }).click();
    await page.getByRole('button', { name: '上一页' }).and(page.locator(':disabled')).waitFor();
    expect(await page.getByRole('table').getByRole('link').allTextContents()).toEqual(firstPage);

    const target = await enterpriseWithRelations();
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
    // The price and what it covers, from the loan prime rate in force at the demo's date.
    expect(await page.getByTestId('pricing').textContent()).toMatch(/^风险定价: LPR 3\.00% \+ 预期损失 \d+\.\d{2}% \+ 资金 0\.00% \+ 运营 0\.30% \+ 资本 0\.63% = \d+\.\d{2}%$/);
    await page.getByTestId('freshness').getByText('registry').waitFor();
    await page.getByTestId('related-graph').locator('canvas').first().waitFor();
    // The Chinese on the page is drawn in the console's own font, served by the hub, whatever
    // fonts the machine has: the subsets its characters need are loaded.
    const fontsLoaded = await page.evaluate(`document.fonts.ready.then((fonts) => [...fonts].filter((face) => face.family.includes('Noto Sans SC') && face.status === 'loaded').length)`);
    expect(fontsLoaded).toBeGreaterThan(0);
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

  it('takes an application from an analyst to an approver: the hub\'s maker-checker refusals shown as it says them', async () => {
    const { uscc, product, amount } = await applicationCandidate();
    const { name } = world.portfolio.enterprises.find((enterprise) => enterprise.uscc === uscc)!;
    const page = await openPage();
    await signInAs(page, 'ANALYST');
    await page.goto(`${hub.url}/#/applications`);
    await page.getByLabel('统一社会信用代码').fill(uscc);
    await page.getByRole('textbox', { name: '产品' }).click();
    await page.getByRole('option', { name: product === 'invoice-loan' ? '发票贷' : '税易贷' }).click();
    await page.getByLabel('金额（元）').fill(amount);
    await page.getByLabel('期限（月）').fill('12');
    await page.getByRole('button', { name: '创建' }).click();
    const card = page.getByTestId('application').filter({ hasText: name });
    await card.getByTestId('application-state').getByText('DRAFT').waitFor();
    await card.getByRole('button', { name: '提交' }).click();
    await card.getByTestId('application-state').getByText('IN_REVIEW').waitFor({ timeout: 30_000 });
    // The maker may not decide: the hub says why, and the console shows it as it is.
    await card.getByRole('button', { name: '批准' }).click();
    await card.getByTestId('refusal').getByText('FORBIDDEN').waitFor();
    await page.screenshot({ path: join(SHOTS, 'applications-analyst.png'), fullPage: true });

    await signInAs(page, 'APPROVER');
    await page.goto(`${hub.url}/#/applications`);
    const inReview = page.getByTestId('application').filter({ hasText: name });
    await inReview.getByTestId('application-state').getByText('IN_REVIEW').waitFor();
    await inReview.getByRole('button', { name: '批准' }).click();
    await inReview.getByTestId('application-decision').getByText(/APPROVE \(MANUAL\) · demo-approver/).waitFor();
    await inReview.getByTestId('application-state').getByText('APPROVED').waitFor();
    await page.screenshot({ path: join(SHOTS, 'applications-approver.png'), fullPage: true });
    const decided = await testStore.store.db.selectFrom('application').select(['state', 'createdBy', 'submittedBy']).where('state', '=', 'APPROVED').where('createdBy', '=', 'demo-analyst').execute();
    expect(decided).toEqual([{ state: 'APPROVED', createdBy: 'demo-analyst', submittedBy: 'demo-analyst' }]);
    await page.close();
  }, 120_000);

  it('shows an alert raised by simulate live, without a reload, and handles it', async () => {
    const page = await openPage();
    await signInAs(page, 'RISK_MANAGER');
    await page.goto(`${hub.url}/#/alerts`);
    await page.getByTestId('live').waitFor();
    const before = await page.getByTestId('alert').count();
    let reloaded = false;
    page.on('framenavigated', () => (reloaded = true));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', '--months', '1'], {
      env: { ...process.env, HUB_URL: hub.url, HUB_TOKEN: await testToken({ user: 'simulator', roles: ['RISK_MANAGER'] }), LOG_LEVEL: 'silent' },
    });
    const printed = stdout.split('\n').filter((line) => /^ {2}(CRITICAL|WARNING|INFO) /.test(line));
    expect(printed.length).toBeGreaterThan(0);
    const [, code, , uscc] = /^ {2}\S+ +(\S+) +(\S+) +(\S+)/.exec(printed[0]!)!;
    const arrived = page.locator(`[data-testid="alert"][data-code="${code}"][data-uscc="${uscc}"]`).filter({ hasText: '新' });
    await arrived.first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('alert').count()).toBeGreaterThanOrEqual(before + printed.length);
    expect(reloaded).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'alerts-live.png'), fullPage: true });

    await arrived.first().getByRole('button', { name: '分派给我' }).click();
    await arrived.first().getByText('处理人: demo-risk-manager').waitFor();
    await arrived.first().getByRole('button', { name: '确认' }).click();
    await arrived.first().getByTestId('alert-status').getByText('ACKNOWLEDGED').waitFor();
    await arrived.first().getByLabel('处理说明').fill('电话核实，经营正常');
    await arrived.first().getByRole('button', { name: '解除' }).click();
    await arrived.first().getByTestId('alert-status').getByText('RESOLVED').waitFor();
    await page.close();
  }, 180_000);

  it('shows the portfolio: exposure by grade, industry and region, open alerts, grade migration', async () => {
    const page = await openPage();
    await signInAs(page, 'RISK_MANAGER');
    await page.goto(`${hub.url}/#/portfolio`);
    const loans = await testStore.store.db.selectFrom('loan').select('id').where('status', 'in', ['ACTIVE', 'FROZEN']).execute();
    await page.getByTestId('portfolio-totals').getByText(new RegExp(`^贷款笔数 ${loans.length} · `)).waitFor();
    await page.getByRole('heading', { name: '等级迁移' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'portfolio.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('serves GraphiQL from the hub, with a field for the bearer token', async () => {
    const page = await openPage();
    await page.goto(`${hub.url}/graphiql`);
    await page.getByRole('textbox', { name: 'Bearer token' }).fill(await testToken({ user: 'graphiql-user', roles: ['ANALYST'] }));
    await page.locator('.graphiql-container').waitFor();
    await page.screenshot({ path: join(SHOTS, 'graphiql.png') });
    await page.close();
    // In production: the console, but neither GraphiQL nor demo tokens.
    const production = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1' }, services, authenticator: testAuthenticator(), logger: createLogger({ logLevel: 'silent' }), consoleDir: built });
    try {
      const statuses = await Promise.all(['/', '/graphiql', '/graphiql.html', '/console/demo-tokens'].map(async (path) => [path, (await fetch(`${production.url}${path}`)).status]));
      expect(statuses).toEqual([['/', 200], ['/graphiql', 404], ['/graphiql.html', 404], ['/console/demo-tokens', 404]]);
      expect((await fetch(`${production.url}/`)).headers.get('content-security-policy')).toContain("connect-src 'self'");
    } finally {
      await production.stop();
    }
  }, 60_000);
});
