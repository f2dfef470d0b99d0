import { generatePortfolio, type Portfolio } from '../../src/world/index.js';
import { type Page, createTransport, UpstreamError } from '../../src/ingest/sdk.js';
import type { SandboxHandle } from '../kit/sandbox.js';
import { createCourtClient, type CourtClient } from './client.js';
import { readCourt } from './read.js';
import { courtSandbox } from './sandbox/server.js';

// The contract suite's enterprises have too few records for a second page: cursors are checked here.
let portfolio: Portfolio;
let sandbox: SandboxHandle;

const clientFor = (apiKey: string): CourtClient => {
  const transport = createTransport({ baseUrl: sandbox.url, timeoutMs: 2000, maxResponseBytes: 1024 * 1024, requestsPerSecond: 1000, concurrency: 4, retries: 0 });
  return createCourtClient({ ...courtSandbox.config(sandbox.url), apiKey }, transport);
};
const client = () => clientFor(courtSandbox.config(sandbox.url).apiKey);
/** The enterprise with the most court cases. */
const busiest = () => portfolio.enterprises.reduce((most, e) => (e.courtCases.length > most.courtCases.length ? e : most));
const idsOf = (records: unknown[]) => records.map((record) => (record as { id: string }).id);

async function collect(pages: AsyncGenerator<Page>): Promise<Page[]> {
  const collected: Page[] = [];
  for await (const page of pages) collected.push(page);
  return collected;
}

beforeAll(async () => {
  portfolio = generatePortfolio({ seed: 52, enterprises: 8, clock: '2026-11-01' });
  sandbox = await courtSandbox.start({ portfolio });
});

afterAll(() => sandbox?.close());

describe('court client and reader', () => {
  it('follows the cursor page by page to the end of a stream', async () => {
    const enterprise = busiest();
    const whole = await client().page('cases', enterprise.uscc, { limit: 50 });
    expect(whole.records.length).toBeGreaterThan(3);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client().page('cases', enterprise.uscc, { ...(cursor ? { cursor } : {}), limit: 3 });
      ids.push(...idsOf(page.records));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(idsOf(whole.records));
  });

  it('resumes a pass from the cursor in its checkpoint, then reads the next stream from the start', async () => {
    const enterprise = busiest();
    const first = await client().page('cases', enterprise.uscc, { limit: 3 });
    const pages = await collect(readCourt(client(), {
      uscc: enterprise.uscc,
      checkpoint: { streams: { cases: { nextPage: first.nextCursor }, enforcements: { nextPage: null } } },
      signal: new AbortController().signal,
    }));
    const all = await collect(readCourt(client(), { uscc: enterprise.uscc, checkpoint: null, signal: new AbortController().signal }));

    const cases = (list: Page[]) => idsOf(list.filter((page) => page.stream === 'cases').flatMap((page) => page.records));
    expect(cases(pages)).toEqual(cases(all).slice(3));
    expect(pages.filter((page) => page.stream === 'enforcements').flatMap((page) => page.records)).toEqual(
      all.filter((page) => page.stream === 'enforcements').flatMap((page) => page.records),
    );
    expect(pages.at(-1)!.checkpoint).toEqual({ streams: { cases: { nextPage: null }, enforcements: { nextPage: null } } });
  });

  it('reads an enterprise the provider knows nothing about as empty streams', async () => {
    const pages = await collect(readCourt(client(), { uscc: '91110000MA00000000', checkpoint: null, signal: new AbortController().signal }));
    expect(pages.map((page) => [page.stream, page.records.length])).toEqual([['cases', 0], ['enforcements', 0]]);
  });

  it('fails without retrying on a wrong API key', async () => {
    const attempt = clientFor('not-the-key').page('cases', portfolio.enterprises[0]!.uscc, { limit: 50 });
    await expect(attempt).rejects.toThrow(UpstreamError);
    await expect(attempt).rejects.toMatchObject({ details: { status: 401, retryable: false } });
  });
});
