import { readFileSync } from 'node:fs';
import { asOf, type EnterpriseBundle } from '../../src/world/index.js';
import type { CanonicalRecord } from '../../src/ingest/sdk.js';
import type { ConnectorContract } from '../kit/contract.js';
import { registryConnector } from './index.js';
import type { RegistryConfig } from './manifest.js';
import { registrySandbox } from './sandbox/server.js';

type Envelope = { Result: unknown };
const fixture = (name: string) => (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Envelope).Result;
const uscc = '91320505MA1MXXQ07T';
const wang = { idNumber: '32050519780412231X', name: '王建国' };

/** A ratio as the store's numeric(9, 8) gives it back: '0.3500' → '0.35000000'. */
const ratio = (value: string) => {
  const [whole = '0', fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(8, '0')}`;
};

export const registryContract: ConnectorContract<RegistryConfig> = {
  connector: registryConnector,
  sandbox: registrySandbox,
  fixtures: [
    {
      name: 'basic information: capital as text, an abnormal-operations tag',
      stream: 'basic',
      uscc,
      records: [fixture('basic')],
      expected: [{ ok: true, records: [{ entity: 'enterprise', externalId: '9cce0780ab7644008b73bc2120479d31', fields: {
        name: '苏州恒锐钢结构工程有限公司', legalForm: '有限责任公司(自然人投资或控股)', industryCode: 'C3311', regionCode: '320505',
        status: 'ABNORMAL_OPERATIONS', establishedOn: '2016-03-18', registeredCapitalFen: '500000000', registeredCapitalCurrency: 'CNY', paidInCapitalFen: '126500000' } }] }],
    },
    {
      name: 'shareholders: a person and an enterprise',
      stream: 'partners',
      uscc,
      records: fixture('partners-page') as unknown[],
      expected: [
        { ok: true, records: [{ entity: 'relation', externalId: `${uscc}:SHAREHOLDER:P1:2016-03-18`, fields: {
          type: 'SHAREHOLDER', from: { person: wang }, shareRatio: '0.65000000', subscribedCapitalFen: '325000000', validFrom: '2016-03-18', validTo: null } }] },
        { ok: true, records: [{ entity: 'relation', externalId: `${uscc}:SHAREHOLDER:91320594MA1N2QXX8B:2019-07-01`, fields: {
          type: 'SHAREHOLDER', from: { uscc: '91320594MA1N2QXX8B', name: '苏州工业园区晟达投资有限公司' }, shareRatio: '0.35000000', subscribedCapitalFen: '175000000', validFrom: '2019-07-01', validTo: null } }] },
      ],
    },
    {
      name: 'key persons: the legal representative and a former supervisor',
      stream: 'key-persons',
      uscc,
      records: fixture('key-persons-page') as unknown[],
      expected: [
        { ok: true, records: [{ entity: 'relation', externalId: `${uscc}:LEGAL_REPRESENTATIVE:P1:2016-03-18`, fields: {
          type: 'LEGAL_REPRESENTATIVE', from: { person: wang }, shareRatio: null, subscribedCapitalFen: null, validFrom: '2016-03-18', validTo: null } }] },
        { ok: true, records: [{ entity: 'relation', externalId: `${uscc}:EXECUTIVE:P2:2016-03-18`, fields: {
          type: 'EXECUTIVE', from: { person: { idNumber: '320505198111020426', name: '李秀英' } }, shareRatio: null, subscribedCapitalFen: null, validFrom: '2016-03-18', validTo: '2024-05-09' } }] },
      ],
    },
    {
      name: 'a change of registered capital',
      stream: 'changes',
      uscc,
      records: fixture('changes-page') as unknown[],
      expected: [{ ok: true, records: [{ entity: 'registryChange', externalId: `${uscc}:CAPITAL:2021-06-30`, fields: {
        field: 'CAPITAL', beforeValue: '200万元人民币', afterValue: '500万元人民币', changedOn: '2021-06-30' } }] }],
    },
    {
      name: 'an abnormal-operations listing',
      stream: 'exceptions',
      uscc,
      records: fixture('exceptions-page') as unknown[],
      expected: [{ ok: true, records: [{ entity: 'abnormalOperation', externalId: `${uscc}:2026-07-02`, fields: {
        reason: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的', listedOn: '2026-07-02', listedBy: '苏州市虎丘区市场监督管理局', removedOn: null, removalReason: null } }] }],
    },
  ],
  expected(enterprise: EnterpriseBundle, clock: string, portfolio) {
    const persons = new Map(portfolio.persons.map((person) => [person.key, person]));
    const names = new Map(portfolio.enterprises.map((e) => [e.uscc, e.name]));
    const records: CanonicalRecord[] = [];
    if (enterprise.observedAt < clock) {
      records.push({ entity: 'enterprise', externalId: enterprise.externalId, fields: {
        name: enterprise.name, legalForm: enterprise.legalForm, industryCode: enterprise.industryCode, regionCode: enterprise.regionCode,
        status: enterprise.status, establishedOn: enterprise.establishedOn, registeredCapitalFen: enterprise.registeredCapitalFen,
        registeredCapitalCurrency: 'CNY', paidInCapitalFen: enterprise.paidInCapitalFen } });
    }
    for (const r of asOf(enterprise.relations, clock)) {
      const person = r.from.kind === 'PERSON' ? persons.get(r.from.personKey)! : undefined;
      records.push({ entity: 'relation', externalId: r.externalId, fields: {
        type: r.type,
        from: person ? { person: { idNumber: person.idNumber, name: person.name } } : { uscc: (r.from as { uscc: string }).uscc, name: names.get((r.from as { uscc: string }).uscc) ?? '' },
        shareRatio: r.shareRatio === null ? null : ratio(r.shareRatio),
        subscribedCapitalFen: r.subscribedCapitalFen, validFrom: r.validFrom, validTo: r.validTo } });
    }
    for (const c of asOf(enterprise.registryChanges, clock)) {
      records.push({ entity: 'registryChange', externalId: c.externalId, fields: { field: c.field, beforeValue: c.before, afterValue: c.after, changedOn: c.changedOn } });
    }
    for (const a of asOf(enterprise.abnormalOperations, clock)) {
      records.push({ entity: 'abnormalOperation', externalId: a.externalId, fields: {
        reason: a.reason, listedOn: a.listedOn, listedBy: a.listedBy, removedOn: a.removedOn, removalReason: a.removalReason } });
    }
    return records;
  },
};
