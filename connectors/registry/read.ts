import type { Checkpoint, Page, ReadContext } from '../../src/ingest/sdk.js';
import { REGISTRY_STREAMS, type RegistryClient } from './client.js';

const PAGE_SIZE = 50;

/**
 * Every resource of one enterprise, page by page. The registry's lists are short and the
 * provider has no change feed, so each pass re-reads them; a pass killed midway resumes from
 * the checkpoint's page, and unchanged records cost only a duplicate count.
 */
export async function* readRegistry(client: RegistryClient, context: ReadContext): AsyncGenerator<Page> {
  const streams: Checkpoint['streams'] = { ...(context.checkpoint?.streams ?? {}) };
  for (const stream of REGISTRY_STREAMS) {
    let pageIndex = streams[stream]?.nextPage != null ? Number(streams[stream].nextPage) : 1;
    for (;;) {
      const page = await client.page(stream, context.uscc, { pageIndex, pageSize: PAGE_SIZE }, context.signal);
      const more = stream !== 'basic' && pageIndex * PAGE_SIZE < page.total && page.records.length > 0;
      streams[stream] = { nextPage: more ? String(pageIndex + 1) : null };
      yield { stream, records: page.records, checkpoint: { streams: { ...streams } } };
      if (!more) break;
      pageIndex++;
    }
  }
}
