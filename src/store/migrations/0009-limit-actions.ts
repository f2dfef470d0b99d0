import { sql, type Kysely } from 'kysely';

/**
 * Limit actions on a loan, under maker-checker: one user proposes freezing, reducing or
 * unfreezing a line, another decides. The rules hold in the store whatever path writes: the
 * checker is never the maker, a loan has at most one proposal pending, a decided action is final,
 * and a reduction names a positive limit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE limit_action (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      loan_id bigint NOT NULL REFERENCES loan (id),
      kind text NOT NULL CHECK (kind IN ('FREEZE', 'REDUCE', 'UNFREEZE')),
      new_limit_fen bigint CHECK (new_limit_fen > 0),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      alert_id bigint REFERENCES alert (id),
      proposed_by text NOT NULL,
      proposed_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      CONSTRAINT reduce_names_limit CHECK ((kind = 'REDUCE') = (new_limit_fen IS NOT NULL)),
      CONSTRAINT decided_fully CHECK ((status = 'PROPOSED') = (decided_at IS NULL) AND (status IN ('PROPOSED', 'WITHDRAWN')) = (decided_by IS NULL)),
      CONSTRAINT checker_is_not_maker CHECK (decided_by IS DISTINCT FROM proposed_by)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX limit_action_one_pending ON limit_action (loan_id) WHERE status = 'PROPOSED'`.execute(db);
  await sql`CREATE INDEX limit_action_status ON limit_action (status, id)`.execute(db);
  await sql`
    CREATE FUNCTION limit_action_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status <> 'PROPOSED' THEN
        RAISE EXCEPTION 'limit action %: % is final', OLD.id, OLD.status USING ERRCODE = 'check_violation';
      END IF;
      IF (NEW.loan_id, NEW.kind, NEW.new_limit_fen, NEW.reason, NEW.alert_id, NEW.proposed_by, NEW.proposed_at)
         IS DISTINCT FROM (OLD.loan_id, OLD.kind, OLD.new_limit_fen, OLD.reason, OLD.alert_id, OLD.proposed_by, OLD.proposed_at) THEN
        RAISE EXCEPTION 'limit action %: what was proposed never changes', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER limit_action_final BEFORE UPDATE ON limit_action FOR EACH ROW EXECUTE FUNCTION limit_action_final()`.execute(db);
  await sql`CREATE TRIGGER limit_action_no_delete BEFORE DELETE ON limit_action FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE limit_action`.execute(db);
  await sql`DROP FUNCTION limit_action_final()`.execute(db);
}
