import { asOf } from '../../src/world/index.js';
import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import type { CanonicalRecord } from '../../src/ingest/sdk.js';
import { courtConnector } from './index.js';
import type { CourtConfig } from './manifest.js';
import { courtSandbox } from './sandbox/server.js';

const page = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { result: { items: unknown[] } }).result.items;
const uscc = '91320505MA1MXXQ07T';

export const courtContract: ConnectorContract<CourtConfig> = {
  connector: courtConnector,
  sandbox: courtSandbox,
  fixtures: [
    {
      name: 'cases: closed as plaintiff, an administrative suit without an amount, open civil suit as defendant',
      stream: 'cases',
      uscc,
      records: page('cases-page'),
      expected: [
        { ok: true, records: [{ entity: 'courtCase', externalId: 'a03b9e4471d24f6c8e15b2c7d9f06e38', fields: {
          caseNumber: '（2025）苏0505民初10237号', court: '苏州市虎丘区人民法院', caseKind: 'CIVIL', cause: '承揽合同纠纷', partyRole: 'PLAINTIFF',
          amountFen: '5280050', filedOn: '2025-11-03', status: 'CLOSED', judgmentOn: '2026-02-18' } }] },
        { ok: true, records: [{ entity: 'courtCase', externalId: '3c6e1b0d9f2a47e58b4d7a1c2e9f0b53', fields: {
          caseNumber: '（2026）苏0506行初87号', court: '苏州市姑苏区人民法院', caseKind: 'ADMINISTRATIVE', cause: '行政处罚', partyRole: 'PLAINTIFF',
          amountFen: null, filedOn: '2026-05-12', status: 'OPEN', judgmentOn: null } }] },
        { ok: true, records: [{ entity: 'courtCase', externalId: '5d1f0c8e2b7a4c19a3e6f0d2b8c47a91', fields: {
          caseNumber: '（2026）苏0506民初4821号', court: '苏州市姑苏区人民法院', caseKind: 'CIVIL', cause: '买卖合同纠纷', partyRole: 'DEFENDANT',
          amountFen: '38652000', filedOn: '2026-07-14', status: 'OPEN', judgmentOn: null } }] },
      ],
    },
    {
      name: 'enforcements: one performed, one open and dishonest-listed, the legal representative restricted from high consumption',
      stream: 'enforcements',
      uscc,
      records: page('enforcements-page'),
      expected: [
        { ok: true, records: [{ entity: 'enforcement', externalId: 'b4a8d2e61f0c4937a5e8c3b1d7f29e06', fields: {
          caseNumber: '（2025）苏0505执3317号', court: '苏州市虎丘区人民法院', amountFen: '8000000', outstandingFen: '0', filedOn: '2025-06-09',
          status: 'CLOSED', closedOn: '2025-11-30', dishonestDebtor: false, consumptionRestriction: false, against: null } }] },
        { ok: true, records: [{ entity: 'enforcement', externalId: 'e7c2a95b10f84d3e9a6b5c0d1e2f3a47', fields: {
          caseNumber: '（2026）苏0506执1876号', court: '苏州市姑苏区人民法院', amountFen: '41230000', outstandingFen: '29765080', filedOn: '2026-03-20',
          status: 'OPEN', closedOn: null, dishonestDebtor: true, consumptionRestriction: true, against: null } }] },
        { ok: true, records: [{ entity: 'enforcement', externalId: 'f19d3b7c6a2e4058b1c9d7e3a5f20b64', fields: {
          caseNumber: '（2026）苏0506执1903号', court: '苏州市姑苏区人民法院', amountFen: '41230000', outstandingFen: '41230000', filedOn: '2026-03-24',
          status: 'OPEN', closedOn: null, dishonestDebtor: false, consumptionRestriction: true, against: { idNumber: '320505197806123516', name: '陈建国' } } }] },
      ],
    },
  ],
  expected(enterprise, clock, portfolio) {
    const persons = new Map(portfolio.persons.map((person) => [person.key, person]));
    const records: CanonicalRecord[] = [];
    for (const c of asOf(enterprise.courtCases, clock)) {
      const { caseNumber, court, caseKind, cause, partyRole, amountFen, filedOn, status, judgmentOn } = c;
      records.push({ entity: 'courtCase', externalId: c.externalId, fields: { caseNumber, court, caseKind, cause, partyRole, amountFen, filedOn, status, judgmentOn } });
    }
    for (const e of asOf(enterprise.enforcements, clock)) {
      const { caseNumber, court, amountFen, outstandingFen, filedOn, status, closedOn, dishonestDebtor, consumptionRestriction } = e;
      const person = e.personKey === null ? null : persons.get(e.personKey);
      if (person === undefined) throw new Error(`court contract: no person ${e.personKey} in the portfolio`);
      const against = person === null ? null : { idNumber: person.idNumber, name: person.name };
      records.push({ entity: 'enforcement', externalId: e.externalId, fields: { caseNumber, court, amountFen, outstandingFen, filedOn, status, closedOn, dishonestDebtor, consumptionRestriction, against } });
    }
    return records;
  },
};
