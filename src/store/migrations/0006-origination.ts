import { sql, type Kysely } from 'kysely';

/**
 * Origination: the audit trail, applications with their frozen assessments, and the loan book.
 * The rules that must hold whatever path writes a row live here as constraints and triggers,
 * so a bug, a script or a hand-typed statement cannot skip them: the audit trail and the
 * assessments are append-only, an application moves only along the state machine and is
 * final once decided, and a manual decision satisfies maker-checker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);

  await sql`
    CREATE TABLE audit_event (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      roles text[] NOT NULL,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text,
      enterprise_id bigint REFERENCES enterprise (id),
      purpose text,
      before jsonb,
      after jsonb,
      request_id text
    )`.execute(db);
  await sql`CREATE INDEX audit_event_subject ON audit_event (subject_type, subject_id, id)`.execute(db);
  await sql`CREATE INDEX audit_event_actor ON audit_event (actor, id)`.execute(db);
  await sql`CREATE INDEX audit_event_enterprise ON audit_event (enterprise_id, id) WHERE enterprise_id IS NOT NULL`.execute(db);
  await appendOnly(db, 'audit_event');

  await sql`
    CREATE TABLE application (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      product text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      term_months integer NOT NULL CHECK (term_months > 0),
      state text NOT NULL DEFAULT 'DRAFT' CHECK (state IN
        ('DRAFT', 'AWAITING_CONSENT', 'COLLECTING', 'ASSESSED', 'IN_REVIEW', 'APPROVED', 'DECLINED', 'WITHDRAWN', 'EXPIRED')),
      -- The product's thresholds when the application was made: configuration may change later.
      auto_approve_max_fen bigint NOT NULL,
      senior_approval_fen bigint NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      submitted_by text,
      submitted_at timestamptz,
      assignee text,
      expires_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- Optimistic locking: every change names the version it read.
      version integer NOT NULL DEFAULT 0,
      -- Copied from the frozen assessment, so the constraints below can see the model's advice.
      recommended_decision text CHECK (recommended_decision IN ('APPROVE', 'REVIEW', 'DECLINE')),
      recommended_limit_fen bigint,
      decision text CHECK (decision IN ('APPROVE', 'DECLINE')),
      decision_basis text CHECK (decision_basis IN ('AUTOMATIC', 'MANUAL')),
      decided_by text,
      decider_role text,
      decided_at timestamptz,
      reason_code text,
      decision_comment text,
      CONSTRAINT decided_means_final CHECK ((decision IS NOT NULL) = (state IN ('APPROVED', 'DECLINED'))),
      CONSTRAINT decision_matches_state CHECK (decision IS NULL OR (decision = 'APPROVE') = (state = 'APPROVED')),
      CONSTRAINT decision_is_complete CHECK (decision IS NULL OR (decision_basis IS NOT NULL AND decided_by IS NOT NULL AND decided_at IS NOT NULL AND recommended_decision IS NOT NULL)),
      CONSTRAINT maker_is_not_checker CHECK (decision_basis IS DISTINCT FROM 'MANUAL' OR (decided_by <> created_by AND decided_by <> submitted_by)),
      CONSTRAINT checker_has_approver_role CHECK (decision_basis IS DISTINCT FROM 'MANUAL' OR decider_role IN ('APPROVER', 'SENIOR_APPROVER')),
      CONSTRAINT senior_approval_above_threshold CHECK (
        decision_basis IS DISTINCT FROM 'MANUAL' OR amount_fen <= senior_approval_fen OR decider_role = 'SENIOR_APPROVER'),
      CONSTRAINT decline_has_reason CHECK (decision IS DISTINCT FROM 'DECLINE' OR reason_code IS NOT NULL),
      CONSTRAINT override_is_explained CHECK (
        decision_basis IS DISTINCT FROM 'MANUAL'
        OR (reason_code IS NOT NULL AND decision_comment IS NOT NULL)
        OR NOT (
          (decision = 'APPROVE' AND (recommended_decision = 'DECLINE' OR recommended_limit_fen IS NULL OR amount_fen > recommended_limit_fen))
          OR (decision = 'DECLINE' AND recommended_decision = 'APPROVE'))),
      CONSTRAINT automatic_follows_model CHECK (
        decision_basis IS DISTINCT FROM 'AUTOMATIC'
        OR (decision = 'DECLINE' AND recommended_decision = 'DECLINE')
        OR (decision = 'APPROVE' AND recommended_decision = 'APPROVE' AND recommended_limit_fen IS NOT NULL
            AND amount_fen <= auto_approve_max_fen AND amount_fen <= recommended_limit_fen)),
      CONSTRAINT automatic_is_the_system CHECK (decision_basis IS DISTINCT FROM 'AUTOMATIC' OR (decided_by = 'system' AND decider_role IS NULL)),
      CONSTRAINT submitted_has_submitter CHECK (state IN ('DRAFT', 'WITHDRAWN', 'EXPIRED') OR submitted_by IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX application_state ON application (state, id)`.execute(db);
  await sql`CREATE INDEX application_enterprise ON application (enterprise_id, id)`.execute(db);
  await sql`CREATE INDEX application_assignee ON application (assignee, id) WHERE assignee IS NOT NULL`.execute(db);
  await sql`CREATE INDEX application_open_expiry ON application (expires_at) WHERE state IN ('DRAFT', 'AWAITING_CONSENT', 'IN_REVIEW')`.execute(db);
  await sql`
    CREATE FUNCTION application_transition() RETURNS trigger LANGUAGE plpgsql AS $$
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
      IF (NEW.enterprise_id, NEW.product, NEW.amount_fen, NEW.term_months, NEW.created_by, NEW.created_at, NEW.auto_approve_max_fen, NEW.senior_approval_fen)
         IS DISTINCT FROM (OLD.enterprise_id, OLD.product, OLD.amount_fen, OLD.term_months, OLD.created_by, OLD.created_at, OLD.auto_approve_max_fen, OLD.senior_approval_fen) THEN
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
    END $$`.execute(db);
  await sql`CREATE TRIGGER application_transition BEFORE UPDATE ON application FOR EACH ROW EXECUTE FUNCTION application_transition()`.execute(db);
  await sql`CREATE TRIGGER application_no_delete BEFORE DELETE ON application FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);

  await sql`
    CREATE TABLE application_assessment (
      application_id bigint PRIMARY KEY REFERENCES application (id),
      assessed_at timestamptz NOT NULL DEFAULT now(),
      model_id text NOT NULL,
      model_version text NOT NULL,
      score integer NOT NULL,
      grade text NOT NULL,
      decision text NOT NULL,
      -- The whole risk view as it was: features, rule hits, reason codes, limit, product terms.
      snapshot jsonb NOT NULL,
      sync_run_ids bigint[] NOT NULL
    )`.execute(db);
  await appendOnly(db, 'application_assessment');

  await sql`
    CREATE TABLE loan (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id bigint NOT NULL UNIQUE REFERENCES application (id),
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      product text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      limit_fen bigint NOT NULL CHECK (limit_fen >= amount_fen),
      term_months integer NOT NULL,
      rate_bps integer,
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FROZEN', 'CLOSED')),
      opened_at timestamptz NOT NULL,
      matures_on date NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX loan_enterprise ON loan (enterprise_id)`.execute(db);
}

async function appendOnly(db: Kysely<unknown>, table: string) {
  await sql.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`).execute(db);
  await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['loan', 'application_assessment', 'application', 'audit_event']) await sql.raw(`DROP TABLE ${table}`).execute(db);
  await sql`DROP FUNCTION application_transition()`.execute(db);
  await sql`DROP FUNCTION refuse_change()`.execute(db);
}
