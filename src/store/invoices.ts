import { sql } from 'kysely';
import type { Db } from './database.js';
import { knownAt, type AsOf, type DateRange } from './facts.js';

export interface InvoiceAggregateRow {
  count: number;
  netAmountFen: string;
  taxFen: string;
  voidCount: number;
  redLetterCount: number;
}

export interface InvoiceMonthRow {
  enterpriseId: string;
  /** First day of the month. */
  month: string;
  sales: InvoiceAggregateRow;
  purchases: InvoiceAggregateRow;
}

const emptyAggregate = (): InvoiceAggregateRow => ({
  count: 0,
  netAmountFen: '0',
  taxFen: '0',
  voidCount: 0,
  redLetterCount: 0,
});

/**
 * Invoices per enterprise and calendar month, as seller and as buyer, in one statement.
 * Void invoices count but add no amount (they were cancelled); red-letter invoices carry
 * negative amounts and reduce the month's total, as they do in the tax return.
 */
export async function findInvoiceMonths(db: Db, enterpriseIds: readonly string[], range: DateRange & AsOf): Promise<InvoiceMonthRow[]> {
  const ids = sql`any(${sql.val(enterpriseIds)}::bigint[])`;
  const from = range.from ? sql`AND issued_on >= date_trunc('month', ${range.from}::date)` : sql``;
  const to = range.to ? sql`AND issued_on < date_trunc('month', ${range.to}::date) + interval '1 month'` : sql``;
  const side = (column: string, label: string) => sql`
    SELECT ${sql.ref(column)} AS enterprise_id, ${sql.lit(label)} AS side, issued_on, status, net_amount_fen, tax_fen
    FROM invoice WHERE ${sql.ref(column)} = ${ids} AND ${knownAt(range.asOf, 'issued_on')} ${from} ${to}`;
  const result = await sql<{
    enterpriseId: string;
    month: string;
    side: 'sales' | 'purchases';
    count: string;
    netAmountFen: string;
    taxFen: string;
    voidCount: string;
    redLetterCount: string;
  }>`
    SELECT enterprise_id::text AS enterprise_id, to_char(date_trunc('month', issued_on), 'YYYY-MM-DD') AS month, side,
           count(*) AS count,
           coalesce(sum(net_amount_fen) FILTER (WHERE status <> 'VOID'), 0)::text AS net_amount_fen,
           coalesce(sum(tax_fen) FILTER (WHERE status <> 'VOID'), 0)::text AS tax_fen,
           count(*) FILTER (WHERE status = 'VOID') AS void_count,
           count(*) FILTER (WHERE status = 'RED_LETTER') AS red_letter_count
    FROM (${side('seller_enterprise_id', 'sales')} UNION ALL ${side('buyer_enterprise_id', 'purchases')}) invoices
    GROUP BY 1, 2, 3
    ORDER BY 1, 2 DESC`.execute(db);

  const months = new Map<string, InvoiceMonthRow>();
  for (const row of result.rows) {
    const key = `${row.enterpriseId}|${row.month}`;
    let month = months.get(key);
    if (!month) {
      month = { enterpriseId: row.enterpriseId, month: row.month, sales: emptyAggregate(), purchases: emptyAggregate() };
      months.set(key, month);
    }
    month[row.side] = {
      count: Number(row.count),
      netAmountFen: row.netAmountFen,
      taxFen: row.taxFen,
      voidCount: Number(row.voidCount),
      redLetterCount: Number(row.redLetterCount),
    };
  }
  return [...months.values()];
}
