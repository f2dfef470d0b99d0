import type { Checkpoint, Page, ReadContext } from '../../src/ingest/sdk.js';
import { COURT_STREAMS, type CourtClient, type CourtStream } from './client.js';

const PAGE_SIZE = 50;

/**
 * Pages of each stream for one enterprise. The provider has no change feed and an
 * enterprise's judicial record is small, so each pass re-reads both streams from the start;
 * a pass cut short resumes from the cursor of the next page saved in the checkpoint.
 */
export async function* readCourt(client: CourtClient, context: ReadContext): AsyncGenerator<Page> {
  const streams: Checkpoint['streams'] = { ...(context.checkpoint?.streams ?? {}) };
  for (const stream of Object.keys(COURT_STREAMS) as CourtStream[]) {
    let cursor = streams[stream]?.nextPage ?? undefined;
    for (;;) {
      const page = await client.page(stream, context.uscc, { ...(cursor ? { cursor } : {}), limit: PAGE_SIZE }, context.signal);
      // A cursor with nothing behind it would loop forever: an empty page ends the pass.
      const next = page.records.length > 0 ? page.nextCursor : null;
      streams[stream] = { nextPage: next };
      yield { stream, records: page.records, checkpoint: { streams: { ...streams } } };
      if (next === null) break;
      cursor = next;
    }
  }
}
