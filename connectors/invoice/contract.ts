import { asOf } from '../../src/world/index.js';
import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import type { CanonicalRecord } from '../../src/ingest/sdk.js';
import { invoiceConnector } from './index.js';
import type { InvoiceConfig } from './manifest.js';
import { invoiceSandbox } from './sandbox/server.js';

const page = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { list: unknown[] } }).data.list;
const uscc = '91320505MA1MXXQ07T';

export const invoiceContract: ConnectorContract<InvoiceConfig> = {
  connector: invoiceConnector,
  sandbox: invoiceSandbox,
  fixtures: [
    {
      name: 'sales: a special VAT invoice, a voided normal one, a fully digital red-letter invoice reversing the first',
      stream: 'sales',
      uscc,
      records: page('sales-page'),
      expected: [
        { ok: true, records: [{ entity: 'invoice', externalId: '3205260001-00012345', fields: {
          invoiceCode: '3205260001', invoiceNumber: '00012345', kind: 'SPECIAL', issuedOn: '2026-09-15', sellerUscc: uscc,
          buyerUscc: '91320214MA3BR043XT', netAmountFen: '2864000', taxFen: '372320', status: 'NORMAL', originalInvoiceNumber: null } }] },
        { ok: true, records: [{ entity: 'invoice', externalId: '032052600011-00012346', fields: {
          invoiceCode: '032052600011', invoiceNumber: '00012346', kind: 'NORMAL', issuedOn: '2026-09-18', sellerUscc: uscc,
          buyerUscc: '91440305MA56A7080G', netAmountFen: '500005', taxFen: '65001', status: 'VOID', originalInvoiceNumber: null } }] },
        { ok: true, records: [{ entity: 'invoice', externalId: '26322000000000001234', fields: {
          invoiceCode: '263220000000', invoiceNumber: '26322000000000001234', kind: 'DIGITAL', issuedOn: '2026-10-12', sellerUscc: uscc,
          buyerUscc: '91320214MA3BR043XT', netAmountFen: '-2864000', taxFen: '-372320', status: 'RED_LETTER', originalInvoiceNumber: '00012345' } }] },
      ],
    },
  ],
  expected(enterprise, clock) {
    return asOf(enterprise.invoices, clock).map((i): CanonicalRecord => {
      const { invoiceCode, invoiceNumber, kind, issuedOn, sellerUscc, buyerUscc, netAmountFen, taxFen, status, originalInvoiceNumber } = i;
      return { entity: 'invoice', externalId: i.externalId, fields: { invoiceCode, invoiceNumber, kind, issuedOn, sellerUscc, buyerUscc, netAmountFen, taxFen, status, originalInvoiceNumber } };
    });
  },
};
