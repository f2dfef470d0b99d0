/**
 * Writes a generated demo portfolio into an empty store, as the connectors and the ingest
 * engine would have: every fact with its provenance (source, external id, one sync run per
 * source, payload hash, observed at), versioned facts as superseded versions, persons by a
 * salted hash of their ID number only.
 *
 * Rows go in with `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)`: one bound
 * array per column, so a statement carries thousands of rows with a handful of parameters, on
 * PGlite and PostgreSQL alike. The whole load is one transaction: it lands entirely or not at all.
 */
import { payloadHash } from '../common/payload-hash.js';
import { hashPersonId, maskIdNumber } from '../profile/person.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';
import {
  type EnterpriseBundle,
  type EnterpriseRecord,
  type PartyRef,
  type Portfolio,
} from '../world/index.js';

export interface LoadOptions {
  /** Salt of the HMAC that identifies a person; the clear ID number is never stored. */
  personIdSalt: string;
  /** Called after each batch of enterprises with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Enterprises per batch. @default 250 */
  batchSize?: number;
  /** Rows per INSERT statement. @default 5000 */
  rowsPerStatement?: number;
}

/** Rows written per table. */
export interface LoadSummary {
  syncRun: number;
  enterprise: number;
  /** The enterprises' record versions, the first of each included. */
  enterpriseVersion: number;
  person: number;
  relation: number;
  registryChange: number;
  abnormalOperation: number;
  taxFiling: number;
  taxRating: number;
  taxArrears: number;
  courtCase: number;
  enforcement: number;
  utilityBill: number;
  invoice: number;
  socialInsuranceMonth: number;
}

export class StoreNotEmptyError extends Error {
  override name = 'StoreNotEmptyError';
}

/** The upstream that reports each kind of fact. */
export const SOURCES = ['registry', 'tax', 'court', 'utility', 'invoice', 'social-insurance'] as const;
export type DemoSource = (typeof SOURCES)[number];

const TABLE_SOURCE = {
  enterprise: 'registry',
  enterpriseVersion: 'registry',
  relation: 'registry',
  registryChange: 'registry',
  abnormalOperation: 'registry',
  taxFiling: 'tax',
  taxRating: 'tax',
  taxArrears: 'tax',
  courtCase: 'court',
  enforcement: 'court',
  utilityBill: 'utility',
  invoice: 'invoice',
  socialInsuranceMonth: 'social-insurance',
} as const satisfies Record<Exclude<keyof LoadSummary, 'syncRun' | 'person'>, DemoSource>;

type PgType = 'text' | 'bigint' | 'integer' | 'date' | 'timestamptz' | 'boolean' | 'numeric';
type Cell = string | number | boolean | null;

const PROVENANCE_COLUMNS = [
  ['source', 'text'],
  ['external_id', 'text'],
  ['sync_run_id', 'bigint'],
  ['payload_hash', 'text'],
  ['observed_at', 'timestamptz'],
  ['superseded_at', 'timestamptz'],
] as const satisfies readonly (readonly [string, PgType])[];

/** Column-major rows for one table, flushed with one unnest INSERT per chunk. */
class Rows {
  readonly columns: readonly (readonly [string, PgType])[];
  readonly values: Cell[][];
  length = 0;

  constructor(
    readonly table: string,
    columns: readonly (readonly [string, PgType])[],
  ) {
    this.columns = columns;
    this.values = columns.map(() => []);
  }

  push(row: readonly Cell[]): void {
    if (row.length !== this.columns.length) throw new Error(`${this.table}: ${row.length} values for ${this.columns.length} columns`);
    for (let i = 0; i < row.length; i++) this.values[i]!.push(row[i]!);
    this.length++;
  }

}

