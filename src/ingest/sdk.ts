import type { Insertable } from 'kysely';
import type { z } from 'zod';
import type { Database, PersonConsentRole, Provenance } from '../store/schema.js';
import { maskIdNumber, maskKeys } from '../profile/person.js';
import type { Transport } from './transport.js';

/**
 * The connector SDK: what a connector folder (`connectors/<id>/`) exports. A connector only
 * says how its upstream looks — manifest, client, pages, normalizer, sandbox. The ingest
 * engine (src/ingest/engine.ts) owns everything that makes a sync reliable: consent,
 * checkpoints, retries, circuit breaking, rate limits, quarantine, provenance and idempotent
 * upserts, so no connector can forget them. Modelled on the Airbyte protocol (spec, check,
 * streams, read with checkpointed state).
 */

/** Canonical facts about one enterprise that connectors may produce: the store's fact tables. */
export type FactEntity =
  | 'relation'
  | 'taxFiling'
  | 'taxRating'
  | 'taxArrears'
  | 'courtCase'
  | 'enforcement'
  | 'utilityBill'
  | 'invoice'
  | 'socialInsuranceMonth'
  | 'registryChange'
  | 'abnormalOperation';

/**
 * A natural person as an upstream names them. The engine keeps only a salted hash of the ID
 * number (the person's identity across sources) and a masked form; the clear number is never stored.
 */
export interface PersonRef {
  idNumber: string;
  name: string;
}

/** The store's keys that the engine fills by resolving references: a connector names parties, never row ids. */
type ResolvedKeys = 'id' | 'enterpriseId' | 'personId' | 'sellerEnterpriseId' | 'buyerEnterpriseId' | 'fromPersonId' | 'fromEnterpriseId' | 'toEnterpriseId';

/** What a record says about parties other than the enterprise being synced. */
interface Links {
  /** Against whom: null for the enterprise being synced, or a person (its legal representative, say). */
  enforcement: { against: PersonRef | null };
  /** Who holds the relation to the enterprise being synced: a person, or another enterprise by USCC. */
  relation: { from: { person: PersonRef } | { uscc: string; name: string } };
}

/**
 * The columns a connector fills, and the links it names; the engine adds the enterprise, the
 * ids and the provenance. Invoices are the synced enterprise's sales: the engine links seller
 * and buyer to enterprises by their USCCs.
 */
export type FactFields<E extends FactEntity> = Omit<Insertable<Database[E]>, ResolvedKeys | keyof Provenance> &
  (E extends keyof Links ? Links[E] : unknown);

/**
 * The business registry's record of the synced enterprise itself. Its row is updated in place
 * (a change's history is kept as registry changes); the USCC is the enterprise's identity.
 */
export type EnterpriseFields = Omit<Insertable<Database['enterprise']>, 'id' | 'uscc' | keyof Provenance>;

/** What a connector may produce: facts, or (the registry) the enterprise's own record. */
export type CanonicalEntity = FactEntity | 'enterprise';

/** One canonical record, keyed by its upstream's natural key (unique within the source). */
export type CanonicalRecord =
  | { [E in FactEntity]: { entity: E; externalId: string; fields: FactFields<E> } }[FactEntity]
  | { entity: 'enterprise'; externalId: string; fields: EnterpriseFields };

/** A normalizer's answer: canonical records, or a typed rejection saying why. */
export type Normalized =
  | { ok: true; records: CanonicalRecord[] }
  | { ok: false; errors: string[]; externalId?: string };

/** Where a reader resumes: an opaque cursor for each stream, and a since-watermark. */
export interface Checkpoint {
  /**
   * Per stream: the next page of the pass in progress (null once the pass is complete), the
   * `since` that pass was asked with, and the watermark the next pass starts from.
   */
  streams: Record<string, { nextPage: string | null; since?: string; watermark?: string }>;
}

/** A page of raw upstream records, and the checkpoint that holds once the page is stored. */
export interface Page {
  stream: string;
  records: unknown[];
  checkpoint: Checkpoint;
}

