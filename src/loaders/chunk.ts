import { renderFilterValue, type FilterValue } from '../kibo/filter.js';

export interface FilterChunkLimits {
  field: string;
  inForm: boolean;
  /** Maximum number of keys in one chunk. */
  maxCount: number;
  /** Maximum URL-encoded length of the chunk's filter. */
  maxLength: number;
}

/**
 * Splits keys into groups whose batched filter (`field eq a or field eq b …`, or `field in [a,b,…]`) stays
 * within the limits once URL-encoded. Each group contains at least one key, so a single key longer than the limit
 * still gets its own call.
 */
export function chunkKeysForFilter<Key extends FilterValue>(keys: readonly Key[], limits: FilterChunkLimits): Key[][] {
  const fieldCost = encodedLength(limits.field);
  // `field eq ` before each value and ` or ` between terms; or `field in [`, `,` between values and `]`.
  const termOverhead = limits.inForm ? encodedLength(',') : fieldCost + encodedLength(' eq ') + encodedLength(' or ');
  const fixedOverhead = limits.inForm ? fieldCost + encodedLength(' in [') + encodedLength(']') : 0;

  const chunks: Key[][] = [];
  let current: Key[] = [];
  let length = fixedOverhead;
  for (const key of keys) {
    const cost = encodedLength(renderFilterValue(key)) + termOverhead;
    if (current.length > 0 && (current.length >= limits.maxCount || length + cost > limits.maxLength)) {
      chunks.push(current);
      current = [];
      length = fixedOverhead;
    }
    current.push(key);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function encodedLength(text: string): number {
  return encodeURIComponent(text).length;
}
