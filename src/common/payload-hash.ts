import { createHash } from 'node:crypto';

/** JSON with object keys sorted and undefined dropped: equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${stableStringify(item)}`;
    first = false;
  }
  return `${text}}`;
}

/** The provenance hash of a payload: sha256 of its stable JSON, in hex. */
export function payloadHash(record: unknown): string {
  return hashOfText(stableStringify(record));
}

/** The provenance hash of a payload from its stable JSON, for a caller that keeps the text as well. */
export function hashOfText(stableJson: string): string {
  return createHash('sha256').update(stableJson).digest('hex');
}
