import type { Page, ReadContext } from '../../src/ingest/sdk.js';
import type { SocialInsuranceClient } from './client.js';

const PAGE_SIZE = 100;
const STREAM = 'contributions';

/**
 * Pages of a unit's contribution records. Incremental: a pass asks for records changed since
 * the watermark (the latest change day the previous pass saw — the same day again, since more
 * may have changed later that day; those come back as duplicates), and resumes mid-pass from
 * the checkpoint's page.
 */
export async function* readSocialInsurance(client: SocialInsuranceClient, context: ReadContext): AsyncGenerator<Page> {
  const saved = context.checkpoint?.streams[STREAM];
  const inProgress = saved?.nextPage != null;
  let pageNum = inProgress ? Number(saved.nextPage) : 1;
  const since = inProgress ? saved.since : saved?.watermark;
  let watermark = saved?.watermark;
  for (;;) {
    const page = await client.page(context.uscc, { pageNum, pageSize: PAGE_SIZE, ...(since ? { since } : {}) }, context.signal);
    for (const record of page.records) {
      const changed = typeof record === 'object' && record !== null ? (record as { gxrq?: unknown }).gxrq : undefined;
      if (typeof changed === 'string' && /^\d{8}$/.test(changed) && (!watermark || changed > watermark)) watermark = changed;
    }
    const more = pageNum * PAGE_SIZE < page.total && page.records.length > 0;
    const state = { nextPage: more ? String(pageNum + 1) : null, ...(since ? { since } : {}), ...(watermark ? { watermark } : {}) };
    yield { stream: STREAM, records: page.records, checkpoint: { streams: { [STREAM]: state } } };
    if (!more) break;
    pageNum++;
  }
}
