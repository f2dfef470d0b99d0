import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/audit.js';
import type { Clock } from '../common/clock.js';
import { InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import { hashPersonId, maskIdNumber } from '../profile/person.js';
import { checkResidentId } from '../profile/resident-id.js';
import type { Db } from '../store/database.js';
import type { ConsentTable, PersonConsentRole, PersonConsentTable } from '../store/schema.js';

export type ConsentRow = Selectable<ConsentTable>;
export type PersonConsentRow = Selectable<PersonConsentTable>;
export type ConsentStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

const text = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });

/**
 * What a consent may be given for, and for how long (config/consent.json): a definite purpose
 * from a list (PIPL art. 6, the credit reporting regulation's "agreed purpose"), and a bounded
 * validity, commonly a year.
 */
export const consentPolicySchema = z.object({
  purposes: z.array(z.object({ code: z.string().regex(/^[A-Z][A-Z_]*$/), text })).min(1),
  maxValidityMonths: z.number().int().min(1).max(60),
});
export type ConsentPolicy = z.infer<typeof consentPolicySchema>;

export function loadConsentPolicy(file = fileURLToPath(new URL('../../config/consent.json', import.meta.url))): ConsentPolicy {
  const parsed = consentPolicySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`config/consent.json: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface ConsentGrant {
  enterpriseId: string;
  scopes: string[];
  purpose: string;
  expiresAt: Date;
  evidenceRef: string;
}

/** A natural person's authorization, as they signed it: their name and resident ID number. */
export interface PersonConsentGrant extends ConsentGrant {
  role: PersonConsentRole;
  name: string;
  idNumber: string;
}

/**
 * Consents: the enterprise's written permission to pull its data from named sources, and its
 * legal representative's or guarantor's own for the pulls that bring theirs (credit reporting
 * regulation arts. 13–14; PIPL's definite purpose and minimal scope). Scopes are the sources'
 * declared ones, purposes from the configured list, validity at most the configured months.
 * Never edited: a consent is granted, then it expires or is revoked, every step audited.
 */
/** Told the enterprise id of every withdrawn consent, when the withdrawal commits. */
export const CONSENT_CHANNEL = 'creditgraph_consent';

export class Consents {
  constructor(
    private readonly db: Db,
    readonly policy: ConsentPolicy,
    private readonly knownScopes: () => readonly string[],
    private readonly personIdSalt: string,
    private readonly now: Clock,
  ) {}

  async grant(actor: Actor, grant: ConsentGrant): Promise<ConsentRow> {
    const checked = this.check(grant);
    await this.enterpriseExists(grant.enterpriseId);
    return this.db.transaction().execute(async (trx) => {
      const consent = await trx
        .insertInto('consent')
        .values({ enterpriseId: grant.enterpriseId, ...checked, grantedBy: actor.user, grantedAt: this.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, [
        { action: 'GRANT_CONSENT', subjectType: 'Consent', subjectId: consent.id, enterpriseId: consent.enterpriseId, purpose: consent.purpose, after: auditView(consent) },
      ]);
      return consent;
    });
  }

  async revoke(actor: Actor, id: string): Promise<ConsentRow> {
    return this.revoking('consent', id, actor, 'REVOKE_CONSENT', 'Consent');
  }

  /** A legal representative's or guarantor's own authorization; the clear ID number is hashed at once and never stored. */
  async grantPerson(actor: Actor, grant: PersonConsentGrant): Promise<PersonConsentRow> {
    const checked = this.check(grant);
    const name = grant.name.trim();
    if (!name || name.length > 100) throw new InputError('name must be the person\'s, as signed, in at most 100 characters', { argument: 'name' });
    const id = checkResidentId(grant.idNumber);
    if (!id.valid) throw new InputError(`idNumber is not a resident ID number: ${id.reason}`, { argument: 'idNumber' });
    await this.enterpriseExists(grant.enterpriseId);
    return this.db.transaction().execute(async (trx) => {
      const consent = await trx
        .insertInto('personConsent')
        .values({
          personIdHash: hashPersonId(this.personIdSalt, id.idNumber),
          maskedIdNumber: maskIdNumber(id.idNumber),
          name,
          enterpriseId: grant.enterpriseId,
          role: grant.role,
          ...checked,
          grantedBy: actor.user,
          grantedAt: this.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, [
        { action: 'GRANT_PERSON_CONSENT', subjectType: 'PersonConsent', subjectId: consent.id, enterpriseId: consent.enterpriseId, purpose: consent.purpose, after: { role: consent.role, ...auditView(consent) } },
      ]);
      return consent;
    });
  }

  async revokePerson(actor: Actor, id: string): Promise<PersonConsentRow> {
    return this.revoking('personConsent', id, actor, 'REVOKE_PERSON_CONSENT', 'PersonConsent');
  }

  status(consent: Pick<ConsentRow, 'revokedAt' | 'expiresAt'>): ConsentStatus {
    if (consent.revokedAt) return 'REVOKED';
    return consent.expiresAt <= this.now() ? 'EXPIRED' : 'ACTIVE';
  }

  /** Scopes of the enterprise's sources, purpose, evidence and expiry, checked against the policy. */
  private check(grant: ConsentGrant) {
    const scopes = [...new Set(grant.scopes)];
    const known = this.knownScopes();
    if (scopes.length === 0) throw new InputError('scopes must name at least one source', { argument: 'scopes' });
    const unknown = scopes.filter((scope) => !known.includes(scope));
    if (unknown.length > 0) throw new InputError(`unknown scopes: ${unknown.join(', ')}; known: ${known.join(', ')}`, { argument: 'scopes' });
    const purposes = this.policy.purposes.map((purpose) => purpose.code);
    if (!purposes.includes(grant.purpose)) throw new InputError(`purpose must be one of ${purposes.join(', ')} (consentPurposes lists them)`, { argument: 'purpose' });
    const evidenceRef = grant.evidenceRef.trim();
    if (!evidenceRef) throw new InputError('evidenceRef must reference the signed consent', { argument: 'evidenceRef' });
    const now = this.now();
    if (grant.expiresAt <= now) throw new InputError('expiresAt must be in the future', { argument: 'expiresAt' });
    const latest = addMonths(now, this.policy.maxValidityMonths);
    if (grant.expiresAt > latest) {
      throw new InputError(`expiresAt may be at most ${this.policy.maxValidityMonths} months ahead, ${latest.toISOString()}: ask for the consent again then`, { argument: 'expiresAt' });
    }
    return { scopes, purpose: grant.purpose, evidenceRef, expiresAt: grant.expiresAt };
  }

  private async enterpriseExists(enterpriseId: string): Promise<void> {
    const enterprise = await this.db.selectFrom('enterprise').select('id').where('id', '=', enterpriseId).executeTakeFirst();
    if (!enterprise) throw new NotFoundError('no enterprise with that id', { argument: 'enterpriseId' });
  }

  private async revoking<T extends 'consent' | 'personConsent'>(table: T, id: string, actor: Actor, action: string, subjectType: string) {
    const now = this.now();
    const revoked = await this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable(table as 'consent').set({ revokedAt: now, revokedBy: actor.user }).where('id', '=', id).where('revokedAt', 'is', null).returningAll().executeTakeFirst();
      if (row) {
        await recordAudit(trx, actor, [{ action, subjectType, subjectId: row.id, enterpriseId: row.enterpriseId, before: { ...auditView(row), revokedAt: null }, after: auditView(row) }]);
        // Runs under way for the enterprise, in any process, stop once this commits.
        await sql`SELECT pg_notify(${CONSENT_CHANNEL}, ${row.enterpriseId})`.execute(trx);
      }
      return row;
    });
    if (revoked) return revoked as unknown as Selectable<T extends 'consent' ? ConsentTable : PersonConsentTable>;
    const existing = await this.db.selectFrom(table as 'consent').select('revokedAt').where('id', '=', id).executeTakeFirst();
    if (!existing) throw new NotFoundError(`no ${subjectType === 'Consent' ? 'consent' : 'person\'s consent'} with that id`, { argument: 'id' });
    throw new InvalidStateError(`the consent was already revoked at ${existing.revokedAt!.toISOString()}`, { argument: 'id' });
  }
}

const auditView = (consent: Pick<ConsentRow, 'scopes' | 'purpose' | 'evidenceRef' | 'expiresAt' | 'revokedAt'>) => ({
  scopes: consent.scopes,
  purpose: consent.purpose,
  evidenceRef: consent.evidenceRef,
  expiresAt: consent.expiresAt,
  revokedAt: consent.revokedAt,
});

/** The same instant `months` calendar months later (the last day of a shorter month). */
function addMonths(instant: Date, months: number): Date {
  const target = new Date(instant);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(instant.getUTCDate(), lastDay));
  return target;
}

export async function findConsents(db: Db, enterpriseIds: readonly string[]): Promise<ConsentRow[]> {
  return latestFirst(db, 'consent', enterpriseIds);
}

export async function findPersonConsents(db: Db, enterpriseIds: readonly string[]): Promise<PersonConsentRow[]> {
  return latestFirst(db, 'personConsent', enterpriseIds) as Promise<PersonConsentRow[]>;
}

function latestFirst(db: Db, table: 'consent' | 'personConsent', enterpriseIds: readonly string[]) {
  return db
    .selectFrom(table as 'consent')
    .selectAll()
    .where('enterpriseId', '=', sql<string>`any(${sql.val(enterpriseIds)}::bigint[])`)
    .orderBy('grantedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Whether a valid, unexpired, unrevoked consent of the enterprise covers `scope` at `at`. */
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

/**
 * The persons in `roles` of the enterprise at `at` (their current relations in force), as the
 * store knows them, each with whether their own valid consent covers `scope` for it.
 */
export function personsAuthorizing(enterpriseId: string, roles: readonly PersonConsentRole[], scope: string, at: Date) {
  const day = at.toISOString().slice(0, 10);
  return sql<{ role: PersonConsentRole; personId: string; covered: boolean }>`
    SELECT r.type AS role, p.id::text AS person_id, EXISTS (
      SELECT 1 FROM person_consent c WHERE c.person_id_hash = p.id_hash AND c.enterprise_id = ${enterpriseId} AND c.role = r.type
        AND c.scopes @> ARRAY[${scope}]::text[] AND c.revoked_at IS NULL AND c.granted_at <= ${at} AND c.expires_at > ${at}) AS covered
    FROM relation r JOIN person p ON p.id = r.from_person_id
    WHERE r.to_enterprise_id = ${enterpriseId} AND r.type = any(${[...roles]}::text[]) AND r.superseded_at IS NULL
      AND (r.valid_from IS NULL OR r.valid_from <= ${day}::date) AND (r.valid_to IS NULL OR r.valid_to > ${day}::date)`;
}
