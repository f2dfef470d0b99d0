/**
 * A simulator of the e-invoice platform's service for authorised third parties (电子发票服务平台
 * 第三方数据服务), serving the demo portfolio's sales invoices in the platform's wire format: an
 * envelope with a numeric business code, pinyin field names, amounts in yuan as strings, dates
 * as yyyyMMdd, update times as yyyyMMddHHmmss in Beijing time, OAuth2 client credentials.
 *
 *   POST /auth/oauth2/token                   grant_type=client_credentials
 *   GET  /v1/invoices/sales?taxNo&pageNum&pageSize&updatedFrom=yyyyMMddHHmmss   (updated at or after)
 *
 * Invoices come ordered by update time, then number, so an incremental pass pages stably.
 */
import type { Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type EnterpriseBundle, type InvoiceRecord } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import type { InvoiceConfig } from '../manifest.js';
import { BadSandboxRequest, compactDay, intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';

/** The sandbox's demo client: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_CLIENT = { clientId: 'creditgraph-demo', clientSecret: 'invoice-sandbox-demo-secret' };

type Wire = Record<string, unknown>;

/** The platform's kind codes: paper special and normal VAT invoices, and 数电普票 for fully digital ones. */
const KIND_CODES = { SPECIAL: '004', NORMAL: '007', DIGITAL: '082' } as const;
const STATUS_CODES = { NORMAL: '0', VOID: '2', RED_LETTER: '3' } as const;

/** yyyyMMddHHmmss in Beijing time (UTC+8), as the platform stamps updates. */
function beijingStamp(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function invoiceOf(i: InvoiceRecord, sellerName: string, names: ReadonlyMap<string, string>): Wire {
  return {
    fpdm: i.invoiceCode,
    fphm: i.invoiceNumber,
    fplxdm: KIND_CODES[i.kind],
    kprq: compactDay(i.issuedOn),
    xfsh: i.sellerUscc,
    xfmc: sellerName,
    gfsh: i.buyerUscc,
    gfmc: names.get(i.buyerUscc) ?? null,
    hjje: fenToDecimal(i.netAmountFen),
    hjse: fenToDecimal(i.taxFen),
    jshj: fenToDecimal(BigInt(i.netAmountFen) + BigInt(i.taxFen)),
    fpzt: STATUS_CODES[i.status],
    yfphm: i.originalInvoiceNumber,
    gxsj: beijingStamp(i.observedAt),
  };
}

/** How the platform's schema drifts in practice: a field renamed in a release, amounts sent as numbers. */
const AMOUNTS = ['hjje', 'hjse', 'jshj'];

function drift(record: Wire, random: Random): Wire {
  if (random() < 0.5) {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, AMOUNTS.includes(key) ? Number(value) : value]));
  }
  const { hjje, ...rest } = record;
  return { ...rest, je: hjje };
}

const PAGE_SIZE_MAX = 100;
/**
 * Enterprises whose wire lists are kept. A sync pages through one enterprise at a time, so a
 * small cache saves rebuilding the list for every page without holding a whole portfolio's invoices.
 */
const CACHED_ENTERPRISES = 256;

/** The index of the first record updated at or after `since` in a list ordered by update time. */
function firstUpdatedFrom(records: readonly Wire[], since: string): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (String(records[middle]!.gxsj) < since) low = middle + 1;
    else high = middle;
  }
  return low;
}

function startInvoiceSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const { portfolio } = options;
  const byUscc = new Map<string, EnterpriseBundle>(portfolio.enterprises.map((e) => [e.uscc, e]));
  const names = new Map<string, string>([...portfolio.outsideCounterparties, ...portfolio.enterprises].map((party) => [party.uscc, party.name]));

  // The wire lists as of one clock value, least recently used first; a new clock starts afresh.
  let cachedClock = '';
  const cache = new Map<string, Wire[]>();
  const salesOf = (enterprise: EnterpriseBundle, clock: string): Wire[] => {
    if (clock !== cachedClock) {
      cache.clear();
      cachedClock = clock;
    }
    let records = cache.get(enterprise.uscc);
    if (records) {
      cache.delete(enterprise.uscc);
    } else {
      records = asOf(enterprise.invoices, clock)
        .map((i) => invoiceOf(i, enterprise.name, names))
        .sort((a, b) => String(a.gxsj).localeCompare(String(b.gxsj)) || String(a.fphm).localeCompare(String(b.fphm)));
      if (cache.size >= CACHED_ENTERPRISES) cache.delete(cache.keys().next().value!);
    }
    cache.set(enterprise.uscc, records);
    return records;
  };

  return startSandbox({
    name: 'invoice',
    auth: { kind: 'oauth2', tokenPath: '/auth/oauth2/token', ...DEMO_CLIENT },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: portfolio.clockInstant,
    bodies: {
      unauthorized: { code: 40001, msg: '访问令牌无效或已过期', data: null },
      badRequest: (message) => ({ code: 40000, msg: `参数错误: ${message}`, data: null }),
      serverError: { code: 50000, msg: '服务繁忙，请稍后重试', data: null },
      tooManyRequests: { code: 42900, msg: '请求过于频繁，请稍后重试', data: null },
    },
    routes(app, context) {
      app.get('/v1/invoices/sales', context.data((req: Request): DataAnswer<Wire> => {
        const taxNo = req.query.taxNo;
        if (typeof taxNo !== 'string' || taxNo === '') throw new BadSandboxRequest('taxNo is required');
        const pageNum = intParam(req, 'pageNum', 1);
        const pageSize = intParam(req, 'pageSize', 20, PAGE_SIZE_MAX);
        const updatedFrom = req.query.updatedFrom;
        if (updatedFrom !== undefined && (typeof updatedFrom !== 'string' || !/^\d{14}$/.test(updatedFrom))) {
          throw new BadSandboxRequest('updatedFrom must be yyyyMMddHHmmss');
        }
        const enterprise = byUscc.get(taxNo);
        if (!enterprise) return { status: 200, body: { code: 40004, msg: '纳税人不存在或未授权', data: null } };
        const all = salesOf(enterprise, context.clock());
        const records = updatedFrom === undefined ? all : all.slice(firstUpdatedFrom(all, updatedFrom));
        const page = pageOf(records, pageNum, pageSize);
        const envelope = (list: unknown[]) => ({
          code: 0,
          msg: 'success',
          data: { list, total: records.length, pageNum, pageSize, hasNextPage: pageNum * pageSize < records.length },
        });
        return {
          status: 200,
          body: envelope(page.records),
          page: { ...page, withRecords: envelope, drift },
        };
      }));
    },
  });
}

export const invoiceSandbox: UpstreamSandbox<InvoiceConfig> = {
  start: startInvoiceSandbox,
  config: (url) => ({ baseUrl: url, ...DEMO_CLIENT }),
};
