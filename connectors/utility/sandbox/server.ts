/**
 * A simulator of a utility's open platform for banks (电力/水务/燃气开放平台), serving the demo
 * portfolio in the platform's wire format: an envelope with a business code (retCode), pinyin
 * field names, amounts in yuan and consumption as strings, months as yyyyMM and dates as
 * yyyyMMdd, OAuth2 client credentials for the bank's application. Two steps, as such platforms
 * work: the customer's accounts by credit code, then each account's monthly bills.
 *
 *   POST /oauth2/token                                   grant_type=client_credentials
 *   POST /openapi/v1/accounts/query                      { "shxydm": USCC }
 *   GET  /openapi/v1/accounts/:hh/bills?pageIndex&pageSize&updatedSince=yyyyMMdd   (updated on or after)
 */
import express, { type Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type EnterpriseBundle, type UtilityBillRecord } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import type { UtilityConfig } from '../manifest.js';
import { BadSandboxRequest, compactDay, intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';

/** The sandbox's demo application: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_APP = { appId: 'creditgraph-demo', appSecret: 'utility-sandbox-demo-secret' };

type Wire = Record<string, unknown>;

const KINDS = { ELECTRICITY: 'ELEC', WATER: 'WATER', GAS: 'GAS' } as const;
const paymentMethod = (autoDebit: boolean) => (autoDebit ? '代扣' : '现金');

function billOf(b: UtilityBillRecord): Wire {
  return {
    zdbh: b.externalId,
    hh: b.accountNumber,
    ydlb: KINDS[b.utility],
    zq: b.period.slice(0, 7).replace('-', ''),
    yl: b.consumption,
    jldw: b.unit,
    ysje: fenToDecimal(b.billedFen),
    sjje: fenToDecimal(b.paidFen),
    jfzt: b.paidOn ? '已缴' : '未缴',
    jffs: paymentMethod(b.autoDebit),
    dqrq: compactDay(b.dueOn),
    jfrq: b.paidOn ? compactDay(b.paidOn) : null,
    yqts: b.daysOverdue,
    gxsj: compactDay(b.observedAt),
  };
}

/** The accounts behind an enterprise's bills, in first-billed order; the payment method is the latest bill's. */
function accountsOf(e: EnterpriseBundle, bills: readonly UtilityBillRecord[]): Wire[] {
  const latest = new Map<string, UtilityBillRecord>();
  for (const b of bills) {
    const known = latest.get(b.accountNumber);
    if (!known || b.period >= known.period) latest.set(b.accountNumber, b);
  }
  return [...latest.values()].map((b) => ({ hh: b.accountNumber, ydlb: KINDS[b.utility], yhmc: e.name, yddz: e.address, jffs: paymentMethod(b.autoDebit), zhzt: '正常' }));
}

/** How the platform's schema drifts in practice: consumption renamed in a release, amounts sent as numbers. */
function drift(record: Wire, random: Random): Wire {
  if (random() < 0.5) return { ...record, ysje: Number(record.ysje), sjje: Number(record.sjje) };
  const { yl, ...rest } = record;
  return { ...rest, ydl: yl };
}

const PAGE_SIZE_MAX = 50;

function startUtilitySandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const byUscc = new Map<string, EnterpriseBundle>(options.portfolio.enterprises.map((e) => [e.uscc, e]));
  const byAccount = new Map<string, EnterpriseBundle>();
  for (const e of options.portfolio.enterprises) for (const b of e.utilityBills) byAccount.set(b.accountNumber, e);

  return startSandbox({
    name: 'utility',
    auth: { kind: 'oauth2', tokenPath: '/oauth2/token', clientId: DEMO_APP.appId, clientSecret: DEMO_APP.appSecret },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: options.portfolio.clockInstant,
    bodies: {
      unauthorized: { retCode: '40101', retMsg: 'access_token无效或已过期', data: null },
      badRequest: (message) => ({ retCode: '40001', retMsg: `参数错误: ${message}`, data: null }),
      serverError: { retCode: '50000', retMsg: '系统繁忙，请稍后重试', data: null },
      tooManyRequests: { retCode: '42901', retMsg: '调用频率超限，请稍后重试', data: null },
    },
    routes(app, context) {
      // The body is parsed before the kit's handler, which counts, authenticates and may fault the request.
      app.post('/openapi/v1/accounts/query', express.json({ limit: '4kb' }), context.data((req: Request): DataAnswer => {
        const shxydm = (req.body as { shxydm?: unknown } | undefined)?.shxydm;
        if (typeof shxydm !== 'string' || shxydm.length !== 18) throw new BadSandboxRequest('shxydm must be an 18-character unified social credit code');
        const enterprise = byUscc.get(shxydm);
        const bills = enterprise ? asOf(enterprise.utilityBills, context.clock()) : [];
        if (!enterprise || bills.length === 0) return { status: 200, body: { retCode: '40404', retMsg: '未查询到该客户的用能户号', data: null } };
        const accounts = accountsOf(enterprise, bills);
        return { status: 200, body: { retCode: '0', retMsg: 'success', data: { total: accounts.length, accounts } } };
      }));

      app.get('/openapi/v1/accounts/:hh/bills', context.data((req: Request): DataAnswer<Wire> => {
        const hh = String(req.params.hh);
        const pageIndex = intParam(req, 'pageIndex', 1);
        const pageSize = intParam(req, 'pageSize', 12, PAGE_SIZE_MAX);
        const since = req.query.updatedSince;
        if (since !== undefined && (typeof since !== 'string' || !/^\d{8}$/.test(since))) throw new BadSandboxRequest('updatedSince must be yyyyMMdd');
        const enterprise = byAccount.get(hh);
        let rows = (enterprise ? asOf(enterprise.utilityBills, context.clock()) : [])
          .filter((b) => b.accountNumber === hh)
          .map(billOf)
          .sort((a, b) => String(a.gxsj).localeCompare(String(b.gxsj)) || String(a.zdbh).localeCompare(String(b.zdbh)));
        if (rows.length === 0) return { status: 200, body: { retCode: '40405', retMsg: '户号不存在', data: null } };
        if (since !== undefined) rows = rows.filter((r) => String(r.gxsj) >= since);
        const page = pageOf(rows, pageIndex, pageSize);
        const envelope = (items: unknown[]) => ({ retCode: '0', retMsg: 'success', data: { total: rows.length, pageIndex, pageSize, rows: items } });
        return { status: 200, body: envelope(page.records), page: { ...page, withRecords: envelope, drift } };
      }));
    },
  });
}

export const utilitySandbox: UpstreamSandbox<UtilityConfig> = {
  start: startUtilitySandbox,
  config: (url) => ({ baseUrl: url, ...DEMO_APP }),
};
