import type { Resolvers } from '../generated/graphql.js';
import { cartResolvers } from './carts.js';
import { credentialResolvers } from './credentials.js';
import { customerResolvers } from './customers.js';
import { inventoryResolvers } from './inventory.js';
import { orderResolvers } from './orders.js';
import { productResolvers } from './products.js';
import { DateTimeScalar } from './scalars.js';

const domainResolvers: Resolvers[] = [
  productResolvers,
  orderResolvers,
  cartResolvers,
  customerResolvers,
  inventoryResolvers,
  credentialResolvers,
];

/** Combines the resolvers of every domain; each domain owns distinct type and root-field names. */
export function createResolvers(extra: Resolvers[] = []): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const resolvers of [...domainResolvers, ...extra]) {
    for (const [typeName, fields] of Object.entries(resolvers)) {
      merged[typeName] = { ...merged[typeName], ...(fields as Record<string, unknown>) };
    }
  }
  return {
    ...(merged as Resolvers),
    DateTime: DateTimeScalar,
    Query: { ...merged.Query, ping: () => true },
  } as Resolvers;
}
