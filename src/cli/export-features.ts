import { YEARS, isCalendarDay, parseInstant } from '../common/instants.js';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../config/config.js';
import type { EnterprisePageQuery } from '../generated/cli/graphql.js';
import { openHubClient } from './hub-client.js';
import { ENTERPRISE_PAGE, FEATURE_VECTORS } from './operations.js';

export interface ExportOptions {
  asOf: string;
  out: string;
  names?: string[];
  format?: 'csv' | 'jsonl';
}

/**
 * `export-features --as-of DATE [--names ...] --out FILE`: every enterprise's feature vector as
 * of a date, for training sets, through the same operations a scoring service sends; written
 * as it is read, a page of 100 enterprises at a time, so memory stays flat whatever the size.
 * CSV (header `uscc,enterprise_id,as_of,<feature>...`, an empty cell for null) or JSON Lines.
 * Returns the number of rows written.
 */
export async function exportFeatures(config: Config, options: ExportOptions): Promise<number> {
  const asOf = parseAsOf(options.asOf);
  const format = options.format ?? (options.out.endsWith('.csv') ? 'csv' : options.out.endsWith('.jsonl') ? 'jsonl' : undefined);
  if (!format) throw new Error(`cannot tell the format of ${options.out}: name it .csv or .jsonl, or give --format`);
  const client = await openHubClient(config);
  // Written aside and moved into place at the end: a refused or failed export leaves no file.
  const partial = `${options.out}.partial`;
  const out = createWriteStream(partial);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  let bar: SingleBar | undefined;
  let rows = 0;
  let complete = false;
  try {
    let after: string | null = null;
    let header = false;
    do {
      const page: EnterprisePageQuery = await client.run(ENTERPRISE_PAGE, { after });
      const nodes = page.enterprises.edges.map((edge) => edge.node);
      if (!bar && process.stderr.isTTY) {
        bar = new SingleBar({ format: 'exporting [{bar}] {value}/{total} enterprises {eta_formatted}' }, Presets.shades_classic);
        bar.start(page.enterprises.totalCount, 0);
      }
      if (nodes.length > 0) {
        // Unknown names and a date in the future are refused here, before anything is written.
        const { featureVectors } = await client.run(FEATURE_VECTORS, { ids: nodes.map((node) => node.id), asOf, names: options.names ?? null });
        if (!header && format === 'csv') {
          await write(`${['uscc', 'enterprise_id', 'as_of', ...featureVectors[0]!.values.map((v) => v.name)].join(',')}\n`);
          header = true;
        }
        for (const [i, vector] of featureVectors.entries()) {
          const { uscc, id } = nodes[i]!;
          await write(
            format === 'csv'
              ? `${[uscc, id, asOf, ...vector.values.map((v) => (v.value === null ? '' : String(v.value)))].join(',')}\n`
              : `${JSON.stringify({ uscc, enterpriseId: id, asOf, values: Object.fromEntries(vector.values.map((v) => [v.name, v.value])) })}\n`,
          );
          rows++;
        }
      }
      bar?.increment(nodes.length);
      after = page.enterprises.pageInfo.hasNextPage ? page.enterprises.pageInfo.endCursor : null;
    } while (after);
    complete = true;
  } finally {
    bar?.stop();
    out.end();
    await once(out, 'close');
    await client.close();
    if (complete) renameSync(partial, options.out);
    else rmSync(partial, { force: true });
  }
  return rows;
}

/** A day (the instant it begins, UTC) or an RFC 3339 instant, as the API takes them. */
function parseAsOf(text: string): string {
  const parsed = isCalendarDay(text) ? parseInstant(`${text}T00:00:00Z`) : parseInstant(text);
  if (!parsed) throw new Error(`--as-of '${text}' is not a date (YYYY-MM-DD) or an RFC 3339 instant in the years ${YEARS.from} to ${YEARS.to}`);
  return parsed.toISOString();
}
