import type { Resolvers } from '../generated/graphql.js';
import { presentKey, requireFound } from './common.js';
import { readPageArguments, resolveConnection, toConnection } from './connection.js';
import { customerFilterExpression, customerSortExpression, orderSortExpression, requireIntegerId } from './filters.js';

/** Order of `Customer.orders` when the query gives no sort: newest first. */
const DEFAULT_CUSTOMER_ORDERS_SORT = 'submittedDate desc';

export const customerResolvers: Resolvers = {
  Query: {
    customers: async (_root, args, context) => {
      const filter = customerFilterExpression(args.filter, context.config);
      const sortBy = customerSortExpression(args.sort);
      const { api } = await context.commerce();
      return resolveConnection(args, filter, (page) =>
        api.customers.list({ ...page, sortBy, q: presentKey(args.search) }),
      );
    },
    customer: async (_root, { id }, context) => {
      const accountId = requireIntegerId(id, 'id');
      const { loaders } = await context.commerce();
      return requireFound(await loaders.customers.load(accountId), `No customer account has the id ${accountId}.`);
    },
  },
  Customer: {
    id: (customer) => customer.id ?? 0,
    contacts: (customer) => customer.contacts ?? [],
    createdAt: (customer) => customer.auditInfo?.createDate ?? null,
    updatedAt: (customer) => customer.auditInfo?.updateDate ?? null,
    orders: async (customer, args, context) => {
      const request = readPageArguments(args.first, args.after);
      const { loaders } = await context.commerce();
      const page = await loaders.customerOrders.load({
        customerAccountId: customer.id ?? 0,
        startIndex: request.startIndex,
        pageSize: request.pageSize,
        sortBy: orderSortExpression(args.sort) ?? DEFAULT_CUSTOMER_ORDERS_SORT,
      });
      return toConnection(page, request);
    },
    cart: async (customer, _args, context) => {
      const userId = presentKey(customer.userId);
      if (!userId) return null;
      const { loaders } = await context.commerce();
      return loaders.userCarts.load(userId);
    },
  },
  CustomerContact: {
    lastName: (contact) => contact.lastNameOrSurname ?? null,
    types: (contact) => contact.types ?? [],
  },
};
