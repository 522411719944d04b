import { NotFoundError } from '../errors.js';
import type { Money } from '../generated/graphql.js';

/** Returns a Money value, or null when Kibo sent no amount or no currency for it. */
export function toMoney(amount: number | null | undefined, currencyCode: string | null | undefined): Money | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || !currencyCode) return null;
  return { amount, currencyCode };
}

/** Parses a GraphQL ID that Kibo types as an integer. Returns undefined for anything else. */
export function parseIntegerId(id: string | number): number | undefined {
  const text = String(id).trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Returns the value when it is a non-empty string, else undefined: empty keys make no upstream call. */
export function presentKey(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Returns the record, or throws NOT_FOUND so that the field is null with an error at its path while its
 * siblings still resolve.
 */
export function requireFound<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new NotFoundError(message);
  return value;
}

/** Kibo's numeric totals of an order or cart, which share the record's currency. */
interface KiboTotals {
  subtotal?: number | null;
  discountTotal?: number | null;
  shippingTotal?: number | null;
  taxTotal?: number | null;
  total?: number | null;
  currencyCode?: string | null;
}

/** Resolvers of the Money totals that orders and carts share. */
export function totalsResolvers<Record extends KiboTotals>() {
  return {
    subtotal: (record: Record) => toMoney(record.subtotal, record.currencyCode),
    discountTotal: (record: Record) => toMoney(record.discountTotal, record.currencyCode),
    shippingTotal: (record: Record) => toMoney(record.shippingTotal, record.currencyCode),
    taxTotal: (record: Record) => toMoney(record.taxTotal, record.currencyCode),
    total: (record: Record) => toMoney(record.total, record.currencyCode),
  };
}
