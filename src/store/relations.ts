import { sql, type RawBuilder } from 'kysely';
import type { Db } from './database.js';
import type { EnterpriseRow, PersonRow, RelationRow } from './schema.js';

export type HolderRow = PersonRow | EnterpriseRow;
export type RelationWithHolder = RelationRow & { holder: HolderRow };

/**
 * The relations in force (current version, not ended) into one enterprise, each with its
 * holder (person or enterprise), as one JSON array built in PostgreSQL: a profile with its
 * shareholders and their holders costs one statement. Bigint and numeric columns go into
 * the JSON as text, so nothing passes through a float. With `asOf`, those the hub knew in
 * force at that instant: the version visible then, begun by its day and not ended.
 */
export function relationsInto(enterpriseId: RawBuilder<unknown>, asOf?: Date) {
  const inForce = asOf
    ? sql`r.observed_at <= ${asOf} AND (r.superseded_at IS NULL OR r.superseded_at > ${asOf})
        AND (r.valid_from IS NULL OR r.valid_from <= ${asOf.toISOString().slice(0, 10)}::date) AND (r.valid_to IS NULL OR r.valid_to > ${asOf.toISOString().slice(0, 10)}::date)`
    : sql`r.superseded_at IS NULL AND r.valid_to IS NULL`;
  return sql<RelationJson[]>`(
    SELECT coalesce(jsonb_agg(jsonb_build_object(
      'id', r.id::text, 'from_person_id', r.from_person_id::text, 'from_enterprise_id', r.from_enterprise_id::text,
      'to_enterprise_id', r.to_enterprise_id::text, 'type', r.type, 'share_ratio', r.share_ratio::text,
      'subscribed_capital_fen', r.subscribed_capital_fen::text, 'valid_from', r.valid_from, 'valid_to', r.valid_to,
      'source', r.source, 'external_id', r.external_id, 'sync_run_id', r.sync_run_id::text,
      'payload_hash', r.payload_hash, 'observed_at', r.observed_at, 'superseded_at', r.superseded_at,
      'holder', CASE WHEN p.id IS NOT NULL
        THEN to_jsonb(p) || jsonb_build_object('id', p.id::text)
        ELSE to_jsonb(h) || jsonb_build_object('id', h.id::text, 'sync_run_id', h.sync_run_id::text,
          'registered_capital_fen', h.registered_capital_fen::text, 'paid_in_capital_fen', h.paid_in_capital_fen::text)
        END
    ) ORDER BY r.share_ratio DESC NULLS LAST, r.id), '[]'::jsonb)
    FROM relation r
    LEFT JOIN person p ON p.id = r.from_person_id
    LEFT JOIN enterprise h ON h.id = r.from_enterprise_id
    WHERE r.to_enterprise_id = ${enterpriseId} AND ${inForce}
  )`;
}

/** A relation as `relationsInto` builds it, keys already camelCased by the store's plugin. */
type RelationJson = Omit<RelationWithHolder, 'observedAt' | 'supersededAt' | 'holder'> & {
  observedAt: string;
  supersededAt: string | null;
  holder: Record<string, unknown> & { observedAt: string };
};

export function parseRelations(relations: RelationJson[]): RelationWithHolder[] {
  return relations.map((relation) => ({
    ...relation,
    observedAt: new Date(relation.observedAt),
    supersededAt: relation.supersededAt === null ? null : new Date(relation.supersededAt),
    holder: { ...relation.holder, observedAt: new Date(relation.holder.observedAt) } as unknown as HolderRow,
  }));
}

export async function findRelationsToEnterprises(db: Db, enterpriseIds: readonly string[], asOf?: Date): Promise<RelationWithHolder[]> {
  const result = await sql<{ relations: RelationJson[] }>`
    SELECT ${relationsInto(sql`target.id`, asOf)} AS relations
    FROM unnest(${sql.val(enterpriseIds)}::bigint[]) AS target (id)`.execute(db);
  return result.rows.flatMap((row) => parseRelations(row.relations));
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

/** Each enterprise's natural persons' names, of every relation it ever had (superseded ones too). */
export async function findPersonNamesOfEnterprises(db: Db, enterpriseIds: readonly string[]): Promise<{ enterpriseId: string; name: string }[]> {
  return db
    .selectFrom('relation')
    .innerJoin('person', 'person.id', 'relation.fromPersonId')
    .select(['relation.toEnterpriseId as enterpriseId', 'person.name'])
    .distinct()
    .where('relation.toEnterpriseId', 'in', enterpriseIds)
    .execute();
}
