/**
 * A simulator of the tax bureau's taxpayer-data API (电子税务局数据服务), serving the demo
 * portfolio in the bureau's wire format: an envelope with a business code, pinyin field
 * names, amounts in yuan as strings, dates as yyyyMMdd, OAuth2 client credentials.
 *
 *   POST /oauth/token                                  grant_type=client_credentials
 *   GET  /api/v1/taxpayers/:nsrsbh/returns?pageNo&pageSize&since=yyyyMMdd   (since: changed on or after)
 *   GET  /api/v1/taxpayers/:nsrsbh/credit-ratings?pageNo&pageSize
 *   GET  /api/v1/taxpayers/:nsrsbh/arrears?pageNo&pageSize
 */
import type { Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type EnterpriseBundle, type TaxArrearsRecord, type TaxFilingRecord, type TaxRatingRecord } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import type { TaxConfig } from '../manifest.js';
import { BadSandboxRequest, compactDay, intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';

/** The sandbox's demo client: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_CLIENT = { clientId: 'creditgraph-demo', clientSecret: 'tax-sandbox-demo-secret' };

type Wire = Record<string, unknown>;

const TAX_TYPE_NAMES = { VAT: '增值税', CORPORATE_INCOME: '企业所得税' } as const;

function returnOf(uscc: string, f: TaxFilingRecord): Wire {
  return {
    sbxh: f.externalId,
    nsrsbh: uscc,
    sbzlDm: f.formCode,
    zsxmMc: TAX_TYPE_NAMES[f.taxType],
    skssqq: compactDay(f.periodStart),
    skssqz: compactDay(f.periodEnd),
    sbrq: compactDay(f.filedOn),
    xse: fenToDecimal(f.declaredRevenueFen),
    ynse: fenToDecimal(f.taxPayableFen),
    yjse: fenToDecimal(f.taxPaidFen),
    znj: fenToDecimal(f.lateFeeFen),
    lsbz: f.zeroFiling ? 'Y' : 'N',
    yqbz: f.late ? 'Y' : 'N',
    gxrq: compactDay(f.observedAt),
  };
}

function ratingOf(r: TaxRatingRecord): Wire {
  return { pjxh: r.externalId, pjnd: String(r.year), xypj: r.grade, fbrq: compactDay(r.publishedOn) };
}

function arrearsOf(a: TaxArrearsRecord): Wire {
  return {
    qsxh: a.externalId,
    swjgMc: a.authority,
    qsje: fenToDecimal(a.amountFen),
    qsrq: compactDay(a.since),
    ztDm: a.status === 'OUTSTANDING' ? '01' : '02',
    jqrq: a.settledOn ? compactDay(a.settledOn) : null,
  };
}

/** How the bureau's schema drifts in practice: a field renamed in a release, amounts sent as numbers. */
const RENAMES: Record<string, [string, string]> = { returns: ['xse', 'xssr'], 'credit-ratings': ['xypj', 'nsxydj'], arrears: ['qsje', 'qsye'] };
const AMOUNTS: Record<string, string[]> = { returns: ['xse', 'ynse', 'yjse', 'znj'], 'credit-ratings': [], arrears: ['qsje'] };

function drift(stream: string, record: Wire, random: Random): Wire {
  const amounts = AMOUNTS[stream] ?? [];
  if (amounts.length > 0 && random() < 0.5) {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, amounts.includes(key) ? Number(value) : value]));
  }
  const [from, to] = RENAMES[stream]!;
  const { [from]: moved, ...rest } = record;
  return { ...rest, [to]: moved };
}

const PAGE_SIZE_MAX = 100;

function startTaxSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const byUscc = new Map<string, EnterpriseBundle>(options.portfolio.enterprises.map((e) => [e.uscc, e]));
  const streams: Record<string, (e: EnterpriseBundle, clock: string) => Wire[]> = {
    returns: (e, clock) =>
      asOf(e.taxFilings, clock)
        .map((f) => returnOf(e.uscc, f))
        .sort((a, b) => String(a.gxrq).localeCompare(String(b.gxrq)) || String(a.sbxh).localeCompare(String(b.sbxh))),
    'credit-ratings': (e, clock) => asOf(e.taxRatings, clock).map(ratingOf),
    arrears: (e, clock) => asOf(e.taxArrears, clock).map(arrearsOf),
  };

  return startSandbox({
    name: 'tax',
    auth: { kind: 'oauth2', tokenPath: '/oauth/token', ...DEMO_CLIENT },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: options.portfolio.clockInstant,
    bodies: {
      unauthorized: { code: '1001', message: '访问令牌无效或已过期', data: null },
      badRequest: (message) => ({ code: '1002', message: `参数错误: ${message}`, data: null }),
      serverError: { code: '9999', message: '系统繁忙，请稍后重试', data: null },
      tooManyRequests: { code: '1429', message: '请求过于频繁，请稍后重试', data: null },
    },
    routes(app, context) {
      app.get('/api/v1/taxpayers/:nsrsbh/:stream', context.data((req: Request): DataAnswer<Wire> => {
        const stream = String(req.params.stream);
        const list = streams[stream];
        if (!list) throw new BadSandboxRequest(`unknown resource ${stream}`);
        const pageNo = intParam(req, 'pageNo', 1);
        const pageSize = intParam(req, 'pageSize', 20, PAGE_SIZE_MAX);
        const since = req.query.since;
        if (since !== undefined && (typeof since !== 'string' || !/^\d{8}$/.test(since))) throw new BadSandboxRequest('since must be yyyyMMdd');
        const enterprise = byUscc.get(String(req.params.nsrsbh));
        if (!enterprise) return { status: 200, body: { code: '1004', message: '纳税人不存在', data: null } };
        let records = list(enterprise, context.clock());
        if (since !== undefined && stream === 'returns') records = records.filter((r) => String(r.gxrq) >= since);
        const page = pageOf(records, pageNo, pageSize);
        const envelope = (items: unknown[]) => ({ code: '0000', message: '成功', data: { total: records.length, pageNo, pageSize, records: items } });
        return {
          status: 200,
          body: envelope(page.records),
          page: { ...page, withRecords: envelope, drift: (record, random) => drift(stream, record, random) },
        };
      }));
    },
  });
}

export const taxSandbox: UpstreamSandbox<TaxConfig> = {
  start: startTaxSandbox,
  config: (url) => ({ baseUrl: url, ...DEMO_CLIENT }),
};
