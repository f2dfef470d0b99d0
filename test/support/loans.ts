import type { Db } from '../../src/store/database.js';

/**
 * A loan book as origination leaves it: for each enterprise an application approved in review
 * at `now` (the test's clock) for the line, and an ACTIVE loan on it, by default 500,000.00
 * drawn of 500,000.00.
 */
export async function bookLoans(db: Db, enterpriseIds: readonly string[], { amountFen = 50_000_000n, limitFen = amountFen, now }: { amountFen?: bigint; limitFen?: bigint; now: Date }): Promise<void> {
  for (const enterpriseId of enterpriseIds) {
    const application = await db
      .insertInto('application')
      .values({
        enterpriseId,
        product: 'invoice-loan',
        amountFen: limitFen,
        termMonths: 12,
        state: 'APPROVED',
        autoApproveMaxFen: 20_000_000n,
        seniorApprovalFen: 80_000_000n,
        seniorAuthorityFen: 200_000_000n,
        createdBy: 'seed-analyst',
        createdAt: now,
        submittedBy: 'seed-analyst',
        submittedAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        recommendedDecision: 'APPROVE',
        recommendedLimitFen: limitFen,
        decision: 'APPROVE',
        decisionBasis: 'MANUAL',
        decidedBy: 'seed-approver',
        deciderRole: limitFen > 80_000_000n ? 'SENIOR_APPROVER' : 'APPROVER',
        decidedAt: now,
        approvedAmountFen: limitFen,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('loan')
      .values({ applicationId: application.id, enterpriseId, product: 'invoice-loan', amountFen, limitFen, termMonths: 12, rateBps: 450, openedAt: new Date('2026-06-01T00:00:00Z'), maturesOn: '2027-06-01' })
      .execute();
  }
}
