import { sql } from 'kysely';
import type { Db } from './database.js';
import type { EnterpriseRow } from './schema.js';

export type RelationHopKind =
  | 'SHARED_SHAREHOLDER'
  | 'SHARED_LEGAL_REPRESENTATIVE'
  | 'SHARED_PERSON'
  | 'HOLDS_SHARES_IN'
  | 'SHARES_HELD_BY';

export interface RelationHopRow {
  from: string;
  to: string;
  kind: RelationHopKind;
  personId: string | null;
  enterpriseId: string | null;
}

export interface RelatedEnterpriseRow {
  rootId: string;
  distance: number;
  via: RelationHopRow[];
  enterprise: EnterpriseRow;
}

/**
 * Enterprises within `depth` hops of each root, by one recursive query. A hop joins two
 * enterprises that share a shareholder or legal representative (a person or an enterprise),
 * or where one holds shares in the other; only relations in force count. Each related
 * enterprise is reported once, at its shortest distance, with one shortest path (the
 * lexically first, so the answer is stable); with `asOf`, the relations the hub knew in force at
 * that instant. Paths never revisit an enterprise; on a graph
 * with very dense hubs the number of paths grows with degree^depth, which is why depth stops at 3.
 */
export async function findRelatedEnterprises(
  db: Db,
  rootIds: readonly string[],
  depth: number,
  asOf?: Date,
): Promise<RelatedEnterpriseRow[]> {
  const day = asOf?.toISOString().slice(0, 10);
  const live = (alias: string) => {
    const r = (column: string) => sql.ref(`${alias}.${column}`);
    const inForce = asOf
      ? sql`${r('observed_at')} <= ${asOf} AND (${r('superseded_at')} IS NULL OR ${r('superseded_at')} > ${asOf})
          AND (${r('valid_from')} IS NULL OR ${r('valid_from')} <= ${day}::date) AND (${r('valid_to')} IS NULL OR ${r('valid_to')} > ${day}::date)`
      : sql`${r('superseded_at')} IS NULL AND ${r('valid_to')} IS NULL`;
    return sql`${inForce} AND ${r('type')} IN ('SHAREHOLDER', 'LEGAL_REPRESENTATIVE')`;
  };
  const result = await sql<EnterpriseRow & { walkRootId: string; walkDistance: number; walkVia: RelationHopRow[] }>`
    WITH RECURSIVE walk (root_id, enterprise_id, distance, path, hops) AS (
      SELECT id, id, 0, ARRAY[id], '[]'::jsonb FROM enterprise WHERE id = any(${sql.val(rootIds)}::bigint[])
      UNION ALL
      SELECT w.root_id, n.next_id, w.distance + 1, w.path || n.next_id,
             w.hops || jsonb_build_array(jsonb_build_object(
               'from', w.enterprise_id::text, 'to', n.next_id::text, 'kind', n.kind,
               'personId', n.person_id::text, 'enterpriseId', n.via_enterprise_id::text))
      FROM walk w
      CROSS JOIN LATERAL (
        SELECT r2.to_enterprise_id AS next_id,
               CASE WHEN r1.type <> r2.type THEN 'SHARED_PERSON'
                    WHEN r1.type = 'SHAREHOLDER' THEN 'SHARED_SHAREHOLDER'
                    ELSE 'SHARED_LEGAL_REPRESENTATIVE' END AS kind,
               r1.from_person_id AS person_id, NULL::bigint AS via_enterprise_id
        FROM relation r1 JOIN relation r2 ON r2.from_person_id = r1.from_person_id
        WHERE r1.to_enterprise_id = w.enterprise_id AND ${live('r1')} AND ${live('r2')}
          AND r2.to_enterprise_id <> w.enterprise_id
        UNION ALL
        SELECT r2.to_enterprise_id, 'SHARED_SHAREHOLDER', NULL, r1.from_enterprise_id
        FROM relation r1 JOIN relation r2 ON r2.from_enterprise_id = r1.from_enterprise_id
        WHERE r1.to_enterprise_id = w.enterprise_id AND ${live('r1')} AND ${live('r2')}
          AND r2.to_enterprise_id <> w.enterprise_id
        UNION ALL
        SELECT r.to_enterprise_id, 'HOLDS_SHARES_IN', NULL, NULL
        FROM relation r WHERE r.from_enterprise_id = w.enterprise_id AND ${live('r')}
        UNION ALL
        SELECT r.from_enterprise_id, 'SHARES_HELD_BY', NULL, NULL
        FROM relation r WHERE r.to_enterprise_id = w.enterprise_id AND r.from_enterprise_id IS NOT NULL AND ${live('r')}
      ) n
      WHERE w.distance < ${depth} AND NOT n.next_id = any(w.path)
    ),
    nearest AS (
      SELECT DISTINCT ON (root_id, enterprise_id) root_id, enterprise_id, distance, hops
      FROM walk WHERE distance > 0
      ORDER BY root_id, enterprise_id, distance, hops::text
    )
    SELECT n.root_id::text AS walk_root_id, n.distance AS walk_distance, n.hops AS walk_via, e.*
    FROM nearest n JOIN enterprise e ON e.id = n.enterprise_id
    ORDER BY n.root_id, n.distance, e.id`.execute(db);
  return result.rows.map(({ walkRootId, walkDistance, walkVia, ...enterprise }) => ({
    rootId: walkRootId,
    distance: walkDistance,
    via: walkVia,
    enterprise,
  }));
}
