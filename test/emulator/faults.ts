import { z } from 'zod';

/**
 * A fault rule as `POST /_emulator/faults` accepts it. The next `count` requests whose raw path starts with
 * `match` (and whose method is `method`, when given) wait `delayMs`, then either lose their connection (`reset`),
 * get `status` with `body`, or, when neither is set, are served normally after the delay.
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
