import fc from 'fast-check';
import { sql } from 'kysely';
import { openTestStore, type TestStore } from '../../test/support/store.js';
import { canonicalUser, checkSeparation, SEPARATED_ROLES } from './identity.js';
import { ROLES, type Role } from './roles.js';

/**
 * One person, one identity: every spelling of a name is the same user, in the service and in
 * the store (whose `canonical_user` must agree with the service's, or a checker could pass the
 * one and not the other); and no token holds roles one person may not hold together.
 */
const SEED = 20261207;

/** Ways a client can spell a name without changing who it names. */
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u202a', '\u0007'];
const SPACES = [' ', '\u00a0', '\u3000', '\u2003', '\t', '\n'];
const fullWidth = (char: string) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char);

const name = fc.stringMatching(/^[a-z0-9][a-z0-9._@-]{0,15}$/);
const spelling = (base: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.option(fc.constantFrom(...INVISIBLES), { nil: undefined })), { minLength: base.length, maxLength: base.length }),
      fc.constantFrom(...SPACES, ''),
      fc.constantFrom(...SPACES, ''),
    )
    .map(([changes, before, after]) =>
      before +
      [...base].map((char, i) => {
        const [upper, wide, inserted] = changes[i]!;
        const cased = upper ? char.toUpperCase() : char;
        return (inserted ?? '') + (wide ? fullWidth(cased) : cased);
      }).join('') +
      after,
    );

/** Text a client might send: names in several scripts, with every kind of space and invisible character. */
const clientText = fc.array(
  fc.oneof(
    fc.constantFrom(...INVISIBLES, ...SPACES, 'Ä', 'é', 'Σ', 'Ж', '王', '建', '国', 'ｱ', 'Ⅻ', 'ﬁ', '①'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }),
  ),
  { maxLength: 12 },
).map((parts) => parts.join(''));

describe('canonical user names', () => {
  it('are the same for every spelling of a name: case, full width, invisible characters, surrounding spaces', () => {
    fc.assert(
      fc.property(name.chain((base) => fc.tuple(fc.constant(base), spelling(base))), ([base, spelt]) => canonicalUser(spelt) === base),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('are canonical already, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => canonicalUser(canonicalUser(text)) === canonicalUser(text)),
      { seed: SEED, numRuns: 5000 },
    );
  });

  describe('in the store', () => {
    let testStore: TestStore;
    beforeAll(async () => {
      testStore = await openTestStore();
    }, 60_000);
    afterAll(() => testStore?.dispose());

    const inStore = async (texts: readonly string[]) =>
      (await sql<{ canonical: string }>`SELECT canonical_user(t) AS canonical FROM unnest(${texts}::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`.execute(testStore.store.db)).rows.map((row) => row.canonical);

    it("agree with the service's on what clients send", async () => {
      const texts = fc.sample(clientText, { seed: SEED, numRuns: 3000 });
      const spelt = fc.sample(name.chain((base) => spelling(base)), { seed: SEED, numRuns: 1000 });
      const all = [...texts, ...spelt];
      const store = await inStore(all);
      expect(all.map((text, i) => [JSON.stringify(text), store[i]]).filter(([, canonical], i) => canonical !== canonicalUser(all[i]!))).toEqual([]);
    });

    it("hold the service's canonical names as they are, so the store's checks accept every name the service writes", async () => {
      // A NUL never reaches the store (PostgreSQL refuses the byte).
      const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: SEED, numRuns: 3000 }).map((text) => canonicalUser(text).replaceAll('\u0000', ''));
      const store = await inStore(texts);
      expect(texts.filter((text, i) => store[i] !== text).map((text) => JSON.stringify(text))).toEqual([]);
    });
  });
});

describe('segregation of duties', () => {
  it('refuses exactly the sets of roles that hold a separated pair', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES], { minLength: 1 }), (roles: Role[]) => {
        const separated = SEPARATED_ROLES.some(([a, b]) => roles.includes(a) && roles.includes(b));
        let refused = false;
        try {
          checkSeparation(roles);
        } catch (error) {
          refused = (error as { code?: string }).code === 'FORBIDDEN';
        }
        return refused === separated;
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('lets one person be a maker, a checker or an administrator, each with the reading roles', () => {
    for (const roles of [['ANALYST', 'DATA_ENGINEER', 'SCORING_SERVICE'], ['APPROVER', 'SENIOR_APPROVER'], ['RISK_MANAGER', 'APPROVER'], ['ADMIN', 'DATA_ENGINEER']] as Role[][]) {
      expect(() => checkSeparation(roles)).not.toThrow();
    }
  });
});
