/**
 * Seeded pseudo-random numbers for the sample tenant. The same seed always yields the same records, so tests and
 * benchmarks can name products, orders and customers by the values they will find.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Any integer works as a seed; the state is kept as an unsigned 32-bit value.
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1), using the mulberry32 generator (public domain, 32-bit state). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [minimum, maximum], both ends included. */
  integer(minimum: number, maximum: number): number {
    return minimum + Math.floor(this.next() * (maximum - minimum + 1));
  }

  /** Returns true with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[Math.floor(this.next() * values.length)];
    if (value === undefined) {
      throw new Error('pick() needs a non-empty array');
    }
    return value;
  }

  /** Returns `count` distinct elements of `values` in random order, or all of them when there are fewer. */
  sample<T>(values: readonly T[], count: number): T[] {
    const copy = [...values];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy.slice(0, count);
  }

  /** Returns a lowercase hexadecimal string of the given length, the form of Kibo's order, cart and user ids. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) {
      text += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    }
    return text.slice(0, length);
  }

  /** Returns a money amount in [minimum, maximum] rounded to cents. */
  money(minimum: number, maximum: number): number {
    return roundMoney(minimum + this.next() * (maximum - minimum));
  }
}

/** Rounds to cents, so that sums of generated amounts stay exact to two decimals. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}