export interface ReadContext {
  /** The enterprise's Unified Social Credit Code, as upstreams key it. */
  uscc: string;
  /** Where the last committed page left off, or null on a first sync. */
  checkpoint: Checkpoint | null;
  /** Aborts with the run (timeouts, shutdown). */
  signal: AbortSignal;
}

export interface ConnectorManifest<Config> {
  id: string;
  version: string;
  displayName: string;
  /** The canonical entities it produces. */
  entities: readonly CanonicalEntity[];
  /** The consent scope a sync needs: a valid, unexpired, unrevoked consent naming it. */
  consentScope: string;
  /** The configuration schema; keys listed in `secrets` are redacted wherever config is logged. */
  config: z.ZodType<Config>;
  secrets: readonly (keyof Config & string)[];
  /** Requests per second the upstream allows us, and how many may be in flight at once. */
  rateLimit: { requestsPerSecond: number; concurrency: number };
  /**
   * Keys of a raw record (at any depth) that hold resident ID numbers: the engine masks them
   * before it keeps raw payloads or quarantines a record, so the clear number is never stored.
   */
  personalFields?: readonly string[];
  /**
   * Keys of a raw record (at any depth) that may hold a natural person's name: quarantined
   * payloads show them masked to roles that do not need personal data.
   */
  personNameFields?: readonly string[];
  /**
   * The natural persons of an enterprise whose own data this source's answers bring (enforcement
   * against the legal representative, say): a pull needs each one's own authorization for the
   * scope, besides the enterprise's consent (credit reporting regulation art. 13).
   */
  personalSubjects?: readonly PersonConsentRole[];
}

export interface Connector<Config extends { baseUrl: string }, Client> {
  manifest: ConnectorManifest<Config>;
  /**
   * A client for one configuration, over the transport the engine made for it (which owns
   * timeouts, retries, rate and circuit breaking): never a static singleton.
   */
  createClient(config: Config, transport: Transport): Client;
  /** Pages of raw records for one enterprise, resumable from `context.checkpoint`. */
  read(client: Client, context: ReadContext): AsyncGenerator<Page>;
  /** Pure: a raw record (unknown until validated) → canonical records or a rejection. */
  normalize(raw: unknown, context: { uscc: string; stream: string }): Normalized;
}

/** A connector whose configuration and client types the caller does not need to know. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = Connector<any, any>;

// What a connector and its sandbox may use of the hub, all through this module: a connector
// folder imports nothing else of src/ but the upstream world (src/world) its sandbox serves.

/** Time for connectors and their sandboxes: one clock for the whole hub (src/common/clock.ts). */
export { clockFrom, monotonicMs, systemClock, type Clock } from '../common/clock.js';
/** Money as upstreams write it (yuan with two decimals) and as the canonical model keeps it (integer fen). */
export { decimalToFen, fenToDecimal } from '../common/money.js';
/** The one way to reach an upstream, and the OAuth2 client-credentials grant most of them use. */
export { UpstreamError, createTransport, type Transport, type TransportRequest } from './transport.js';
export { clientCredentials } from './oauth2.js';
/** A connector bound to its configuration, with the reliability every outbound request gets. */
export { bindConnector, defaultReliability, ConnectorConfigError, type BoundConnector, type ReliabilityOptions } from './bind.js';

const personalKeys = new WeakMap<object, ReadonlySet<string>>();

/**
 * A raw record as the engine keeps it: the ID numbers under the manifest's `personalFields`
 * masked. The contract suite checks that this alone leaves no ID number of the world in clear.
 */
export function maskPersonalFields(manifest: Pick<ConnectorManifest<unknown>, 'personalFields'>, raw: unknown): unknown {
  let keys = personalKeys.get(manifest);
  if (keys === undefined) personalKeys.set(manifest, (keys = new Set(manifest.personalFields ?? [])));
  return keys.size === 0 ? raw : maskKeys(raw, keys, maskIdNumber);
}
