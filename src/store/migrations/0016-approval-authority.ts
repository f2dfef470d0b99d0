import { sql, type Kysely } from 'kysely';

/**
 * Approval authority. A decision to approve names the amount approved — at most what was applied
 * for — and the loan's line is that amount, never more: the model's recommended limit is advice.
 * Each approver role approves up to its authority for the product (configuration, kept with the
 * application as it stood when it was made, like the other thresholds); approving above the
 * model's limit takes the senior role, a reason and a comment. The store holds these rules too,
 * whatever path writes: an application's constraints and a loan's trigger.
 *
 * NOT VALID: applications decided before carry no approved amount (their loans may stand above
 * what was applied for, which is why this exists; a loan's line can still only go down).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE application ADD COLUMN approved_amount_fen bigint, ADD COLUMN senior_authority_fen bigint`.execute(db);
  await sql`ALTER TABLE application DROP CONSTRAINT senior_approval_above_threshold, DROP CONSTRAINT override_is_explained, DROP CONSTRAINT automatic_follows_model`.execute(db);
  for (const constraint of [
    sql`approved_within_applied CHECK (approved_amount_fen IS NULL OR (approved_amount_fen > 0 AND approved_amount_fen <= amount_fen))`,
    sql`approval_names_its_amount CHECK ((decision = 'APPROVE') = (approved_amount_fen IS NOT NULL))`,
    // senior_approval_fen is the APPROVER's authority; senior_authority_fen the SENIOR_APPROVER's.
    sql`approval_within_authority CHECK (decision_basis IS DISTINCT FROM 'MANUAL' OR decision = 'DECLINE'
      OR approved_amount_fen <= senior_approval_fen OR (decider_role = 'SENIOR_APPROVER' AND approved_amount_fen <= senior_authority_fen))`,
    sql`above_model_is_senior CHECK (decision_basis IS DISTINCT FROM 'MANUAL' OR decision = 'DECLINE' OR decider_role = 'SENIOR_APPROVER'
      OR (recommended_decision = 'APPROVE' AND recommended_limit_fen IS NOT NULL AND approved_amount_fen <= recommended_limit_fen))`,
    sql`override_is_explained CHECK (
      decision_basis IS DISTINCT FROM 'MANUAL'
      OR (reason_code IS NOT NULL AND decision_comment IS NOT NULL)
      OR NOT (
        (decision = 'APPROVE' AND (recommended_decision = 'DECLINE' OR recommended_limit_fen IS NULL OR approved_amount_fen > recommended_limit_fen))
        OR (decision = 'DECLINE' AND recommended_decision = 'APPROVE')))`,
    sql`automatic_follows_model CHECK (
      decision_basis IS DISTINCT FROM 'AUTOMATIC'
      OR (decision = 'DECLINE' AND recommended_decision = 'DECLINE')
      OR (decision = 'APPROVE' AND recommended_decision = 'APPROVE' AND recommended_limit_fen IS NOT NULL AND approved_amount_fen = amount_fen
          AND amount_fen <= auto_approve_max_fen AND amount_fen <= recommended_limit_fen))`,
  ]) {
    await sql`ALTER TABLE application ADD CONSTRAINT ${constraint} NOT VALID`.execute(db);
  }
  // What was applied for never changes, the senior approver's authority included; the approved
  // amount is set with the decision, which is final.
  await transitionFunction([...APPLIED, 'senior_authority_fen']).execute(db);

  // A loan's line is at most what its application approved; it may go down (a reduction), never up past that.
  await sql`
    CREATE FUNCTION loan_within_approval() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE approved bigint;
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.limit_fen <= OLD.limit_fen THEN
        RETURN NEW;
      END IF;
      SELECT approved_amount_fen INTO approved FROM application WHERE id = NEW.application_id;
      IF approved IS NULL OR NEW.limit_fen > approved THEN
        RAISE EXCEPTION 'loan of application %: a line of % fen is above the % fen approved', NEW.application_id, NEW.limit_fen, coalesce(approved::text, 'none')
          USING ERRCODE = 'check_violation', CONSTRAINT = 'line_within_approval';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER loan_within_approval BEFORE INSERT OR UPDATE OF limit_fen ON loan FOR EACH ROW EXECUTE FUNCTION loan_within_approval()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER loan_within_approval ON loan`.execute(db);
  await sql`DROP FUNCTION loan_within_approval()`.execute(db);
  await sql`
    ALTER TABLE application DROP CONSTRAINT approved_within_applied, DROP CONSTRAINT approval_names_its_amount, DROP CONSTRAINT approval_within_authority,
      DROP CONSTRAINT above_model_is_senior, DROP CONSTRAINT override_is_explained, DROP CONSTRAINT automatic_follows_model`.execute(db);
  await sql`
    ALTER TABLE application
      ADD CONSTRAINT senior_approval_above_threshold CHECK (
        decision_basis IS DISTINCT FROM 'MANUAL' OR amount_fen <= senior_approval_fen OR decider_role = 'SENIOR_APPROVER'),
      ADD CONSTRAINT override_is_explained CHECK (
        decision_basis IS DISTINCT FROM 'MANUAL'
        OR (reason_code IS NOT NULL AND decision_comment IS NOT NULL)
        OR NOT (
          (decision = 'APPROVE' AND (recommended_decision = 'DECLINE' OR recommended_limit_fen IS NULL OR amount_fen > recommended_limit_fen))
          OR (decision = 'DECLINE' AND recommended_decision = 'APPROVE'))),
      ADD CONSTRAINT automatic_follows_model CHECK (
        decision_basis IS DISTINCT FROM 'AUTOMATIC'
        OR (decision = 'DECLINE' AND recommended_decision = 'DECLINE')
        OR (decision = 'APPROVE' AND recommended_decision = 'APPROVE' AND recommended_limit_fen IS NOT NULL
            AND amount_fen <= auto_approve_max_fen AND amount_fen <= recommended_limit_fen))`.execute(db);
  await transitionFunction(APPLIED).execute(db);
  await sql`ALTER TABLE application DROP COLUMN approved_amount_fen, DROP COLUMN senior_authority_fen`.execute(db);
}

/** Migration 0006's transition trigger, with `applied` the columns that never change once made. */
const transitionFunction = (applied: readonly string[]) => sql`
    CREATE OR REPLACE FUNCTION application_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.state IN ('APPROVED', 'DECLINED', 'WITHDRAWN', 'EXPIRED') THEN
        RAISE EXCEPTION 'application % is % and final', OLD.id, OLD.state USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.state <> OLD.state AND (OLD.state, NEW.state) NOT IN (
        ('DRAFT', 'COLLECTING'), ('AWAITING_CONSENT', 'COLLECTING'), ('COLLECTING', 'AWAITING_CONSENT'),
        ('COLLECTING', 'ASSESSED'), ('ASSESSED', 'APPROVED'), ('ASSESSED', 'DECLINED'), ('ASSESSED', 'IN_REVIEW'),
        ('IN_REVIEW', 'APPROVED'), ('IN_REVIEW', 'DECLINED'),
        ('DRAFT', 'WITHDRAWN'), ('AWAITING_CONSENT', 'WITHDRAWN'), ('IN_REVIEW', 'WITHDRAWN'),
        ('DRAFT', 'EXPIRED'), ('AWAITING_CONSENT', 'EXPIRED'), ('IN_REVIEW', 'EXPIRED')
      ) THEN
        RAISE EXCEPTION 'application %: % to % is not a transition', OLD.id, OLD.state, NEW.state USING ERRCODE = 'check_violation';
      END IF;
      IF (${sql.raw(applied.map((column) => `NEW.${column}`).join(', '))})
         IS DISTINCT FROM (${sql.raw(applied.map((column) => `OLD.${column}`).join(', '))}) THEN
        RAISE EXCEPTION 'application %: what was applied for never changes', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      -- The first submitter stays the maker; the model's advice is set once, by the assessment.
      IF OLD.submitted_by IS NOT NULL AND NEW.submitted_by IS DISTINCT FROM OLD.submitted_by THEN
        RAISE EXCEPTION 'application %: the submitter never changes', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      IF (NEW.recommended_decision, NEW.recommended_limit_fen) IS DISTINCT FROM (OLD.recommended_decision, OLD.recommended_limit_fen)
         AND NOT (OLD.state = 'COLLECTING' AND NEW.state = 'ASSESSED') THEN
        RAISE EXCEPTION 'application %: the model''s advice is set by the assessment only', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      -- The rules decide automatically right after the assessment; approvers decide in review.
      IF NEW.decision IS NOT NULL AND NOT (
        (NEW.decision_basis = 'AUTOMATIC' AND OLD.state = 'ASSESSED') OR (NEW.decision_basis = 'MANUAL' AND OLD.state = 'IN_REVIEW')) THEN
        RAISE EXCEPTION 'application %: a % decision from %', OLD.id, NEW.decision_basis, OLD.state USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`;

const APPLIED = ['enterprise_id', 'product', 'amount_fen', 'term_months', 'created_by', 'created_at', 'auto_approve_max_fen', 'senior_approval_fen'];
