import type { Clock } from '../common/clock.js';
import { sql } from 'kysely';
import { GRADES, type Grade } from '../risk/config.js';
import type { RiskService } from '../risk/service.js';
import type { Db } from '../store/database.js';
import { loadProfilesAsOf } from '../store/profiles-as-of.js';
import type { SignalSeverity } from './signals.js';

/** A live loan with what the book is sliced by. */
export interface BookLoan {
  id: string;
  enterpriseId: string;
  product: string;
  limitFen: bigint;
  openedAt: Date;
  industryCode: string | null;
  regionCode: string;
}

export type GradeOrUnrated = Grade | 'UNRATED';

export interface Slice {
  key: string;
  loans: number;
  enterprises: number;
  exposureFen: bigint;
}

export interface PortfolioModel {
  asOf: Date;
  book: BookLoan[];
  /** Each loan's grade for its product as of `asOf`. */
  grades: Map<string, GradeOrUnrated>;
  openAlerts: { severity: SignalSeverity; count: number }[];
}

export interface Migration {
  from: GradeOrUnrated;
  to: GradeOrUnrated;
  loans: number;
  exposureFen: bigint;
}

/** Enterprises whose profiles are read together. */
const BATCH = 500;
const ORDER: readonly GradeOrUnrated[] = [...GRADES, 'UNRATED'];

/** The live book (ACTIVE and FROZEN loans) sliced by grade, industry and region, and how its grades moved. */
export class PortfolioService {
  constructor(
    private readonly db: Db,
    private readonly risk: RiskService,
    private readonly now: Clock,
  ) {}

  async snapshot(): Promise<PortfolioModel> {
    const asOf = this.now();
    const book = await this.book();
    const [grades, alerts] = await Promise.all([
      this.gradesAsOf(book, asOf),
      this.db
        .selectFrom('alert')
        .select(['severity', sql<string>`count(*)`.as('count')])
        .where('status', 'in', ['OPEN', 'ACKNOWLEDGED', 'ESCALATED'])
        .groupBy('severity')
        .execute(),
    ]);
    const counts = new Map(alerts.map((row) => [row.severity, Number(row.count)]));
    return { asOf, book, grades, openAlerts: (['CRITICAL', 'WARNING', 'INFO'] as const).map((severity) => ({ severity, count: counts.get(severity) ?? 0 })) };
  }

  /** Loans of today's book open on `from`, counted by their grade then and on `to`. */
  async migration(book: readonly BookLoan[], from: Date, to: Date): Promise<Migration[]> {
    const held = book.filter((loan) => loan.openedAt.getTime() <= from.getTime());
    const [before, after] = [await this.gradesAsOf(held, from), await this.gradesAsOf(held, to)];
    const cells = new Map<string, Migration>();
    for (const loan of held) {
      const cell = { from: before.get(loan.id)!, to: after.get(loan.id)! };
      const key = `${cell.from}>${cell.to}`;
      const existing = cells.get(key) ?? { ...cell, loans: 0, exposureFen: 0n };
      existing.loans++;
      existing.exposureFen += loan.limitFen;
      cells.set(key, existing);
    }
    return [...cells.values()].sort((a, b) => ORDER.indexOf(a.from) - ORDER.indexOf(b.from) || ORDER.indexOf(a.to) - ORDER.indexOf(b.to));
  }

  private async book(): Promise<BookLoan[]> {
    const rows = await this.db
      .selectFrom('loan')
      .innerJoin('enterprise', 'enterprise.id', 'loan.enterpriseId')
      .select(['loan.id', 'loan.enterpriseId', 'loan.product', 'loan.limitFen', 'loan.openedAt', 'enterprise.industryCode', 'enterprise.regionCode'])
      .where('loan.status', 'in', ['ACTIVE', 'FROZEN'])
      .orderBy('loan.id')
      .execute();
    return rows.map((row) => ({ ...row, limitFen: BigInt(row.limitFen) }));
  }

  /** Each loan's grade for its own product as of T; UNRATED where the store holds no profile or the product is no longer offered. */
  private async gradesAsOf(book: readonly BookLoan[], asOf: Date): Promise<Map<string, GradeOrUnrated>> {
    const grades = new Map<string, GradeOrUnrated>();
    const enterpriseIds = [...new Set(book.map((loan) => loan.enterpriseId))];
    for (let start = 0; start < enterpriseIds.length; start += BATCH) {
      const batch = new Set(enterpriseIds.slice(start, start + BATCH));
      const profiles = await loadProfilesAsOf(this.db, [...batch], asOf);
      for (const loan of book) {
        if (!batch.has(loan.enterpriseId)) continue;
        const profile = profiles.get(loan.enterpriseId);
        const product = this.risk.products.find((candidate) => candidate.id === loan.product);
        grades.set(loan.id, profile && product ? this.risk.assess(profile, product).grade : 'UNRATED');
      }
    }
    return grades;
  }
}

/** Loans and exposure by a key of each loan, in the order `order` gives (else by exposure, largest first). */
export function slices(model: PortfolioModel, keyOf: (loan: BookLoan) => string, order?: readonly string[]): Slice[] {
  const byKey = new Map<string, Slice & { members: Set<string> }>();
  for (const loan of model.book) {
    const key = keyOf(loan);
    const slice = byKey.get(key) ?? { key, loans: 0, enterprises: 0, exposureFen: 0n, members: new Set<string>() };
    slice.loans++;
    slice.exposureFen += loan.limitFen;
    slice.members.add(loan.enterpriseId);
    byKey.set(key, slice);
  }
  const result = [...byKey.values()].map(({ members, ...slice }) => ({ ...slice, enterprises: members.size }));
  return order
    ? result.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))
    : result.sort((a, b) => (a.exposureFen === b.exposureFen ? a.key.localeCompare(b.key) : a.exposureFen > b.exposureFen ? -1 : 1));
}

export const GRADE_ORDER = ORDER;