async function flush<R = never>(db: Kysely<Database>, rows: Rows, rowsPerStatement: number, returning?: string): Promise<R[]> {
  const returned: R[] = [];
  const columnList = sql.raw(rows.columns.map(([name]) => name).join(', '));
  for (let offset = 0; offset < rows.length; offset += rowsPerStatement) {
    const arrays = rows.values.map((column, i) => {
      const chunk = offset === 0 && rows.length <= rowsPerStatement ? column : column.slice(offset, offset + rowsPerStatement);
      return sql`${chunk}::${sql.raw(rows.columns[i]![1])}[]`;
    });
    const tail = returning ? sql` RETURNING ${sql.raw(returning)}` : sql``;
    let result;
    try {
      result = await sql<R>`INSERT INTO ${sql.raw(rows.table)} (${columnList}) SELECT * FROM unnest(${sql.join(arrays)})${tail}`.execute(db);
    } catch (error) {
      // PGlite's error carries every bound array (thousands of values): drop them before it is logged.
      const details = error as { message?: string; detail?: string; constraint?: string; params?: unknown };
      if (details && typeof details === 'object') delete details.params;
      throw new Error(
        `loading the demo portfolio: inserting into ${rows.table} failed: ${details?.message ?? String(error)}` +
          (details?.detail ? ` (${details.detail})` : '') +
          (details?.constraint ? ` [constraint ${details.constraint}]` : ''),
        { cause: error },
      );
    }
    if (returning) returned.push(...result.rows);
  }
  return returned;
}

/**
 * For records in which the versions of a fact (same externalId) follow each other in
 * observation order: each version's supersededAt is the next version's observedAt, null for
 * the last one.
 */
export function supersededTimes(records: readonly { externalId: string; observedAt: string }[]): (string | null)[] {
  const result: (string | null)[] = new Array(records.length).fill(null);
  const next = new Map<string, string>();
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    const later = next.get(record.externalId);
    if (later !== undefined) {
      if (later < record.observedAt) {
        throw new Error(`versions of ${record.externalId} are out of observation order (${record.observedAt} before ${later})`);
      }
      result[i] = later;
    }
    next.set(record.externalId, record.observedAt);
  }
  return result;
}

export async function loadPortfolio(store: Store, portfolio: Portfolio, options: LoadOptions): Promise<LoadSummary> {
  if (!options.personIdSalt) throw new Error('loadPortfolio needs a personIdSalt to hash ID numbers');
  const batchSize = options.batchSize ?? 250;
  const rowsPerStatement = options.rowsPerStatement ?? 5000;
  return store.db.transaction().execute((trx) => load(trx, portfolio, options, batchSize, rowsPerStatement));
}

