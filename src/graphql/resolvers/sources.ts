import { money } from '../../common/money.js';
import type { Resolvers } from '../../generated/graphql.js';

const fen = (value: string) => money(value)!;

export const sourceResolvers: Resolvers = {
  TaxFiling: {
    declaredRevenue: (filing) => fen(filing.declaredRevenueFen),
    taxPayable: (filing) => fen(filing.taxPayableFen),
    taxPaid: (filing) => fen(filing.taxPaidFen),
    lateFee: (filing) => fen(filing.lateFeeFen),
    provenance: (filing) => filing,
  },
  TaxRating: {
    provenance: (rating) => rating,
  },
  CourtCase: {
    amount: (courtCase) => money(courtCase.amountFen),
    provenance: (courtCase) => courtCase,
  },
  Enforcement: {
    amount: (enforcement) => fen(enforcement.amountFen),
    outstanding: (enforcement) => fen(enforcement.outstandingFen),
    provenance: (enforcement) => enforcement,
  },
  UtilityBill: {
    billed: (bill) => fen(bill.billedFen),
    paid: (bill) => fen(bill.paidFen),
    provenance: (bill) => bill,
  },
  InvoiceAggregate: {
    netAmount: (aggregate) => fen(aggregate.netAmountFen),
    tax: (aggregate) => fen(aggregate.taxFen),
  },
};
