import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/database.js';
import type { EnterpriseStatus, RelationType } from '../../src/store/schema.js';
import { usccCheckCharacter } from '../../src/profile/uscc.js';

/**
 * Hand-made profile graphs for tests that need an exact shape (the demo portfolio is too
 * big to reason about). Rows carry provenance like any fact.
 */
const observedAt = new Date('2026-10-01T00:00:00Z');
const provenance = (source: string, externalId: string) => ({
  source,
  externalId,
  payloadHash: createHash('sha256').update(externalId).digest('hex'),
  observedAt,
});

/** A valid USCC whose organization-code part is the given number. */
export function testUscc(n: number, region = '320505'): string {
  const first17 = `91${region}${String(n).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export class GraphBuilder {
  private people = 0;
  constructor(private readonly db: Db) {}

  async enterprise(n: number, options: { name?: string; status?: EnterpriseStatus; region?: string; industry?: string } = {}) {
    const uscc = testUscc(n, options.region);
    const row = await this.db
      .insertInto('enterprise')
      .values({
        uscc,
        name: options.name ?? `测试企业${n}有限公司`,
        legalForm: '有限责任公司',
        industryCode: options.industry ?? 'C3311',
        regionCode: options.region ?? '320505',
        status: options.status ?? 'ACTIVE',
        establishedOn: '2018-05-01',
        registeredCapitalFen: '500000000',
        ...provenance('registry', uscc),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  async person(name: string) {
    this.people++;
    return this.db
      .insertInto('person')
      .values({
        idHash: createHash('sha256').update(`person-${this.people}`).digest('hex'),
        maskedIdNumber: `320505********${String(this.people).padStart(4, '0')}`,
        name,
        source: 'registry',
        observedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async relation(
    from: { personId?: string; enterpriseId?: string },
    toEnterpriseId: string,
    type: RelationType,
    options: { shareRatio?: string; validTo?: string } = {},
  ) {
    const externalId = `${from.personId ?? `E${from.enterpriseId}`}-${type}-${toEnterpriseId}`;
    return this.db
      .insertInto('relation')
      .values({
        fromPersonId: from.personId ?? null,
        fromEnterpriseId: from.enterpriseId ?? null,
        toEnterpriseId,
        type,
        shareRatio: options.shareRatio ?? null,
        validFrom: '2020-01-01',
        validTo: options.validTo ?? null,
        ...provenance('registry', externalId),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
