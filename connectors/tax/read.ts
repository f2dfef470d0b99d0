import type { Checkpoint, Page, ReadContext } from '../../src/ingest/sdk.js';
import { TAX_STREAMS, type TaxClient, type TaxStream } from './client.js';

const PAGE_SIZE = 50;

/**
 * Pages of each stream for one taxpayer. Returns are incremental: a pass asks for returns
 * changed since the watermark (the latest change day seen by the previous pass) and resumes
 * mid-pass from the checkpoint's page; grades and arrears are small and re-read each pass.
 */
export async function* readTax(client: TaxClient, context: ReadContext): AsyncGenerator<Page> {
  const streams: Checkpoint['streams'] = { ...(context.checkpoint?.streams ?? {}) };
  for (const stream of Object.keys(TAX_STREAMS) as TaxStream[]) {
    const saved = streams[stream];
    const incremental = stream === 'returns';
    const inProgress = saved?.nextPage != null;
    let pageNo = inProgress ? Number(saved.nextPage) : 1;
    const since = inProgress ? saved.since : incremental ? saved?.watermark : undefined;
    let watermark = saved?.watermark;
    for (;;) {
      const page = await client.page(stream, context.uscc, { pageNo, pageSize: PAGE_SIZE, ...(since ? { since } : {}) }, context.signal);
      for (const record of page.records) {
        // A record that is not even an object is the engine's to quarantine, not the reader's to trip on.
        const changed = typeof record === 'object' && record !== null ? (record as { gxrq?: unknown }).gxrq : undefined;
        if (incremental && typeof changed === 'string' && /^\d{8}$/.test(changed) && (!watermark || changed > watermark)) watermark = changed;
      }
      const more = pageNo * PAGE_SIZE < page.total && page.records.length > 0;
      streams[stream] = {
        nextPage: more ? String(pageNo + 1) : null,
        ...(since ? { since } : {}),
        ...(watermark ? { watermark } : {}),
      };
      yield { stream, records: page.records, checkpoint: { streams: { ...streams } } };
      if (!more) break;
      pageNo++;
    }
  }
}
