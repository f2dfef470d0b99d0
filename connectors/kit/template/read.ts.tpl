import type { Page, ReadContext } from '../../src/ingest/sdk.js';
import type { __Pascal__Client } from './client.js';

const PAGE_SIZE = 100;
const STREAM = 'records';

/** Pages of one enterprise's records; a pass cut short resumes from the checkpoint's page. */
export async function* read__Pascal__(client: __Pascal__Client, context: ReadContext): AsyncGenerator<Page> {
  const saved = context.checkpoint?.streams[STREAM]?.nextPage;
  let page = saved != null ? Number(saved) : 1;
  for (;;) {
    const answer = await client.page(context.uscc, { page, size: PAGE_SIZE }, context.signal);
    const more = page * PAGE_SIZE < answer.total && answer.records.length > 0;
    yield { stream: STREAM, records: answer.records, checkpoint: { streams: { [STREAM]: { nextPage: more ? String(page + 1) : null } } } };
    if (!more) break;
    page++;
  }
}