async function load(
  trx: Transaction<Database>,
  portfolio: Portfolio,
  options: LoadOptions,
  batchSize: number,
  rowsPerStatement: number,
): Promise<LoadSummary> {
  // Two loaders at once must not both find the store empty.
  await sql`LOCK TABLE enterprise IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
  const existing = await trx.selectFrom('enterprise').select('id').limit(1).executeTakeFirst();
  if (existing) {
    throw new StoreNotEmptyError(
      'the store already holds enterprises: a demo portfolio loads into an empty store only, so that two portfolios never mix. ' +
        'Use a new data folder (or database), or leave the demo out.',
    );
  }

  const summary: LoadSummary = {
    syncRun: 0,
    enterprise: 0,
    enterpriseVersion: 0,
    person: 0,
    relation: 0,
    registryChange: 0,
    abnormalOperation: 0,
    taxFiling: 0,
    taxRating: 0,
    taxArrears: 0,
    courtCase: 0,
    enforcement: 0,
    utilityBill: 0,
    invoice: 0,
    socialInsuranceMonth: 0,
  };

  // One sync run per source and month of history, as the hub's monthly refresh would have
  // left them: each carries the facts first observed in its month (those observed before the
  // history window go with its first month), and finishes when the month ends. So point-in-time
  // reads see each source as current at any month of the history, and no earlier.
  const monthStarts = [...portfolio.months.map((month) => `${month}T00:00:00.000Z`), portfolio.clockInstant];
  const runs = await trx
    .insertInto('syncRun')
    .values(
      SOURCES.flatMap((source) =>
        portfolio.months.map((_, i) => ({ source, enterpriseId: null, status: 'RUNNING' as const, startedAt: new Date(monthStarts[i]!) })),
      ),
    )
    .returning(['id', 'source'])
    .execute();
  summary.syncRun = runs.length;
  const runIds = Object.fromEntries(SOURCES.map((source) => [source, runs.filter((run) => run.source === source).map((run) => run.id)])) as Record<DemoSource, string[]>;
  const runCounts = new Map<string, number>();
  const runFor = (table: keyof typeof TABLE_SOURCE, observedAt: string) => {
    let i = monthStarts.length - 2;
    while (i > 0 && observedAt < monthStarts[i]!) i--;
    const id = runIds[TABLE_SOURCE[table]][i]!;
    runCounts.set(id, (runCounts.get(id) ?? 0) + 1);
    return id;
  };

  // Persons: first seen with the earliest relation or enforcement that names them.
  const firstSeen = new Map<string, string>();
  const see = (key: string, at: string) => {
    const known = firstSeen.get(key);
    if (known === undefined || at < known) firstSeen.set(key, at);
  };
  for (const bundle of portfolio.enterprises) {
    for (const relation of bundle.relations) if (relation.from.kind === 'PERSON') see(relation.from.personKey, relation.observedAt);
    for (const enforcement of bundle.enforcements) if (enforcement.personKey !== null) see(enforcement.personKey, enforcement.observedAt);
  }
  const personRows = new Rows('person', [
    ['id_hash', 'text'],
    ['masked_id_number', 'text'],
    ['name', 'text'],
    ['source', 'text'],
    ['observed_at', 'timestamptz'],
  ]);
  const hashOfKey = new Map<string, string>();
  for (const person of portfolio.persons) {
    const observedAt = firstSeen.get(person.key);
    if (observedAt === undefined) continue; // named by no fact: nothing to show it by
    const idHash = hashPersonId(options.personIdSalt, person.idNumber);
    hashOfKey.set(person.key, idHash);
    personRows.push([idHash, maskIdNumber(person.idNumber), person.name, 'registry', observedAt]);
  }
  const personIdOfHash = new Map<string, string>();
  for (const row of await flush<{ id: string; idHash: string }>(trx, personRows, rowsPerStatement, 'id, id_hash')) {
    personIdOfHash.set(row.idHash, String(row.id));
  }
  summary.person = personIdOfHash.size;
  const personId = (key: string) => {
    const id = personIdOfHash.get(hashOfKey.get(key) ?? '');
    if (id === undefined) throw new Error(`person ${key} is not in the portfolio's persons`);
    return id;
  };

  // Enterprises, all first: relations and invoices point at one another.
  const enterpriseRows = new Rows('enterprise', [
    ['uscc', 'text'],
    ['name', 'text'],
    ['legal_form', 'text'],
    ['industry_code', 'text'],
    ['region_code', 'text'],
    ['status', 'text'],
    ['established_on', 'date'],
    ['registered_capital_fen', 'bigint'],
    ['paid_in_capital_fen', 'bigint'],
    ...PROVENANCE_COLUMNS.filter(([name]) => name !== 'superseded_at'),
  ]);
  // Each enterprise's record as first seen; its later versions follow below.
  for (const bundle of portfolio.enterprises) {
    const record = bundle.recordVersions[0]!;
    enterpriseRows.push([
      record.uscc,
      record.name,
      record.legalForm,
      record.industryCode,
      record.regionCode,
      record.status,
      record.establishedOn,
      record.registeredCapitalFen,
      record.paidInCapitalFen,
      'registry',
      record.externalId,
      runFor('enterprise', record.observedAt),
      payloadHash(record),
      record.observedAt,
    ]);
  }
  const enterpriseIdOf = new Map<string, string>();
  for (const row of await flush<{ id: string; uscc: string }>(trx, enterpriseRows, rowsPerStatement, 'id, uscc')) {
    enterpriseIdOf.set(row.uscc, String(row.id));
  }
  summary.enterprise = enterpriseIdOf.size;
  summary.enterpriseVersion = summary.enterprise;
  // The record's later versions, one round of updates per version: the database keeps each
  // state it had (enterprise_version), observed when the registry showed it.
  for (let round = 1; ; round++) {
    const updates = portfolio.enterprises.flatMap((bundle) => (bundle.recordVersions[round] ? [{ id: enterpriseIdOf.get(bundle.uscc)!, record: bundle.recordVersions[round]! }] : []));
    if (updates.length === 0) break;
    summary.enterpriseVersion += updates.length;
    const column = <T>(pick: (record: EnterpriseRecord) => T) => updates.map(({ record }) => pick(record));
    await sql`
      UPDATE enterprise e SET name = v.name, status = v.status, registered_capital_fen = v.capital, paid_in_capital_fen = v.paid_in,
        sync_run_id = v.run, payload_hash = v.hash, observed_at = v.observed_at
      FROM unnest(${updates.map((update) => update.id)}::bigint[], ${column((r) => r.name)}::text[], ${column((r) => r.status)}::text[],
        ${column((r) => r.registeredCapitalFen)}::bigint[], ${column((r) => r.paidInCapitalFen)}::bigint[],
        ${column((r) => runFor('enterprise', r.observedAt))}::bigint[], ${column((r) => payloadHash(r))}::text[], ${column((r) => r.observedAt)}::timestamptz[])
        AS v(id, name, status, capital, paid_in, run, hash, observed_at)
      WHERE e.id = v.id`.execute(trx);
  }
  const enterpriseId = (uscc: string) => {
    const id = enterpriseIdOf.get(uscc);
    if (id === undefined) throw new Error(`enterprise ${uscc} is not in the portfolio`);
    return id;
  };

  const total = portfolio.enterprises.length;
  const resolvers: Resolvers = {
    enterpriseId,
    optionalEnterpriseId: (uscc) => enterpriseIdOf.get(uscc) ?? null,
    personId,
    runFor,
  };
  options.onProgress?.(0, total);
  // While one batch is being written, the next is prepared (hashes, rows): with a PostgreSQL
  // server the two overlap; with PGlite, in this thread, they simply alternate.
  let writing: Promise<void> | null = null;
  for (let start = 0; start < total; start += batchSize) {
    const tables = createFactTables();
    const end = Math.min(start + batchSize, total);
    for (let index = start; index < end; index++) {
      const bundle = portfolio.enterprises[index]!;
      addFacts(tables, bundle, enterpriseId(bundle.uscc), resolvers);
    }
    if (writing) await writing;
    writing = (async () => {
      for (const [name, rows] of Object.entries(tables) as [keyof typeof tables, Rows][]) {
        await flush(trx, rows, rowsPerStatement);
        summary[name] += rows.length;
      }
      options.onProgress?.(end, total);
    })();
  }
  if (writing) await writing;

  for (const source of SOURCES) {
    for (const [m, id] of runIds[source].entries()) {
      const count = runCounts.get(id) ?? 0;
      await trx
        .updateTable('syncRun')
        .set({ status: 'SUCCEEDED', finishedAt: monthStarts[m + 1]!, fetched: count, stored: count, duplicates: 0, quarantined: 0 })
        .where('id', '=', id)
        .execute();
    }
  }
  return summary;
}

