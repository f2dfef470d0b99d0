import type { Clock } from '../common/clock.js';
import { InputError } from '../common/errors.js';
import type { Db } from '../store/database.js';
import type { ProfileAsOf } from '../store/profiles-as-of.js';
import { assess, type RiskAssessment } from './assess.js';
import type { Product, RiskConfig } from './config.js';
import { FEATURES, FEATURES_BY_NAME, type FeatureDefinition } from './features/catalog.js';
import { computeFeatureVectors, type FeatureVector } from './features/compute.js';

/** Enterprises one featureVectors call may ask for. */
export const MAX_FEATURE_VECTOR_IDS = 1000;

/** The risk view and feature serving over the store, with the configured products. */
export class RiskService {
  constructor(
    readonly config: RiskConfig,
    private readonly now: Clock,
  ) {}

  get products(): readonly Product[] {
    return this.config.products;
  }

  product(id: string | null | undefined): Product {
    if (id == null) return this.config.products[0]!;
    const product = this.config.products.find((candidate) => candidate.id === id);
    if (!product) {
      throw new InputError(`product '${id}' is not configured; the products are ${this.config.products.map((p) => p.id).join(', ')}`, { argument: 'product' });
    }
    return product;
  }

  /** T for a request: now by default; never in the future, where the answer could still change. */
  asOf(value: Date | null | undefined): Date {
    const now = this.now();
    if (value == null) return now;
    if (value.getTime() > now.getTime()) throw new InputError(`asOf ${value.toISOString()} is in the future`, { argument: 'asOf' });
    return value;
  }

  assess(profile: ProfileAsOf, product: Product): RiskAssessment {
    return assess(profile, product, this.config);
  }

  /** Named features, all by default; unknown names are refused, naming them. */
  features(names: readonly string[] | null | undefined): readonly FeatureDefinition[] {
    if (names == null) return FEATURES;
    const unknown = names.filter((name) => !FEATURES_BY_NAME.has(name));
    if (unknown.length > 0) throw new InputError(`unknown features: ${unknown.join(', ')}; see featureCatalog`, { argument: 'names', unknown });
    return [...new Set(names)].map((name) => FEATURES_BY_NAME.get(name)!);
  }

  /** From `db`: the request's reads, which may be the replica's. */
  async featureVectors(db: Db, enterpriseIds: readonly string[], asOf: Date, definitions: readonly FeatureDefinition[]): Promise<FeatureVector[]> {
    if (enterpriseIds.length > MAX_FEATURE_VECTOR_IDS) {
      throw new InputError(`at most ${MAX_FEATURE_VECTOR_IDS} enterprise ids a call, got ${enterpriseIds.length}`, { argument: 'enterpriseIds' });
    }
    const unique = [...new Set(enterpriseIds)];
    const vectors = new Map((await computeFeatureVectors(db, unique, asOf, definitions)).map((vector) => [vector.enterpriseId, vector]));
    const unknown = unique.filter((id) => !vectors.has(id));
    if (unknown.length > 0) {
      throw new InputError(`${unknown.length} enterprise ids are not in the store`, { argument: 'enterpriseIds', unknownCount: unknown.length });
    }
    return enterpriseIds.map((id) => vectors.get(id)!);
  }
}
