import { sql, type RawBuilder } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.js';
import { InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import type { Db } from '../store/database.js';
import type { ConsentTable } from '../store/schema.js';
import type { Selectable } from 'kysely';

export type ConsentRow = Selectable<ConsentTable>;
export type ConsentStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface ConsentGrant {
  enterpriseId: string;
  scopes: string[];
  purpose: string;
  expiresAt: Date;
  evidenceRef: string;
}

/**
 * Consents are the enterprise's written permission to pull its data from named sources for
 * a stated purpose (credit reporting regulation arts. 13–14; PIPL's definite purpose). They
 * are never edited: a consent is granted, then it expires or is revoked.
 */
export async function grantConsent(db: Db, grant: ConsentGrant, actor: Actor, knownScopes: readonly string[], now: Date): Promise<ConsentRow> {
  const scopes = [...new Set(grant.scopes)];
  if (scopes.length === 0) throw new InputError('scopes must name at least one source', { argument: 'scopes' });
  const unknown = scopes.filter((scope) => !knownScopes.includes(scope));
  if (unknown.length > 0) {
    throw new InputError(`unknown scopes: ${unknown.join(', ')}; known: ${knownScopes.join(', ')}`, { argument: 'scopes' });
  }
  if (!grant.purpose.trim()) throw new InputError('purpose must say what the data is for', { argument: 'purpose' });
  if (!grant.evidenceRef.trim()) throw new InputError('evidenceRef must reference the signed consent', { argument: 'evidenceRef' });
  if (grant.expiresAt <= now) throw new InputError('expiresAt must be in the future', { argument: 'expiresAt' });
  const enterprise = await db.selectFrom('enterprise').select('id').where('id', '=', grant.enterpriseId).executeTakeFirst();
  if (!enterprise) throw new NotFoundError('no enterprise with that id', { argument: 'enterpriseId' });
  return db.transaction().execute(async (trx) => {
    const consent = await trx
      .insertInto('consent')
      .values({
        enterpriseId: grant.enterpriseId,
        scopes,
        purpose: grant.purpose.trim(),
        evidenceRef: grant.evidenceRef.trim(),
        grantedBy: actor.user,
        grantedAt: now,
        expiresAt: grant.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, [
      { action: 'GRANT_CONSENT', subjectType: 'Consent', subjectId: consent.id, enterpriseId: consent.enterpriseId, purpose: consent.purpose, after: auditView(consent) },
    ]);
    return consent;
  });
}

const auditView = (consent: ConsentRow) => ({
  scopes: consent.scopes,
  purpose: consent.purpose,
  evidenceRef: consent.evidenceRef,
  expiresAt: consent.expiresAt,
  revokedAt: consent.revokedAt,
});

export async function revokeConsent(db: Db, id: string, actor: Actor, now: Date): Promise<ConsentRow> {
  const revoked = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('consent')
      .set({ revokedAt: now, revokedBy: actor.user })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await recordAudit(trx, actor, [
        { action: 'REVOKE_CONSENT', subjectType: 'Consent', subjectId: row.id, enterpriseId: row.enterpriseId, before: { ...auditView(row), revokedAt: null }, after: auditView(row) },
      ]);
    }
    return row;
  });
  if (revoked) return revoked;
  const existing = await db.selectFrom('consent').select('revokedAt').where('id', '=', id).executeTakeFirst();
  if (!existing) throw new NotFoundError('no consent with that id', { argument: 'id' });
  throw new InvalidStateError(`the consent was already revoked at ${existing.revokedAt!.toISOString()}`, { argument: 'id' });
}

export function consentStatus(consent: ConsentRow, now: Date): ConsentStatus {
  if (consent.revokedAt) return 'REVOKED';
  return consent.expiresAt <= now ? 'EXPIRED' : 'ACTIVE';
}

export async function findConsents(db: Db, enterpriseIds: readonly string[]): Promise<ConsentRow[]> {
  return db
    .selectFrom('consent')
    .selectAll()
    .where('enterpriseId', '=', sql<string>`any(${sql.val(enterpriseIds)}::bigint[])`)
    .orderBy('grantedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Whether a valid, unexpired, unrevoked consent covers `scope` at `at`. */
export async function hasConsent(db: Db, enterpriseId: string, scope: string, at: Date): Promise<boolean> {
  const result = await sql<{ covered: boolean }>`SELECT ${consentCovers(enterpriseId, scope, at)} AS covered`.execute(db);
  return result.rows[0]!.covered;
}

/** The same check as a condition, for statements that act on it in the store (the ingest engine's run start). */
export function consentCovers(enterpriseId: string, scope: string, at: Date): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM consent WHERE enterprise_id = ${enterpriseId} AND scopes @> ARRAY[${scope}]::text[]
      AND revoked_at IS NULL AND granted_at <= ${at} AND expires_at > ${at})`;
}
