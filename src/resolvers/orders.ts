import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { BadUserInputError } from '../errors.js';
import type { Resolvers } from '../generated/graphql.js';
import type { KiboOrder } from '../kibo/models.js';
import { presentKey, requireFound, toMoney, totalsResolvers } from './common.js';
import { resolveConnection } from './connection.js';
import { orderFilterExpression, orderSortExpression } from './filters.js';
import { selectedSubfields, subfieldArgument } from './lookahead.js';
import type { Loaders } from '../loaders/index.js';

export const orderResolvers: Resolvers = {
  Query: {
    orders: async (_root, args, context) => {
      const filter = orderFilterExpression(args.filter, context.config);
      const sortBy = orderSortExpression(args.sort);
      const { api } = await context.commerce();
      return resolveConnection(args, filter, (page) => api.orders.list({ ...page, sortBy, q: presentKey(args.search) }));
    },
    order: async (_root, { id }, context) => {
      const orderId = presentKey(id);
      if (!orderId) throw new BadUserInputError('"id" must not be empty.', 'id');
      const { api } = await context.commerce();
      return requireFound(await api.orders.get(orderId), `No order has the id "${orderId}".`);
    },
  },
  Order: {
    id: (order) => order.id ?? '',
    ...totalsResolvers<KiboOrder>(),
    submittedAt: (order) => order.submittedDate ?? null,
    acceptedAt: (order) => order.acceptedDate ?? null,
    closedAt: (order) => order.closedDate ?? null,
    cancelledAt: (order) => order.cancelledDate ?? null,
    createdAt: (order) => order.auditInfo?.createDate ?? null,
    updatedAt: (order) => order.auditInfo?.updateDate ?? null,
    items: (order) => (order.items ?? []).map((item) => ({ item, currencyCode: order.currencyCode })),
    customerAccountId: (order) => order.customerAccountId ?? null,
    customer: async (order, _args, context) => {
      const id = order.customerAccountId;
      if (id === null || id === undefined) return null;
      const { loaders } = await context.commerce();
      return requireFound(await loaders.customers.load(id), `No customer account has the id ${id}.`);
    },
  },
  LineItem: {
    id: ({ item }) => item.id ?? null,
    lineId: ({ item }) => item.lineId ?? null,
    quantity: ({ item }) => item.quantity ?? 0,
    productCode: ({ item }) => item.product?.productCode ?? null,
    variationProductCode: ({ item }) => item.product?.variationProductCode ?? null,
    name: ({ item }) => item.product?.name ?? null,
    unitPrice: ({ item, currencyCode }) => {
      const price = item.unitPrice;
      return toMoney(price?.overrideAmount ?? price?.saleAmount ?? price?.listAmount, currencyCode);
    },
    subtotal: ({ item, currencyCode }) => toMoney(item.subtotal, currencyCode),
    total: ({ item, currencyCode }) => toMoney(item.total, currencyCode),
    product: async ({ item }, _args, context, info) => {
      const productCode = presentKey(item.product?.productCode);
      if (!productCode) return null;
      const { loaders } = await context.commerce();
      if (context.config.batching) prefetchInventory(info, productCode, loaders);
      return requireFound(await loaders.products.load(productCode), `No product has the code "${productCode}".`);
    },
  },
};

/**
 * Starts the stock lookup of a line's product together with the product lookup when the query selects
 * `product { inventory }`. The stock needs only the product code, which the line already has, so both share one
 * round trip instead of following each other. The loader caches the result for `Product.inventory`, and a
 * failure surfaces there, so this call ignores its own result. Without batching the loader caches nothing, so
 * the caller skips it.
 */
function prefetchInventory(info: GraphQLResolveInfo, productCode: string, loaders: Loaders): void {
  const inventoryField = (info.schema.getType('Product') as GraphQLObjectType).getFields().inventory;
  const locationsType = inventoryField?.args.find((argument) => argument.name === 'locationCodes')?.type;
  if (!locationsType) return;
  for (const node of selectedSubfields(info, 'inventory')) {
    const locationCodes = subfieldArgument(info, node, 'locationCodes', locationsType) as string[] | null | undefined;
    loaders.inventory.load({ productCode, locationCodes: locationCodes ?? undefined }).catch(() => undefined);
  }
}
