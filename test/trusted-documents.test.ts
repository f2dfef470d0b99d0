import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { documentId } from '../src/cli/hub-client.js';
import { ENTERPRISE_ID, ENTERPRISE_PROFILE } from '../src/cli/operations.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { createServices } from '../src/graphql/context.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { BUILT_IN_MANIFESTS, documentHash, loadTrustedDocuments } from '../src/server/trusted-documents.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { TEST_PERSON_ID_SALT, testToken, testAuthenticator } from './support/hub.js';
import { testClock } from './support/clock.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Trusted documents: a hub set to run only the operations of its manifests (the built-in
 * clients' from graphql-codegen's client preset, and any given by TRUSTED_DOCUMENTS_FILES)
 * runs them by id or by text, refuses anything else before it runs, and the CLI works
 * against it through HUB_URL as an operator would use it.
 */
let testStore: TestStore;
let strict: Hub;
let open: Hub;
const folder = mkdtempSync(join(tmpdir(), 'creditgraph-trusted-'));
const viewer = { user: 'trusted-officer', roles: ['RISK_MANAGER' as const] };
// A frontend's own manifest, as its client preset would write it.
const SUBSCRIPTION = 'subscription Alerts {\n  alertRaised(minSeverity: WARNING) { signal { severity } id }\n}';
const frontendManifest = join(folder, 'console-documents.json');
writeFileSync(frontendManifest, JSON.stringify({ [documentHash(SUBSCRIPTION)]: SUBSCRIPTION }));


async function post(hub: Hub, body: unknown, init: { method?: string; search?: string } = {}) {
  const response = await fetch(`${hub.url}/graphql${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await testToken(viewer)}`, 'apollo-require-preflight': 'true' },
    ...(init.method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

beforeAll(async () => {
  testStore = await openTestStore();
  await new GraphBuilder(testStore.store.db).enterprise(1, { name: '苏州可信文档有限公司' });
  const start = (only: boolean) =>
    startHub({
      config: { nodeEnv: 'production', port: 0, host: '127.0.0.1', trustedDocuments: { only, files: [frontendManifest] } },
      services: createServices(testStore.store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT }),
      authenticator: testAuthenticator(),
      logger: createLogger({ logLevel: 'silent' }),
    });
  strict = await start(true);
  open = await start(false);
}, 60_000);

afterAll(async () => {
  await strict?.stop();
  await open?.stop();
  await testStore?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('a hub that runs only trusted documents', () => {
  it('runs a built-in client operation by its id, in a POST body or a GET query string', async () => {
    const byId = await post(strict, { documentId: documentId(ENTERPRISE_ID), variables: { uscc: testUscc(1) } });
    expect(byId).toMatchObject({ status: 200, body: { data: { enterprise: { id: expect.any(String) } } } });
    const search = `?documentId=${encodeURIComponent(documentId(ENTERPRISE_ID))}&variables=${encodeURIComponent(JSON.stringify({ uscc: testUscc(1) }))}`;
    expect(await post(strict, undefined, { method: 'GET', search })).toEqual(byId);
  });

  it('runs the text of a trusted document however it is laid out, and refuses any other text before it runs', async () => {
    const laidOut = print(ENTERPRISE_PROFILE);
    expect(laidOut).not.toBe(loadTrustedDocuments(BUILT_IN_MANIFESTS, true).byId(documentId(ENTERPRISE_PROFILE)));
    expect(await post(strict, { query: laidOut, variables: { uscc: testUscc(1) } })).toMatchObject({ status: 200, body: { data: { enterprise: { name: '苏州可信文档有限公司' } } } });

    const audited = async () => (await testStore.store.db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await audited();
    // The same operation asking one more field is another document.
    const widened = laidOut.replace('legalRepresentative {', 'legalRepresentative { idNumberHash');
    for (const query of ['{ ping }', widened, 'not graphql at all']) {
      expect(await post(strict, { query, variables: { uscc: testUscc(1) } })).toEqual({
        status: 400,
        body: { errors: [{ message: 'this hub runs only trusted documents: send the documentId of an operation from its allowlist', extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_REQUIRED' } }] },
      });
    }
    expect(await audited()).toBe(before);
  });

  it('refuses an unknown id, an id that is not a string, and an id sent with a text', async () => {
    expect(await post(strict, { documentId: `sha256:${'0'.repeat(64)}` })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    expect(await post(strict, { documentId: 42 })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    expect(await post(strict, { documentId: documentId(ENTERPRISE_ID), query: '{ ping }' })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_AND_QUERY' } }] } });
  });

  it('takes a subscription of a frontend manifest over the websocket, and refuses any other', async () => {
    const client = createClient({ url: `${strict.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken(viewer)}` }, retryAttempts: 0, lazy: false });
    const outcome = (query: string) =>
      new Promise<unknown>((resolve) => {
        const stop = client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') });
        setTimeout(() => {
          stop();
          resolve('listening');
        }, 300);
      });
    try {
      expect(await outcome('subscription { alertRaised { id } }')).toEqual([
        expect.objectContaining({ message: expect.stringContaining('only trusted documents'), extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_REQUIRED' } }),
      ]);
      expect(await outcome(print(parse(SUBSCRIPTION)))).toBe('listening');
    } finally {
      await client.dispose();
    }
  });

  it('serves the CLI through HUB_URL, which names its operations by id', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'enterprise', testUscc(1)], {
      env: { ...process.env, HUB_URL: strict.url, HUB_TOKEN: await testToken(viewer), LOG_LEVEL: 'silent' },
    });
    expect(JSON.parse(stdout)).toMatchObject({ enterprise: { uscc: testUscc(1), name: '苏州可信文档有限公司' } });
  }, 60_000);
});

describe('a hub that runs any document', () => {
  it('runs free text, and names by id as well', async () => {
    expect(await post(open, { query: '{ ping }' })).toEqual({ status: 200, body: { data: { ping: true } } });
    expect(await post(open, { documentId: documentId(ENTERPRISE_ID), variables: { uscc: testUscc(1) } })).toMatchObject({ status: 200, body: { data: { enterprise: { id: expect.any(String) } } } });
  });
});

describe('the manifests', () => {
  it('name each built-in document by the sha256 of its text, as the client preset does', () => {
    const manifest = JSON.parse(readFileSync(BUILT_IN_MANIFESTS[0]!, 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest)).toEqual(expect.arrayContaining([documentId(ENTERPRISE_ID), documentId(ENTERPRISE_PROFILE)]));
    const trusted = loadTrustedDocuments(BUILT_IN_MANIFESTS, true);
    for (const [id, text] of Object.entries(manifest)) expect([id, trusted.trusts(text)]).toEqual([id, true]);
  });

  it('stop the start when one is missing or its ids are not its documents\' hashes', () => {
    const tampered = join(folder, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ [documentHash(SUBSCRIPTION)]: 'query { auditEvents(first: 100) { totalCount } }' }));
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_FILES: tampered })).toThrow(new ConfigError(`invalid configuration — TRUSTED_DOCUMENTS_FILES: ${tampered}: ${documentHash(SUBSCRIPTION)} is not the sha256 of its document`));
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_FILES: join(folder, 'absent.json') })).toThrow(/TRUSTED_DOCUMENTS_FILES: .*absent\.json: ENOENT/);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_ONLY: 'yes' })).toThrow(/TRUSTED_DOCUMENTS_ONLY/);
    expect(loadConfig({ TRUSTED_DOCUMENTS_ONLY: 'true', TRUSTED_DOCUMENTS_FILES: frontendManifest }).trustedDocuments).toEqual({ only: true, files: [frontendManifest] });
  });
});
