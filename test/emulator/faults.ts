import { z } from 'zod';
import { SeededRandom } from './random.js';

/**
 * A fault rule as `POST /_emulator/faults` accepts it. The next `count` requests whose raw path starts with
 * `match` (and whose method is `method`, when given) wait `delayMs`, then either lose their connection (`reset`),
 * get `status` with `body`, or, when neither is set, are served normally after the delay. With `bodyDelayMs`,
 * the response's headers and first half go out at once and the rest only after that pause.
 */
export const faultRuleSchema = z.strictObject({
  match: z.string().startsWith('/'),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/)
    .transform((method) => method.toUpperCase())
    .optional(),
  status: z.number().int().min(100).max(599).optional(),
  /** Value of the Retry-After header, in seconds or as an HTTP date. */
  retryAfter: z.union([z.string(), z.number()]).transform(String).optional(),
  delayMs: z.number().int().min(0).max(600_000).default(0),
  bodyDelayMs: z.number().int().min(0).max(600_000).default(0),
  reset: z.boolean().default(false),
  body: z.string().optional(),
  /** Content type of `body`; application/json when absent. */
  contentType: z.string().optional(),
  count: z.number().int().min(1).default(1),
});

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema>;

/** Fault rules in the order they were added; the first matching rule is used and spent. */
export class FaultStore {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }

  /** Returns the first rule matching the request and uses up one of its `count`, removing it at zero. */
  take(method: string, rawPath: string): FaultRule | undefined {
    const index = this.rules.findIndex(
      (rule) => rawPath.startsWith(rule.match) && (rule.method === undefined || rule.method === method.toUpperCase()),
    );
    const rule = this.rules[index];
    if (!rule) {
      return undefined;
    }
    rule.count -= 1;
    if (rule.count <= 0) {
      this.rules.splice(index, 1);
    }
    return { ...rule };
  }
}

/** Kinds of fault that {@link RandomFaults} injects. */
export const RANDOM_FAULT_KINDS = ['http503', 'http429', 'reset'] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

const RANDOM_FAULT_RULES: Record<RandomFaultKind, FaultRule> = {
  http503: faultRuleSchema.parse({ match: '/', status: 503 }),
  // One second is the shortest wait a Retry-After in whole seconds can ask for.
  http429: faultRuleSchema.parse({ match: '/', status: 429, retryAfter: '1' }),
  reset: faultRuleSchema.parse({ match: '/', reset: true }),
};

/** Requests {@link RandomFaults} has decided on, and the faults it injected among them, by kind. */
export type RandomFaultCounts = Record<'requests' | RandomFaultKind, number>;

/**
 * Fails a share of requests at random with a 503, a 429 with `Retry-After: 1` or a connection reset, in equal
 * parts. The generator is seeded, so a run with the same seed and the same order of requests fails the same ones.
 */
export class RandomFaults {
  private readonly random: SeededRandom;
  private readonly tally: RandomFaultCounts = { requests: 0, http503: 0, http429: 0, reset: 0 };

  constructor(
    private readonly rate: number,
    seed: number,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`faultRate must be between 0 and 1; got ${rate}.`);
    this.random = new SeededRandom(seed);
  }

  /** Returns a fault rule for the next request, or undefined when it is to be served normally. */
  next(): FaultRule | undefined {
    this.tally.requests += 1;
    if (this.rate === 0 || !this.random.chance(this.rate)) return undefined;
    const kind = this.random.pick(RANDOM_FAULT_KINDS);
    this.tally[kind] += 1;
    return { ...RANDOM_FAULT_RULES[kind] };
  }

  counts(): RandomFaultCounts {
    return { ...this.tally };
  }
}
