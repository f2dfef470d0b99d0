import { z } from 'zod';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';
import { parseCapital, statusOfLabel } from './text.js';

/**
 * The registry provider's records → canonical records. Pure. Capital arrives as text with a
 * unit and a currency ("500万元人民币"), shares as percentages ("35.00%"), days as yyyy-MM-dd,
 * statuses and change items as Chinese labels.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-MM-dd').superRefine((value, context) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(value)) context.addIssue({ code: 'custom', message: `${value} is not a calendar day` });
});

const capital = z.string().transform((value, context) => {
  const parsed = parseCapital(value);
  if (!parsed) {
    context.addIssue({ code: 'custom', message: `expected an amount such as "500万元人民币", exact to the fen, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return parsed;
});

/** '35.00%' (or a bare number of percent, as some releases send) → the ratio with 8 decimals, as the store keeps it. */
const percent = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = typeof value === 'number' ? String(value) : value.replace(/%$/, '');
  const match = /^(\d{1,3})(?:\.(\d{1,6}))?$/.exec(text);
  const hundredths = match ? BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0')) : -1n;
  if (!match || hundredths <= 0n || hundredths > 100_000_000n) {
    context.addIssue({ code: 'custom', message: `expected a share such as "35.00%", over 0 and at most 100%, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  const digits = hundredths.toString().padStart(9, '0');
  return `${digits.slice(0, -8)}.${digits.slice(-8)}`;
});

const idNumber = z.string().regex(/^\d{17}[\dX]$/, 'expected an 18-character resident ID number');
const uscc = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'expected an 18-character USCC');

const basic = z.object({
  KeyNo: z.string().min(1),
  Name: z.string().min(1),
  CreditCode: uscc,
  EconKind: z.string().min(1).nullable(),
  Industry: z.object({ IndustryCode: z.string().regex(/^[A-T]$/), SubIndustryCode: z.string().regex(/^\d{0,4}$/) }).nullable(),
  AreaCode: z.string().regex(/^\d{6}$/, 'expected a six-digit division code'),
  Status: z.string().min(1),
  Tags: z.array(z.string()).default([]),
  StartDate: day.nullable(),
  RegistCapi: capital.nullable(),
  RecCap: capital.nullable(),
});

const partner = z
  .object({
    KeyNo: z.string().min(1),
    StockName: z.string().min(1),
    StockType: z.enum(['自然人股东', '企业法人']),
    IdNo: idNumber.nullable().optional(),
    CreditCode: uscc.nullable().optional(),
    StockPercent: percent,
    ShouldCapi: capital.nullable(),
    StartDate: day.nullable(),
    EndDate: day.nullable(),
  })
  .refine((p) => (p.StockType === '自然人股东' ? Boolean(p.IdNo) : Boolean(p.CreditCode)), {
    message: 'a natural-person shareholder needs IdNo, an enterprise shareholder CreditCode',
    path: ['StockType'],
  });

const keyPerson = z.object({
  KeyNo: z.string().min(1),
  Name: z.string().min(1),
  IdNo: idNumber,
  Role: z.enum(['法定代表人', '高管']),
  Job: z.string().nullable(),
  StartDate: day.nullable(),
  EndDate: day.nullable(),
});

const CHANGE_FIELDS = {
  法定代表人变更: 'LEGAL_REPRESENTATIVE',
  投资人变更: 'SHAREHOLDER',
  名称变更: 'NAME',
  住所变更: 'ADDRESS',
  经营范围变更: 'SCOPE',
  注册资本变更: 'CAPITAL',
  登记状态变更: 'STATUS',
} as const;

const change = z.object({
  KeyNo: z.string().min(1),
  ProjectName: z.enum(Object.keys(CHANGE_FIELDS) as [keyof typeof CHANGE_FIELDS, ...(keyof typeof CHANGE_FIELDS)[]]),
  BeforeContent: z.string().nullable(),
  AfterContent: z.string().nullable(),
  ChangeDate: day,
});

const exception = z.object({
  KeyNo: z.string().min(1),
  AddReason: z.string().min(1),
  AddDate: day,
  DecisionOffice: z.string().nullable(),
  RemoveReason: z.string().nullable(),
  RemoveDate: day.nullable(),
});

function rejection(raw: unknown, error: z.ZodError): Normalized {
  const key = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).KeyNo : undefined;
  return { ok: false, errors: error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`), ...(typeof key === 'string' ? { externalId: key } : {}) };
}