function createFactTables() {
  return {
    relation: new Rows('relation', [
      ['from_person_id', 'bigint'],
      ['from_enterprise_id', 'bigint'],
      ['to_enterprise_id', 'bigint'],
      ['type', 'text'],
      ['share_ratio', 'numeric'],
      ['subscribed_capital_fen', 'bigint'],
      ['valid_from', 'date'],
      ['valid_to', 'date'],
      ...PROVENANCE_COLUMNS,
    ]),
    registryChange: new Rows('registry_change', [
      ['enterprise_id', 'bigint'],
      ['field', 'text'],
      ['before_value', 'text'],
      ['after_value', 'text'],
      ['changed_on', 'date'],
      ...PROVENANCE_COLUMNS,
    ]),
    abnormalOperation: new Rows('abnormal_operation', [
      ['enterprise_id', 'bigint'],
      ['reason', 'text'],
      ['listed_on', 'date'],
      ['listed_by', 'text'],
      ['removed_on', 'date'],
      ['removal_reason', 'text'],
      ...PROVENANCE_COLUMNS,
    ]),
    taxFiling: new Rows('tax_filing', [
      ['enterprise_id', 'bigint'],
      ['form_code', 'text'],
      ['tax_type', 'text'],
      ['period_start', 'date'],
      ['period_end', 'date'],
      ['declared_revenue_fen', 'bigint'],
      ['tax_payable_fen', 'bigint'],
      ['tax_paid_fen', 'bigint'],
      ['late_fee_fen', 'bigint'],
      ['filed_on', 'date'],
      ['late', 'boolean'],
      ['zero_filing', 'boolean'],
      ...PROVENANCE_COLUMNS,
    ]),
    taxRating: new Rows('tax_rating', [
      ['enterprise_id', 'bigint'],
      ['year', 'integer'],
      ['grade', 'text'],
      ['published_on', 'date'],
      ...PROVENANCE_COLUMNS,
    ]),
    taxArrears: new Rows('tax_arrears', [
      ['enterprise_id', 'bigint'],
      ['authority', 'text'],
      ['amount_fen', 'bigint'],
      ['since', 'date'],
      ['status', 'text'],
      ['settled_on', 'date'],
      ...PROVENANCE_COLUMNS,
    ]),
    courtCase: new Rows('court_case', [
      ['enterprise_id', 'bigint'],
      ['case_number', 'text'],
      ['court', 'text'],
      ['case_kind', 'text'],
      ['cause', 'text'],
      ['party_role', 'text'],
      ['amount_fen', 'bigint'],
      ['filed_on', 'date'],
      ['status', 'text'],
      ['judgment_on', 'date'],
      ...PROVENANCE_COLUMNS,
    ]),
    enforcement: new Rows('enforcement', [
      ['enterprise_id', 'bigint'],
      ['person_id', 'bigint'],
      ['case_number', 'text'],
      ['court', 'text'],
      ['amount_fen', 'bigint'],
      ['outstanding_fen', 'bigint'],
      ['filed_on', 'date'],
      ['status', 'text'],
      ['closed_on', 'date'],
      ['dishonest_debtor', 'boolean'],
      ['consumption_restriction', 'boolean'],
      ...PROVENANCE_COLUMNS,
    ]),
    utilityBill: new Rows('utility_bill', [
      ['enterprise_id', 'bigint'],
      ['utility', 'text'],
      ['account_number', 'text'],
      ['period', 'date'],
      ['consumption', 'numeric'],
      ['unit', 'text'],
      ['billed_fen', 'bigint'],
      ['paid_fen', 'bigint'],
      ['due_on', 'date'],
      ['paid_on', 'date'],
      ['days_overdue', 'integer'],
      ...PROVENANCE_COLUMNS,
    ]),
    invoice: new Rows('invoice', [
      ['invoice_code', 'text'],
      ['invoice_number', 'text'],
      ['kind', 'text'],
      ['issued_on', 'date'],
      ['seller_uscc', 'text'],
      ['buyer_uscc', 'text'],
      ['seller_enterprise_id', 'bigint'],
      ['buyer_enterprise_id', 'bigint'],
      ['net_amount_fen', 'bigint'],
      ['tax_fen', 'bigint'],
      ['status', 'text'],
      ['original_invoice_number', 'text'],
      ...PROVENANCE_COLUMNS,
    ]),
    socialInsuranceMonth: new Rows('social_insurance_month', [
      ['enterprise_id', 'bigint'],
      ['month', 'date'],
      ['insured_headcount', 'integer'],
      ['contributions_paid_fen', 'bigint'],
      ...PROVENANCE_COLUMNS,
    ]),
  } satisfies Partial<Record<keyof LoadSummary, Rows>>;
}

