import { z } from 'zod';
import type { Normalized } from '../../src/ingest/sdk.js';
import { yuan, yyyyMMdd } from '../kit/wire.js';

/**
 * The e-invoice platform's sales invoices → canonical `invoice` facts. Pure. Amounts arrive in
 * yuan as strings with two decimals (negative on a red-letter invoice); a plain JSON number is
 * accepted when it is exact to the fen (upstreams drift between the two). Dates arrive as yyyyMMdd.
 *
 * Kind codes (发票种类代码), by the platform's code list:
 *   004 增值税专用发票 (paper special VAT)          → SPECIAL
 *   007 增值税普通发票 (paper normal VAT)           → NORMAL
 *   026 增值税电子普通发票 (electronic normal VAT)  → NORMAL: it still has a code and an 8-digit number
 *   081 数电专票, 082 数电普票 (fully digital, 全电) → DIGITAL: a 20-digit number, unique on its own
 *
 * An invoice's natural key is its code and number; a fully digital invoice's 20-digit number
 * alone. Those are the external ids.
 */
const KINDS = { '004': 'SPECIAL', '007': 'NORMAL', '026': 'NORMAL', '081': 'DIGITAL', '082': 'DIGITAL' } as const;
const STATUSES = { '0': 'NORMAL', '2': 'VOID', '3': 'RED_LETTER' } as const;

/** Yuan → fen as a bigint, so that the amounts can be checked against each other exactly. */
const taxNumber = z.string().regex(/^[0-9A-Z]{18}$/, 'expected an 18-character unified social credit code');
const invoiceNumber = z.string().regex(/^(\d{8}|\d{20})$/, 'expected an invoice number of 8 digits, or 20 for a fully digital invoice');

const salesInvoice = z.object({
  fpdm: z.string().regex(/^(\d{10}|\d{12})$/, 'expected an invoice code of 10 or 12 digits'),
  fphm: invoiceNumber,
  fplxdm: z.enum(Object.keys(KINDS) as [keyof typeof KINDS]).transform((code) => KINDS[code]),
  kprq: yyyyMMdd,
  xfsh: taxNumber,
  gfsh: taxNumber,
  hjje: yuan({ signed: true }).transform(BigInt),
  hjse: yuan({ signed: true }).transform(BigInt),
  jshj: yuan({ signed: true }).transform(BigInt),
  fpzt: z.enum(Object.keys(STATUSES) as [keyof typeof STATUSES]).transform((code) => STATUSES[code]),
  yfphm: invoiceNumber.nullable(),
  gxsj: z.string().regex(/^\d{14}$/, 'expected an update time yyyyMMddHHmmss'),
});

function externalIdOf(fpdm: string, fphm: string): string {
  return fphm.length === 20 ? fphm : `${fpdm}-${fphm}`;
}

/** The external id of a record that failed validation, when its code and number can still be read. */
function rawExternalId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { fpdm, fphm } = raw as Record<string, unknown>;
  if (typeof fphm !== 'string') return undefined;
  if (fphm.length === 20) return fphm;
  return typeof fpdm === 'string' ? externalIdOf(fpdm, fphm) : undefined;
}

/** Why a valid-looking invoice cannot be what it says, or null. */
function inconsistency(r: z.infer<typeof salesInvoice>, uscc: string): string | null {
  if (r.xfsh !== uscc) return `xfsh: an invoice issued by ${r.xfsh} in the sales of ${uscc}`;
  if (r.hjje + r.hjse !== r.jshj) return 'jshj: the amount with tax is not the amount without tax plus the tax';
  if ((r.fplxdm === 'DIGITAL') !== (r.fphm.length === 20)) return 'fphm: a fully digital invoice has a 20-digit number, any other an 8-digit one';
  if (r.fpzt === 'RED_LETTER') {
    if (r.yfphm === null) return 'yfphm: a red-letter invoice names the invoice it reverses';
    if (r.hjje >= 0n) return 'hjje: a red-letter invoice reverses a sale, its amounts are negative';
  } else if (r.yfphm !== null) {
    return 'yfphm: only a red-letter invoice reverses another';
  }
  return null;
}

export function normalizeInvoice(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== 'sales') return { ok: false, errors: [`stream: the invoice connector has no stream '${context.stream}'`] };
  const parsed = salesInvoice.safeParse(raw);
  if (!parsed.success) {
    const externalId = rawExternalId(raw);
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`),
      ...(externalId ? { externalId } : {}),
    };
  }
  const r = parsed.data;
  const externalId = externalIdOf(r.fpdm, r.fphm);
  const problem = inconsistency(r, context.uscc);
  if (problem) return { ok: false, errors: [problem], externalId };
  return {
    ok: true,
    records: [
      {
        entity: 'invoice',
        externalId,
        fields: {
          invoiceCode: r.fpdm,
          invoiceNumber: r.fphm,
          kind: r.fplxdm,
          issuedOn: r.kprq,
          sellerUscc: r.xfsh,
          buyerUscc: r.gfsh,
          netAmountFen: r.hjje.toString(),
          taxFen: r.hjse.toString(),
          status: r.fpzt,
          originalInvoiceNumber: r.yfphm,
        },
      },
    ],
  };
}
