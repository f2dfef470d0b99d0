import type { Db } from '../../store/database.js';
import { loadProfilesAsOf, type ProfileAsOf } from '../../store/profiles-as-of.js';
import { FEATURES, SOURCES, sourceState, type FeatureDefinition, type SourceId, type SourceState } from './catalog.js';
import { deriveInput, type FeatureInput } from './derive.js';

export interface FeatureValue {
  name: string;
  version: number;
  /** null where a source the feature needs is missing or stale at T. */
  value: number | null;
}

export interface FeatureVector {
  enterpriseId: string;
  asOf: Date;
  values: FeatureValue[];
  sources: Record<SourceId, SourceState>;
}

/** The features of one profile as of its T. Pure: the same profile always gives the same vector. */
export function computeFeatures(profile: ProfileAsOf, definitions: readonly FeatureDefinition[] = FEATURES): FeatureVector {
  return vectorOf(deriveInput(profile), definitions);
}

export function vectorOf(input: FeatureInput, definitions: readonly FeatureDefinition[] = FEATURES): FeatureVector {
  const profile = input.profile;
  const sources = Object.fromEntries(SOURCES.map((source) => [source, sourceState(input, source)])) as Record<SourceId, SourceState>;
  const values = definitions.map((definition) => {
    const current = definition.sources.every((source) => sources[source] === 'CURRENT');
    const value = current ? definition.compute(input) : null;
    return { name: definition.name, version: definition.version, value: value !== null && Number.isFinite(value) ? value : null };
  });
  return { enterpriseId: profile.enterpriseId, asOf: profile.asOf, values, sources };
}

/** How many enterprises one statement reads. */
export const FEATURE_BATCH_SIZE = 500;
/**
 * Batches read at once: one per core of the database, here two, and one more waiting, so that
 * the database is never idle while this thread decodes and computes (a median of 2,037
 * enterprises/s against 1,926 with two, over five passes).
 */
const READ_AHEAD = 3;

/**
 * Feature vectors of many enterprises as of T, in batches of one statement each
 * (src/store/profiles-as-of.ts). Vectors come back in the order of the ids asked
 * for; ids of unknown enterprises are left out.
 */
export async function computeFeatureVectors(
  db: Db,
  enterpriseIds: readonly string[],
  asOf: Date,
  definitions: readonly FeatureDefinition[] = FEATURES,
): Promise<FeatureVector[]> {
  const vectors: FeatureVector[] = [];
  const batches: string[][] = [];
  for (let start = 0; start < enterpriseIds.length; start += FEATURE_BATCH_SIZE) batches.push(enterpriseIds.slice(start, start + FEATURE_BATCH_SIZE));
  // Batches are read ahead while earlier ones are computed: each read is one statement on its
  // own connection, so the database works on several at once while this thread computes.
  const read = (batch: string[]) => {
    const pending = loadProfilesAsOf(db, batch, asOf);
    pending.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
    return pending;
  };
  const ahead = batches.slice(0, READ_AHEAD).map(read);
  for (const [i, batch] of batches.entries()) {
    const profiles = await ahead[i]!;
    if (i + READ_AHEAD < batches.length) ahead.push(read(batches[i + READ_AHEAD]!));
    for (const id of batch) {
      const profile = profiles.get(id);
      if (profile) vectors.push(computeFeatures(profile, definitions));
    }
  }
  return vectors;
}
