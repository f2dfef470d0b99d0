/**
 * The contract every connector passes, run by each connector's `contract.test.ts`, with no
 * database and nothing of the hub but the connector SDK: fixtures normalize to the expected
 * canonical records, and garbage to records or reasons, never a throw; read through its
 * sandbox over real HTTP, the connector yields exactly what the upstream holds, the same
 * again on a second read, and the same under each kind of upstream fault (drifted records
 * rejected with their reasons, the rest exact); a read resumed from any checkpoint it gave
 * loses nothing; the manifest's personal fields mask every resident ID number the upstream
 * sends. What the hub does with the records (consent, storage, quarantine, a sync killed
 * midway) is the hub's own suite's (test/sources.test.ts, test/sync-lease.test.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { bindConnector, maskPersonalFields, type CanonicalEntity, type CanonicalRecord, type Checkpoint, type Normalized, type Page } from '../../src/ingest/sdk.js';
import { generatePortfolio, type EnterpriseBundle, type Portfolio } from '../../src/world/index.js';
import type { ConnectorContract } from './contract.js';
import { FAULT_KINDS } from './faults.js';
import { FAST_RELIABILITY } from './reliability.js';
import type { SandboxHandle } from './sandbox.js';

/** The upstreams answer as of this instant; the world goes on six months past it, for the next pass. */
const CLOCK = '2026-11-01T00:00:00.000Z';
const WORLD_ENDS = '2027-05-01';
const PROPERTY_SEED = 20261129;

/**
 * Upstream garbage: any JSON at all, and (more often, since it reaches deeper into a
 * normalizer) a fixture record with values replaced by any JSON, keys dropped or renamed.
 */
export function garbage(fixtures: unknown[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('replace', 'drop', 'rename')), { minLength: 1, maxLength: 4 }))
    .map(([fixture, changes]) => {
      const record = structuredClone(fixture);
      for (const [at, pick, value, change] of changes) mutate(record, at, pick, value, change);
      return record;
    });
  return fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 }, { arbitrary: mutated, weight: 3 });
}

/** Changes one value somewhere in a JSON tree: the `at`-th object or array met, its `pick`-th entry. */
function mutate(tree: unknown, at: number, pick: number, value: unknown, change: 'replace' | 'drop' | 'rename'): void {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const collect = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    containers.push(node as Record<string, unknown>);
    for (const child of Object.values(node)) collect(child);
  };
  collect(tree);
  if (containers.length === 0) return;
  const container = containers[at % containers.length]!;
  const keys = Object.keys(container);
  if (keys.length === 0) return;
  const key = keys[pick % keys.length]!;
  const target = container as Record<string, unknown>;
  if (change === 'replace' || Array.isArray(container)) target[key] = value;
  else if (change === 'drop') delete target[key];
  else {
    target[`${key}_v2`] = target[key];
    delete target[key];
  }
}

/** A normalizer's answer has the promised shape: records of the manifest's entities, or reasons. */
function wellFormed(answer: Normalized, entities: readonly CanonicalEntity[]): boolean {
  if (answer.ok) {
    return Array.isArray(answer.records) && answer.records.every((record) => entities.includes(record.entity) && typeof record.externalId === 'string' && record.externalId !== '');
  }
  return answer.errors.length > 0 && answer.errors.every((error) => typeof error === 'string' && error !== '');
}

const keyOf = (record: CanonicalRecord) => `${record.entity}|${record.externalId}`;

/** What one read of an enterprise gave: its pages, the records they normalize to by key, and the rejections. */
interface Read {
  pages: Page[];
  records: Map<string, CanonicalRecord>;
  rejected: { externalId: string | null; errors: string[] }[];
}

