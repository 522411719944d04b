import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';

describe('error code registry', () => {
  const documentation = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documentedCodes = new Set([...documentation.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));

  it('documents every code', () => {
    const undocumented = Object.values(ErrorCode).filter((code) => !documentedCodes.has(code));
    expect(undocumented).toEqual([]);
  });

  it('documents no unknown code', () => {
    const known = new Set<string>(Object.values(ErrorCode));
    const unknown = [...documentedCodes].filter((code) => !known.has(code!));
    expect(unknown).toEqual([]);
  });
});