interface Resolvers {
  enterpriseId: (uscc: string) => string;
  optionalEnterpriseId: (uscc: string) => string | null;
  personId: (key: string) => string;
  runFor: (table: keyof typeof TABLE_SOURCE, observedAt: string) => string;
}

function addFacts(tables: ReturnType<typeof createFactTables>, bundle: EnterpriseBundle, id: string, resolve: Resolvers): void {
  /** Appends the provenance columns for each record of a list and the record's own columns. */
  const each = <T extends { externalId: string; observedAt: string }>(
    table: keyof ReturnType<typeof createFactTables>,
    records: readonly T[],
    columns: (record: T) => Cell[],
  ) => {
    const rows = tables[table];
    const superseded = supersededTimes(records);
    const source = TABLE_SOURCE[table];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      rows.push([...columns(record), source, record.externalId, resolve.runFor(table, record.observedAt), payloadHash(record), record.observedAt, superseded[i]!]);
    }
  };
  const from = (party: PartyRef): [string | null, string | null] =>
    party.kind === 'PERSON' ? [resolve.personId(party.personKey), null] : [null, resolve.enterpriseId(party.uscc)];

  each('relation', bundle.relations, (r) => [
    ...from(r.from),
    id,
    r.type,
    r.shareRatio,
    r.subscribedCapitalFen,
    r.validFrom,
    r.validTo,
  ]);
  each('registryChange', bundle.registryChanges, (c) => [id, c.field, c.before, c.after, c.changedOn]);
  each('abnormalOperation', bundle.abnormalOperations, (a) => [id, a.reason, a.listedOn, a.listedBy, a.removedOn, a.removalReason]);
  each('taxFiling', bundle.taxFilings, (f) => [
    id,
    f.formCode,
    f.taxType,
    f.periodStart,
    f.periodEnd,
    f.declaredRevenueFen,
    f.taxPayableFen,
    f.taxPaidFen,
    f.lateFeeFen,
    f.filedOn,
    f.late,
    f.zeroFiling,
  ]);
  each('taxRating', bundle.taxRatings, (r) => [id, r.year, r.grade, r.publishedOn]);
  each('taxArrears', bundle.taxArrears, (a) => [id, a.authority, a.amountFen, a.since, a.status, a.settledOn]);
  each('courtCase', bundle.courtCases, (c) => [
    id,
    c.caseNumber,
    c.court,
    c.caseKind,
    c.cause,
    c.partyRole,
    c.amountFen,
    c.filedOn,
    c.status,
    c.judgmentOn,
  ]);
  each('enforcement', bundle.enforcements, (e) => [
    e.personKey === null ? id : null,
    e.personKey === null ? null : resolve.personId(e.personKey),
    e.caseNumber,
    e.court,
    e.amountFen,
    e.outstandingFen,
    e.filedOn,
    e.status,
    e.closedOn,
    e.dishonestDebtor,
    e.consumptionRestriction,
  ]);
  each('utilityBill', bundle.utilityBills, (b) => [
    id,
    b.utility,
    b.accountNumber,
    b.period,
    b.consumption,
    b.unit,
    b.billedFen,
    b.paidFen,
    b.dueOn,
    b.paidOn,
    b.daysOverdue,
  ]);
  each('invoice', bundle.invoices, (i) => [
    i.invoiceCode,
    i.invoiceNumber,
    i.kind,
    i.issuedOn,
    i.sellerUscc,
    i.buyerUscc,
    id,
    resolve.optionalEnterpriseId(i.buyerUscc),
    i.netAmountFen,
    i.taxFen,
    i.status,
    i.originalInvoiceNumber,
  ]);
  each('socialInsuranceMonth', bundle.socialInsuranceMonths, (s) => [id, s.month, s.insuredHeadcount, s.contributionsPaidFen]);
}