export function runContractSuite(contract: ConnectorContract, options: { seed?: number; enterprises?: number } = {}): void {
  const { connector, sandbox: upstream } = contract;
  const { manifest } = connector;
  const entities = [...manifest.entities];

  let portfolio: Portfolio;
  let sandbox: SandboxHandle;

  /** Every page the connector yields for one enterprise, from `checkpoint`, through the transport the hub would give it. */
  async function read(enterprise: EnterpriseBundle, checkpoint: Checkpoint | null = null): Promise<Read> {
    const { client } = bindConnector(connector, upstream.config(sandbox.url), FAST_RELIABILITY);
    const result: Read = { pages: [], records: new Map(), rejected: [] };
    for await (const page of connector.read(client, { uscc: enterprise.uscc, checkpoint, signal: new AbortController().signal })) {
      result.pages.push(page);
      for (const raw of page.records) {
        const normalized = connector.normalize(raw, { uscc: enterprise.uscc, stream: page.stream });
        if (!normalized.ok) {
          result.rejected.push({ externalId: normalized.externalId ?? null, errors: normalized.errors });
          continue;
        }
        for (const record of normalized.records) {
          // A record read twice (an upstream's duplicates, a pass resumed) must say the same both times.
          const earlier = result.records.get(keyOf(record));
          if (earlier !== undefined) expect(record).toEqual(earlier);
          result.records.set(keyOf(record), record);
        }
      }
    }
    return result;
  }

  /** What the upstream holds about an enterprise as of the sandbox's clock, by key. */
  const upstreamFacts = (enterprise: EnterpriseBundle) => new Map(contract.expected(enterprise, sandbox.clock(), portfolio).map((record) => [keyOf(record), record]));

  /** Every enterprise's read, side by side with what its upstream holds. */
  async function readAll(): Promise<{ enterprise: EnterpriseBundle; read: Read; expected: Map<string, CanonicalRecord> }[]> {
    const reads = [];
    for (const enterprise of portfolio.enterprises) reads.push({ enterprise, read: await read(enterprise), expected: upstreamFacts(enterprise) });
    return reads;
  }

  const records = (map: Map<string, CanonicalRecord>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));

  describe(`the ${manifest.id} connector's contract`, () => {
    beforeAll(async () => {
      portfolio = generatePortfolio({ seed: options.seed ?? 11, enterprises: options.enterprises ?? 5, clock: WORLD_ENDS, historyMonths: 42 });
      sandbox = await upstream.start({ portfolio });
      sandbox.setClock(CLOCK);
    });

    afterAll(async () => {
      await sandbox?.close();
    });

    beforeEach(() => {
      sandbox.setFaults({ rate: 0 });
    });

    it.each(contract.fixtures.map((fixture) => [fixture.name, fixture] as const))('normalizes the fixture %s', (_, fixture) => {
      expect(fixture.records.map((raw) => connector.normalize(raw, { uscc: fixture.uscc, stream: fixture.stream }))).toEqual(fixture.expected);
    });

    it('answers every input to its normalizer with records of its entities or reasons, and never throws', () => {
      const streams = [...new Set(contract.fixtures.map((fixture) => fixture.stream))];
      const fixtures = contract.fixtures.flatMap((fixture) => fixture.records);
      const uscc = contract.fixtures[0]!.uscc;
      fc.assert(
        fc.property(garbage(fixtures), fc.constantFrom(...streams), (raw, stream) => wellFormed(connector.normalize(raw, { uscc, stream }), entities)),
        { seed: PROPERTY_SEED, numRuns: 1000 },
      );
    });

    it('reads exactly what the upstream holds through its sandbox, and the same again on a second read', async () => {
      const first = await readAll();
      expect(first.reduce((sum, { expected }) => sum + expected.size, 0)).toBeGreaterThan(0);
      for (const { enterprise, read: { records: got, rejected }, expected } of first) {
        expect([enterprise.uscc, rejected]).toEqual([enterprise.uscc, []]);
        expect([enterprise.uscc, records(got)]).toEqual([enterprise.uscc, records(expected)]);
      }
      const second = await readAll();
      expect(second.map(({ read: { pages } }) => pages)).toEqual(first.map(({ read: { pages } }) => pages));
    });

    it('resumed from any checkpoint it gave mid-pass, loses nothing and reads no more than a whole pass', async () => {
      // A source whose every read is one page (social insurance: a unit's few dozen months) gives
      // no mid-pass checkpoint; its cursor is the next test's.
      for (const { enterprise, read: whole, expected } of await readAll()) {
        const total = whole.pages.reduce((sum, page) => sum + page.records.length, 0);
        for (let k = 0; k < whole.pages.length - 1; k++) {
          const rest = await read(enterprise, whole.pages[k]!.checkpoint);
          const union = new Map(
            whole.pages.slice(0, k + 1).flatMap((page) =>
              page.records.flatMap((raw) => {
                const normalized = connector.normalize(raw, { uscc: enterprise.uscc, stream: page.stream });
                return normalized.ok ? normalized.records.map((record) => [keyOf(record), record] as const) : [];
              }),
            ),
          );
          for (const [key, record] of rest.records) union.set(key, record);
          expect([enterprise.uscc, k, records(union)]).toEqual([enterprise.uscc, k, records(expected)]);
          expect(rest.pages.reduce((sum, page) => sum + page.records.length, 0)).toBeLessThanOrEqual(total);
        }
        // The last page's checkpoint says the pass is complete: a next sync does not resume a pass that ended.
        const last = whole.pages.at(-1)?.checkpoint.streams ?? {};
        expect([enterprise.uscc, Object.values(last).filter((stream) => stream.nextPage != null)]).toEqual([enterprise.uscc, []]);
      }
    });

    it('a next pass from its last checkpoint, once the upstream moved on six months, brings everything that changed', async () => {
      const before = await readAll();
      sandbox.setClock(portfolio.clockInstant);
      try {
        let changed = 0;
        for (const { enterprise, read: whole } of before) {
          const next = await read(enterprise, whole.pages.at(-1)?.checkpoint ?? null);
          const union = new Map(whole.records);
          for (const [key, record] of next.records) union.set(key, record);
          expect([enterprise.uscc, records(union)]).toEqual([enterprise.uscc, records(upstreamFacts(enterprise))]);
          changed += [...union].filter(([key, record]) => !isDeepStrictEqual(whole.records.get(key), record)).length;
        }
        expect(changed).toBeGreaterThan(0);
      } finally {
        sandbox.setClock(CLOCK);
      }
    });

    it("masks, with its manifest's personal fields alone, every resident ID number the upstream sends", async () => {
      const clear = portfolio.persons.map((person) => person.idNumber);
      const sent = new Set<string>();
      for (const { read: { pages } } of await readAll()) {
        for (const raw of pages.flatMap((page) => page.records)) {
          for (const idNumber of clear) if (JSON.stringify(raw).includes(idNumber)) sent.add(idNumber);
          const kept = JSON.stringify(maskPersonalFields(manifest, raw));
          expect(clear.filter((idNumber) => kept.includes(idNumber))).toEqual([]);
        }
      }
      // Sources that name persons send their ID numbers: the check above saw some, or the source names none.
      expect(sent.size > 0).toBe(entities.includes('enforcement') || entities.includes('relation'));
    });

    it.each(FAULT_KINDS.filter((kind) => kind !== 'drift'))(
      'reads the same when the upstream answers with %s faults',
      async (kind) => {
        // A 429 costs its Retry-After (a second) and a timeout its timeout: fewer of them keep
        // the suite quick. An upstream with few requests may draw no fault from one seed: the
        // read is repeated with the next seed until one was applied.
        const rate = kind === 'http429' || kind === 'timeout' ? 0.1 : 0.3;
        for (let seed = 5; ; seed++) {
          const applied = sandbox.stats().faults[kind] ?? 0;
          sandbox.setFaults({ rate, kinds: [kind], seed });
          for (const { enterprise, read: { records: got, rejected }, expected } of await readAll()) {
            expect([enterprise.uscc, rejected]).toEqual([enterprise.uscc, []]);
            expect([enterprise.uscc, records(got)]).toEqual([enterprise.uscc, records(expected)]);
          }
          if ((sandbox.stats().faults[kind] ?? 0) > applied) break;
          expect(seed).toBeLessThan(15);
        }
      },
      60_000,
    );

    it('rejects records that drifted from the schema with their reasons, and reads the rest exactly', async () => {
      sandbox.setFaults({ rate: 0.5, kinds: ['drift'], seed: 9 });
      let rejections = 0;
      for (const { enterprise, read: { records: got, rejected }, expected } of await readAll()) {
        for (const rejection of rejected) expect(rejection.errors.length).toBeGreaterThan(0);
        for (const [key, record] of got) expect([key, record]).toEqual([key, expected.get(key)]);
        // What is missing was rejected, under its upstream key: the hub can quarantine and re-fetch it.
        const rejectedIds = new Set(rejected.map((rejection) => rejection.externalId));
        for (const key of expected.keys()) {
          if (!got.has(key)) expect([enterprise.uscc, key, rejectedIds.has(key.slice(key.indexOf('|') + 1))]).toEqual([enterprise.uscc, key, true]);
        }
        rejections += rejected.length;
      }
      expect(rejections).toBeGreaterThan(0);
    });
  });
}
