import type { GatewayConfig } from '../config.js';
import { BadUserInputError } from '../errors.js';
import { and, cont, eq, ge, inList, le, sw } from '../kibo/filter.js';
import type {
  CustomerFilter,
  CustomerSort,
  OrderFilter,
  OrderSort,
  ProductFilter,
  ProductSort,
  SortDirection,
} from '../generated/graphql.js';
import { MAX_PAGE_SIZE } from './connection.js';
import { parseIntegerId } from './common.js';

/*
 * Translations of the typed GraphQL filter and sort inputs into Kibo `filter` and `sortBy` expressions. Values
 * go through the filter builder, which escapes them; no client string becomes part of an expression as is.
 */

type FilterOptions = { inForm: boolean };

/** Result of a filter whose list of wanted values is empty: no record can match, so no call is needed. */
export const MATCHES_NOTHING = Symbol('matches nothing');

export type FilterExpression = string | undefined | typeof MATCHES_NOTHING;

function filterOptions(config: GatewayConfig): FilterOptions {
  return { inForm: config.kibo.filterInLists };
}

function checkListSize(values: readonly unknown[], field: string): void {
  if (values.length > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`"${field}" accepts at most ${MAX_PAGE_SIZE} values; got ${values.length}.`, field);
  }
}

export function productFilterExpression(filter: ProductFilter | null | undefined, config: GatewayConfig): FilterExpression {
  if (!filter) return undefined;
  const codes = filter.productCodes ?? undefined;
  if (codes) checkListSize(codes, 'filter.productCodes');
  if (codes?.length === 0) return MATCHES_NOTHING;
  return and(
    codes ? inList('productCode', codes, filterOptions(config)) : undefined,
    filter.productCodeStartsWith ? sw('productCode', filter.productCodeStartsWith) : undefined,
    filter.nameContains ? cont('content.productName', filter.nameContains) : undefined,
    filter.productUsage ? eq('productUsage', filter.productUsage) : undefined,
  );
}

export function orderFilterExpression(filter: OrderFilter | null | undefined, config: GatewayConfig): FilterExpression {
  if (!filter) return undefined;
  const statuses = filter.statuses ?? undefined;
  if (statuses) checkListSize(statuses, 'filter.statuses');
  if (statuses?.length === 0) return MATCHES_NOTHING;
  return and(
    statuses ? inList('status', statuses, filterOptions(config)) : undefined,
    filter.paymentStatus ? eq('paymentStatus', filter.paymentStatus) : undefined,
    filter.fulfillmentStatus ? eq('fulfillmentStatus', filter.fulfillmentStatus) : undefined,
    filter.customerAccountId !== null && filter.customerAccountId !== undefined
      ? eq('customerAccountId', requireIntegerId(filter.customerAccountId, 'filter.customerAccountId'))
      : undefined,
    filter.email ? eq('email', filter.email) : undefined,
    filter.orderNumber !== null && filter.orderNumber !== undefined ? eq('orderNumber', filter.orderNumber) : undefined,
    filter.submittedAfter ? ge('submittedDate', filter.submittedAfter) : undefined,
    filter.submittedBefore ? le('submittedDate', filter.submittedBefore) : undefined,
  );
}

export function customerFilterExpression(filter: CustomerFilter | null | undefined, config: GatewayConfig): FilterExpression {
  if (!filter) return undefined;
  const ids = filter.ids ? filter.ids.map((id) => requireIntegerId(id, 'filter.ids')) : undefined;
  if (ids) checkListSize(ids, 'filter.ids');
  if (ids?.length === 0) return MATCHES_NOTHING;
  return and(
    ids ? inList('id', ids, filterOptions(config)) : undefined,
    filter.emailAddress ? eq('emailAddress', filter.emailAddress) : undefined,
    filter.userId ? eq('userId', filter.userId) : undefined,
    filter.firstName ? eq('firstName', filter.firstName) : undefined,
    filter.lastName ? eq('lastName', filter.lastName) : undefined,
    filter.lastNameStartsWith ? sw('lastName', filter.lastNameStartsWith) : undefined,
    filter.isActive !== null && filter.isActive !== undefined ? eq('isActive', filter.isActive) : undefined,
  );
}

const PRODUCT_SORT_FIELDS = { PRODUCT_CODE: 'productCode', NAME: 'content.productName' } as const;
const ORDER_SORT_FIELDS = { ORDER_NUMBER: 'orderNumber', SUBMITTED_AT: 'submittedDate', TOTAL: 'total' } as const;
const CUSTOMER_SORT_FIELDS = { ID: 'id', EMAIL_ADDRESS: 'emailAddress', LAST_NAME: 'lastName' } as const;

export function productSortExpression(sort: ProductSort | null | undefined): string | undefined {
  return sort ? sortExpression(PRODUCT_SORT_FIELDS[sort.field], sort.direction) : undefined;
}

export function orderSortExpression(sort: OrderSort | null | undefined): string | undefined {
  return sort ? sortExpression(ORDER_SORT_FIELDS[sort.field], sort.direction) : undefined;
}

export function customerSortExpression(sort: CustomerSort | null | undefined): string | undefined {
  return sort ? sortExpression(CUSTOMER_SORT_FIELDS[sort.field], sort.direction) : undefined;
}

function sortExpression(field: string, direction: SortDirection | null | undefined): string {
  return `${field} ${direction === 'DESC' ? 'desc' : 'asc'}`;
}

/**
 * Parses an id that Kibo types as an integer.
 * @throws BadUserInputError naming the field when the id is not a positive integer.
 */
export function requireIntegerId(id: string | number, field: string): number {
  const value = parseIntegerId(id);
  if (value === undefined) throw new BadUserInputError(`"${field}" must be a positive integer id; got "${id}".`, field);
  return value;
}

