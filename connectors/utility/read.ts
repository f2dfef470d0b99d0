import type { Checkpoint, Page, ReadContext } from '../../src/ingest/sdk.js';
import type { UtilityClient } from './client.js';

const PAGE_SIZE = 24;

/** The stream every bill arrives in; checkpoints are kept per account as `bills:<hh>`. */
export const BILLS = 'bills';

/**
 * The enterprise's accounts, then pages of each account's bills. The account list is asked
 * afresh each pass (accounts open and close) and yields no records: only bills become facts.
 * Bills are incremental per account: a pass asks for bills updated since the watermark (the
 * latest update day seen by the previous pass) and resumes mid-pass from the checkpoint's page.
 */
export async function* readUtility(client: UtilityClient, context: ReadContext): AsyncGenerator<Page> {
  const streams: Checkpoint['streams'] = { ...(context.checkpoint?.streams ?? {}) };
  for (const hh of await client.accountNumbers(context.uscc, context.signal)) {
    const key = `${BILLS}:${hh}`;
    const saved = streams[key];
    const inProgress = saved?.nextPage != null;
    let pageIndex = inProgress ? Number(saved.nextPage) : 1;
    const since = inProgress ? saved.since : saved?.watermark;
    let watermark = saved?.watermark;
    for (;;) {
      const page = await client.bills(hh, { pageIndex, pageSize: PAGE_SIZE, ...(since ? { updatedSince: since } : {}) }, context.signal);
      for (const row of page.rows) {
        const updated = (row as { gxsj?: unknown } | null)?.gxsj;
        if (typeof updated === 'string' && /^\d{8}$/.test(updated) && (!watermark || updated > watermark)) watermark = updated;
      }
      const more = pageIndex * PAGE_SIZE < page.total && page.rows.length > 0;
      streams[key] = {
        nextPage: more ? String(pageIndex + 1) : null,
        ...(since ? { since } : {}),
        ...(watermark ? { watermark } : {}),
      };
      yield { stream: BILLS, records: page.rows, checkpoint: { streams: { ...streams } } };
      if (!more) break;
      pageIndex++;
    }
  }
}
