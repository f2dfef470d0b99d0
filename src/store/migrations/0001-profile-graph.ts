import { sql, type Kysely } from 'kysely';

/**
 * The enterprise profile graph. Every fact carries provenance (source, external id, sync run,
 * payload hash) and two times: the period it describes and when the hub observed it. A fact
 * whose upstream record changes is not overwritten: the old version gets `superseded_at`, so
 * "as of T" reads (observed_at <= T < superseded_at) reproduce what the hub knew at T.
 */
const provenance = sql.raw(`
  source text NOT NULL,
  external_id text NOT NULL,
  sync_run_id bigint REFERENCES sync_run (id),
  payload_hash text NOT NULL,
  observed_at timestamptz NOT NULL,
  superseded_at timestamptz,
  CHECK (superseded_at IS NULL OR superseded_at >= observed_at)`);

function currentVersionIndex(table: string) {
  return sql.raw(
    `CREATE UNIQUE INDEX ${table}_current_version ON ${table} (source, external_id) WHERE superseded_at IS NULL`,
  );
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE sync_run (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text NOT NULL,
      enterprise_id bigint,
      status text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'REFUSED')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      fetched integer NOT NULL DEFAULT 0,
      stored integer NOT NULL DEFAULT 0,
      duplicates integer NOT NULL DEFAULT 0,
      quarantined integer NOT NULL DEFAULT 0,
      error text
    )`.execute(db);

  await sql`
    CREATE TABLE enterprise (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      uscc text NOT NULL UNIQUE CHECK (length(uscc) = 18),
      name text NOT NULL,
      legal_form text,
      industry_code text,
      region_code text NOT NULL,
      status text NOT NULL CHECK (status IN ('ACTIVE', 'ABNORMAL_OPERATIONS', 'LIQUIDATING', 'REVOKED', 'CANCELLED')),
      established_on date,
      registered_capital_fen bigint,
      registered_capital_currency text NOT NULL DEFAULT 'CNY',
      paid_in_capital_fen bigint,
      ${provenance}
    )`.execute(db);
  await sql`ALTER TABLE sync_run ADD FOREIGN KEY (enterprise_id) REFERENCES enterprise (id)`.execute(db);
  await sql`CREATE INDEX sync_run_enterprise_source ON sync_run (enterprise_id, source, started_at DESC)`.execute(db);
  await sql`CREATE INDEX enterprise_region_prefix ON enterprise (region_code text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX enterprise_industry_prefix ON enterprise (industry_code text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX enterprise_status ON enterprise (status)`.execute(db);
  await sql`CREATE INDEX enterprise_name_trigram ON enterprise USING gin (name gin_trgm_ops)`.execute(db);

  await sql`
    CREATE TABLE person (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id_hash text NOT NULL UNIQUE,
      masked_id_number text NOT NULL,
      name text NOT NULL,
      source text NOT NULL,
      observed_at timestamptz NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE relation (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      from_person_id bigint REFERENCES person (id),
      from_enterprise_id bigint REFERENCES enterprise (id),
      to_enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      type text NOT NULL CHECK (type IN ('SHAREHOLDER', 'LEGAL_REPRESENTATIVE', 'EXECUTIVE', 'GUARANTOR')),
      share_ratio numeric(9, 8) CHECK (share_ratio > 0 AND share_ratio <= 1),
      subscribed_capital_fen bigint,
      valid_from date,
      valid_to date,
      ${provenance},
      CHECK (num_nonnulls(from_person_id, from_enterprise_id) = 1),
      CHECK (from_enterprise_id IS DISTINCT FROM to_enterprise_id)
    )`.execute(db);
  await currentVersionIndex('relation').execute(db);
  await sql`CREATE INDEX relation_to ON relation (to_enterprise_id) WHERE superseded_at IS NULL`.execute(db);
  await sql`CREATE INDEX relation_from_person ON relation (from_person_id) WHERE superseded_at IS NULL`.execute(db);
  await sql`CREATE INDEX relation_from_enterprise ON relation (from_enterprise_id) WHERE superseded_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE registry_change (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      field text NOT NULL CHECK (field IN ('LEGAL_REPRESENTATIVE', 'SHAREHOLDER', 'NAME', 'ADDRESS', 'SCOPE', 'CAPITAL', 'STATUS')),
      before_value text,
      after_value text,
      changed_on date NOT NULL,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('registry_change').execute(db);
  await sql`CREATE INDEX registry_change_enterprise ON registry_change (enterprise_id, changed_on)`.execute(db);

  await sql`
    CREATE TABLE abnormal_operation (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      reason text NOT NULL,
      listed_on date NOT NULL,
      listed_by text,
      removed_on date,
      removal_reason text,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('abnormal_operation').execute(db);
  await sql`CREATE INDEX abnormal_operation_enterprise ON abnormal_operation (enterprise_id, listed_on)`.execute(db);

  await sql`
    CREATE TABLE tax_filing (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      form_code text NOT NULL,
      tax_type text NOT NULL CHECK (tax_type IN ('VAT', 'CORPORATE_INCOME')),
      period_start date NOT NULL,
      period_end date NOT NULL CHECK (period_end >= period_start),
      declared_revenue_fen bigint NOT NULL,
      tax_payable_fen bigint NOT NULL,
      tax_paid_fen bigint NOT NULL,
      late_fee_fen bigint NOT NULL DEFAULT 0,
      filed_on date,
      late boolean NOT NULL,
      zero_filing boolean NOT NULL,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('tax_filing').execute(db);
  await sql`CREATE INDEX tax_filing_enterprise_period ON tax_filing (enterprise_id, period_end)`.execute(db);

  await sql`
    CREATE TABLE tax_rating (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      year integer NOT NULL,
      grade text NOT NULL CHECK (grade IN ('A', 'B', 'M', 'C', 'D')),
      published_on date NOT NULL,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('tax_rating').execute(db);
  await sql`CREATE INDEX tax_rating_enterprise_year ON tax_rating (enterprise_id, year)`.execute(db);

  await sql`
    CREATE TABLE tax_arrears (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      authority text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      since date NOT NULL,
      status text NOT NULL CHECK (status IN ('OUTSTANDING', 'SETTLED')),
      settled_on date,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('tax_arrears').execute(db);
  await sql`CREATE INDEX tax_arrears_enterprise ON tax_arrears (enterprise_id, since)`.execute(db);

  await sql`
    CREATE TABLE court_case (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      case_number text NOT NULL,
      court text NOT NULL,
      case_kind text NOT NULL CHECK (case_kind IN ('CIVIL', 'ADMINISTRATIVE', 'CRIMINAL', 'ENFORCEMENT', 'PRESERVATION', 'BANKRUPTCY')),
      cause text NOT NULL,
      party_role text NOT NULL CHECK (party_role IN ('PLAINTIFF', 'DEFENDANT', 'THIRD_PARTY')),
      amount_fen bigint,
      filed_on date NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
      judgment_on date,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('court_case').execute(db);
  await sql`CREATE INDEX court_case_enterprise ON court_case (enterprise_id, filed_on)`.execute(db);

  await sql`
    CREATE TABLE enforcement (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint REFERENCES enterprise (id),
      person_id bigint REFERENCES person (id),
      case_number text NOT NULL,
      court text NOT NULL,
      amount_fen bigint NOT NULL,
      outstanding_fen bigint NOT NULL,
      filed_on date NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
      closed_on date,
      dishonest_debtor boolean NOT NULL,
      consumption_restriction boolean NOT NULL,
      ${provenance},
      CHECK (num_nonnulls(enterprise_id, person_id) = 1)
    )`.execute(db);
  await currentVersionIndex('enforcement').execute(db);
  await sql`CREATE INDEX enforcement_enterprise ON enforcement (enterprise_id, filed_on)`.execute(db);
  await sql`CREATE INDEX enforcement_person ON enforcement (person_id, filed_on)`.execute(db);

  await sql`
    CREATE TABLE utility_bill (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      utility text NOT NULL CHECK (utility IN ('ELECTRICITY', 'WATER', 'GAS')),
      account_number text NOT NULL,
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      consumption numeric(14, 3) NOT NULL,
      unit text NOT NULL,
      billed_fen bigint NOT NULL,
      paid_fen bigint NOT NULL,
      due_on date NOT NULL,
      paid_on date,
      days_overdue integer NOT NULL CHECK (days_overdue >= 0),
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('utility_bill').execute(db);
  await sql`CREATE INDEX utility_bill_enterprise_period ON utility_bill (enterprise_id, period)`.execute(db);

  await sql`
    CREATE TABLE invoice (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      invoice_code text NOT NULL,
      invoice_number text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('SPECIAL', 'NORMAL', 'DIGITAL')),
      issued_on date NOT NULL,
      seller_uscc text NOT NULL,
      buyer_uscc text NOT NULL,
      seller_enterprise_id bigint REFERENCES enterprise (id),
      buyer_enterprise_id bigint REFERENCES enterprise (id),
      net_amount_fen bigint NOT NULL,
      tax_fen bigint NOT NULL,
      status text NOT NULL CHECK (status IN ('NORMAL', 'VOID', 'RED_LETTER')),
      original_invoice_number text,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('invoice').execute(db);
  await sql`CREATE INDEX invoice_seller ON invoice (seller_enterprise_id, issued_on) WHERE superseded_at IS NULL`.execute(db);
  await sql`CREATE INDEX invoice_buyer ON invoice (buyer_enterprise_id, issued_on) WHERE superseded_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE social_insurance_month (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      insured_headcount integer NOT NULL CHECK (insured_headcount >= 0),
      contributions_paid_fen bigint NOT NULL,
      ${provenance}
    )`.execute(db);
  await currentVersionIndex('social_insurance_month').execute(db);
  await sql`CREATE INDEX social_insurance_enterprise_month ON social_insurance_month (enterprise_id, month)`.execute(db);

  await sql`
    CREATE TABLE consent (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
      purpose text NOT NULL,
      evidence_ref text NOT NULL,
      granted_by text NOT NULL,
      granted_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_by text,
      CHECK (expires_at > granted_at)
    )`.execute(db);
  await sql`CREATE INDEX consent_enterprise ON consent (enterprise_id, expires_at)`.execute(db);

  await sql`
    CREATE TABLE raw_payload (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text NOT NULL,
      payload_hash text NOT NULL,
      payload jsonb NOT NULL,
      first_sync_run_id bigint REFERENCES sync_run (id),
      received_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source, payload_hash)
    )`.execute(db);

  await sql`
    CREATE TABLE quarantined_record (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text NOT NULL,
      sync_run_id bigint REFERENCES sync_run (id),
      enterprise_id bigint REFERENCES enterprise (id),
      external_id text,
      payload_hash text NOT NULL,
      payload jsonb,
      raw_text text,
      errors jsonb NOT NULL,
      quarantined_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX quarantined_record_source ON quarantined_record (source, quarantined_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'quarantined_record', 'raw_payload', 'consent', 'social_insurance_month', 'invoice', 'utility_bill',
    'enforcement', 'court_case', 'tax_arrears', 'tax_rating', 'tax_filing', 'abnormal_operation',
    'registry_change', 'relation', 'person',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
  await sql`ALTER TABLE sync_run DROP COLUMN enterprise_id`.execute(db);
  await sql`DROP TABLE enterprise`.execute(db);
  await sql`DROP TABLE sync_run`.execute(db);
}
