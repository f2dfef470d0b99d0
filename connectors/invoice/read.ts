import type { Checkpoint, Page, ReadContext } from '../../src/ingest/sdk.js';
import type { InvoiceClient } from './client.js';

const STREAM = 'sales';
const PAGE_SIZE = 100;

/**
 * Pages of the enterprise's sales invoices. Invoices change after issue (voided, reversed by
 * a red-letter invoice), so the stream is incremental on the platform's update time `gxsj`,
 * not on the issue date: a pass asks for invoices updated at or after the watermark (the
 * latest update seen by the previous pass) and resumes mid-pass from the checkpoint's page.
 */
export async function* readInvoices(client: InvoiceClient, context: ReadContext): AsyncGenerator<Page> {
  const streams: Checkpoint['streams'] = { ...(context.checkpoint?.streams ?? {}) };
  const saved = streams[STREAM];
  const inProgress = saved?.nextPage != null;
  let pageNum = inProgress ? Number(saved.nextPage) : 1;
  const since = inProgress ? saved.since : saved?.watermark;
  let watermark = saved?.watermark;
  for (;;) {
    const page = await client.sales(context.uscc, { pageNum, pageSize: PAGE_SIZE, ...(since ? { updatedFrom: since } : {}) }, context.signal);
    for (const record of page.list) {
      const updated = typeof record === 'object' && record !== null ? (record as { gxsj?: unknown }).gxsj : undefined;
      if (typeof updated === 'string' && /^\d{14}$/.test(updated) && (!watermark || updated > watermark)) watermark = updated;
    }
    const more = page.hasNextPage && page.list.length > 0;
    streams[STREAM] = {
      nextPage: more ? String(pageNum + 1) : null,
      ...(since ? { since } : {}),
      ...(watermark ? { watermark } : {}),
    };
    yield { stream: STREAM, records: page.list, checkpoint: { streams: { ...streams } } };
    if (!more) break;
    pageNum++;
  }
}
