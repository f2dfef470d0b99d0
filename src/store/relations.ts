import { sql } from 'kysely';
import type { Db } from './database.js';
import type { EnterpriseRow, PersonRow, RelationRow } from './schema.js';

export type HolderRow = PersonRow | EnterpriseRow;
export type RelationWithHolder = RelationRow & { holder: HolderRow };

/**
 * Relations in force (current version, not ended) into the given enterprises, each with its
 * holder (person or enterprise) joined in: a list of shareholders with their holders costs
 * one statement. Bigint columns of the holder are cast to text inside the JSON, so nothing
 * passes through a float.
 */
export async function findRelationsToEnterprises(db: Db, enterpriseIds: readonly string[]): Promise<RelationWithHolder[]> {
  const result = await sql<RelationRow & { holderPerson: Record<string, unknown> | null; holderEnterprise: Record<string, unknown> | null }>`
    SELECT r.*,
      CASE WHEN p.id IS NOT NULL THEN to_jsonb(p) || jsonb_build_object('id', p.id::text) END AS holder_person,
      CASE WHEN e.id IS NOT NULL THEN to_jsonb(e) || jsonb_build_object(
        'id', e.id::text, 'sync_run_id', e.sync_run_id::text,
        'registered_capital_fen', e.registered_capital_fen::text, 'paid_in_capital_fen', e.paid_in_capital_fen::text) END AS holder_enterprise
    FROM relation r
    LEFT JOIN person p ON p.id = r.from_person_id
    LEFT JOIN enterprise e ON e.id = r.from_enterprise_id
    WHERE r.to_enterprise_id = any(${sql.val(enterpriseIds)}::bigint[])
      AND r.superseded_at IS NULL AND r.valid_to IS NULL
    ORDER BY r.share_ratio DESC NULLS LAST, r.id`.execute(db);
  return result.rows.map(({ holderPerson, holderEnterprise, ...relation }) => ({
    ...relation,
    holder: holderPerson
      ? ({ ...holderPerson, observedAt: new Date(holderPerson.observedAt as string) } as PersonRow)
      : ({ ...holderEnterprise, observedAt: new Date(holderEnterprise!.observedAt as string) } as EnterpriseRow),
  }));
}

export async function findRelationsFromPersons(db: Db, personIds: readonly string[]): Promise<RelationRow[]> {
  return db
    .selectFrom('relation')
    .selectAll()
    .where('supersededAt', 'is', null)
    .where('validTo', 'is', null)
    .where('fromPersonId', '=', sql<string>`any(${sql.val(personIds)}::bigint[])`)
    .orderBy('toEnterpriseId')
    .orderBy('type')
    .execute();
}

export async function findPersonsByIds(db: Db, ids: readonly string[]): Promise<PersonRow[]> {
  return db.selectFrom('person').selectAll().where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).execute();
}
