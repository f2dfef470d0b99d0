import { z } from 'zod';
import { decimalToFen, type Normalized } from '../../src/ingest/sdk.js';

/**
 * What the upstreams' wire formats share, for the normalizers: Chinese government and
 * industry APIs write days as yyyyMMdd, months as yyyyMM and money as yuan strings — and
 * drift between a documented string and a JSON number.
 */

/** yyyyMMdd → an ISO day, refusing days that do not exist. */
export const yyyyMMdd = z.string().regex(/^\d{8}$/, 'expected a date yyyyMMdd').transform((value, context) => {
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    context.addIssue({ code: 'custom', message: `${value} is not a calendar day` });
    return z.NEVER;
  }
  return iso;
});

/** yyyyMM → the month's first day, ISO. */
export const yyyyMM = z
  .string()
  .regex(/^\d{4}(0[1-9]|1[0-2])$/, 'expected a month yyyyMM')
  .transform((value) => `${value.slice(0, 4)}-${value.slice(4, 6)}-01`);

/**
 * Yuan with at most two decimals → integer fen as a decimal string. A JSON number is accepted
 * when it is exact to the fen (the documented string drifts to a number between releases).
 */
export function yuan(options: { signed?: boolean } = {}) {
  const pattern = options.signed ? /^-?\d+(\.\d{1,2})?$/ : /^\d+(\.\d{1,2})?$/;
  return z.union([z.string(), z.number()]).transform((value, context) => {
    const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
    if (!pattern.test(text)) {
      context.addIssue({ code: 'custom', message: `expected a yuan amount such as "1234.50", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return decimalToFen(text).toString();
  });
}

/** A normalizer's rejection: zod's issues as reasons naming the field, and the record's id under `key` when it has one. */
export function rejection(raw: unknown, error: z.ZodError, key: string): Normalized {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  return {
    ok: false,
    errors: error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`),
    ...(typeof id === 'string' && id !== '' ? { externalId: id } : {}),
  };
}