const one = (record: CanonicalRecord): Normalized => ({ ok: true, records: [record] });

export function normalizeRegistry(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  switch (context.stream) {
    case 'basic': {
      const parsed = basic.safeParse(raw);
      if (!parsed.success) return rejection(raw, parsed.error);
      const r = parsed.data;
      if (r.CreditCode !== context.uscc) return { ok: false, errors: [`CreditCode: the record of ${r.CreditCode} for ${context.uscc}`], externalId: r.KeyNo };
      const status = statusOfLabel(r.Status, r.Tags);
      if (!status) return { ok: false, errors: [`Status: unknown registration status ${JSON.stringify(r.Status)}`], externalId: r.KeyNo };
      return one({
        entity: 'enterprise',
        externalId: r.KeyNo,
        fields: {
          name: r.Name,
          legalForm: r.EconKind,
          industryCode: r.Industry ? `${r.Industry.IndustryCode}${r.Industry.SubIndustryCode}` : null,
          regionCode: r.AreaCode,
          status,
          establishedOn: r.StartDate,
          registeredCapitalFen: r.RegistCapi?.fen ?? null,
          registeredCapitalCurrency: r.RegistCapi?.currency ?? 'CNY',
          paidInCapitalFen: r.RecCap?.fen ?? null,
        },
      });
    }
    case 'partners': {
      const parsed = partner.safeParse(raw);
      if (!parsed.success) return rejection(raw, parsed.error);
      const p = parsed.data;
      return one({
        entity: 'relation',
        externalId: p.KeyNo,
        fields: {
          type: 'SHAREHOLDER',
          from: p.StockType === '自然人股东' ? { person: { idNumber: p.IdNo!, name: p.StockName } } : { uscc: p.CreditCode!, name: p.StockName },
          shareRatio: p.StockPercent,
          subscribedCapitalFen: p.ShouldCapi?.fen ?? null,
          validFrom: p.StartDate,
          validTo: p.EndDate,
        },
      });
    }
    case 'key-persons': {
      const parsed = keyPerson.safeParse(raw);
      if (!parsed.success) return rejection(raw, parsed.error);
      const k = parsed.data;
      return one({
        entity: 'relation',
        externalId: k.KeyNo,
        fields: {
          type: k.Role === '法定代表人' ? 'LEGAL_REPRESENTATIVE' : 'EXECUTIVE',
          from: { person: { idNumber: k.IdNo, name: k.Name } },
          shareRatio: null,
          subscribedCapitalFen: null,
          validFrom: k.StartDate,
          validTo: k.EndDate,
        },
      });
    }
    case 'changes': {
      const parsed = change.safeParse(raw);
      if (!parsed.success) return rejection(raw, parsed.error);
      const c = parsed.data;
      return one({
        entity: 'registryChange',
        externalId: c.KeyNo,
        fields: { field: CHANGE_FIELDS[c.ProjectName], beforeValue: c.BeforeContent, afterValue: c.AfterContent, changedOn: c.ChangeDate },
      });
    }
    case 'exceptions': {
      const parsed = exception.safeParse(raw);
      if (!parsed.success) return rejection(raw, parsed.error);
      const e = parsed.data;
      return one({
        entity: 'abnormalOperation',
        externalId: e.KeyNo,
        fields: { reason: e.AddReason, listedOn: e.AddDate, listedBy: e.DecisionOffice, removedOn: e.RemoveDate, removalReason: e.RemoveReason },
      });
    }
    default:
      return { ok: false, errors: [`stream: the registry connector has no stream '${context.stream}'`] };
  }
}
