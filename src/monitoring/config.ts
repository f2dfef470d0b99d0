import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isDecimal } from '../common/money.js';

/**
 * Early-warning thresholds are configuration (`config/monitoring/signals.json`), validated at
 * load: the defaults are those used in practice (../shared/DOMAIN.md), tuned by risk managers.
 */
const share = z.number().gt(0).lt(1);
const grade = z.enum(['A', 'B', 'M', 'C', 'D']);

export const signalConfigSchema = z.object({
  /** Last full month's sales against the mean of the three before it. */
  invoiceDrop: z.object({ warningDrop: share, criticalDrop: share }),
  /** The latest tax credit grade falling to these. */
  taxGrade: z.object({ warningGrades: z.array(grade), criticalGrades: z.array(grade) }),
  /** New enforcement: critical when what is outstanding exceeds this share of the credit line. */
  enforcement: z.object({ criticalShareOfLimit: share }),
  /** New suit as defendant from this claim up; critical above this share of 12-month sales. */
  lawsuit: z.object({ minAmount: z.string().refine(isDecimal, 'a decimal string such as "100000.00"'), criticalShareOfSales12m: share }),
  /** Electricity of the latest billed month against the same month a year before. */
  powerDrop: z.object({ warningDrop: share, criticalDrop: share }),
  /** A utility bill still unpaid this many days past due. */
  utilityOverdue: z.object({ warningDays: z.number().int().positive() }),
  /** The model's grade for the loan's product down by a grade or more; critical from this many grades (or to the worst). */
  scoreGrade: z.object({ criticalDrop: z.number().int().min(2).max(4) }),
  /** How far along shareholdings and shared people a CRITICAL alert of another enterprise counts. */
  relatedAlert: z.object({ depth: z.number().int().min(1).max(3) }),
});
export type SignalConfig = z.infer<typeof signalConfigSchema>;

const file = fileURLToPath(new URL('../../config/monitoring/signals.json', import.meta.url));

export function loadSignalConfig(path = file): SignalConfig {
  const parsed = signalConfigSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`config/monitoring/signals.json: ${z.prettifyError(parsed.error)}`);
  for (const key of ['invoiceDrop', 'powerDrop'] as const) {
    if (parsed.data[key].criticalDrop < parsed.data[key].warningDrop) throw new Error(`config/monitoring/signals.json: ${key}.criticalDrop is below its warningDrop`);
  }
  return parsed.data;
}
