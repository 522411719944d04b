import type { FastifyInstance } from 'fastify';
import { listRecords, normalizeQuery } from '../listing.js';
import { findRecord, type EmulatorContext } from './context.js';

const ORDER_SEARCH_PATHS = [['orderNumber'], ['email'], ['id']];

/** Registers the order list and lookups of orders, carts and a shopper's cart. */
export function registerCommerceRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/api/commerce/orders', async (request) =>
    listRecords(context.data.orders, normalizeQuery(request.query), ORDER_SEARCH_PATHS),
  );

  app.get<{ Params: { orderId: string } }>('/api/commerce/orders/:orderId', async (request) =>
    findRecord(context.data.orders, 'order', request.params.orderId, (order) => order.id),
  );

  app.get<{ Params: { cartId: string } }>('/api/commerce/carts/:cartId', async (request) =>
    findRecord(context.data.carts, 'cart', request.params.cartId, (cart) => cart.id),
  );

  // A user without a cart gets 404 here; only the POST form of this path (not emulated) creates one.
  app.get<{ Params: { userId: string } }>('/api/commerce/carts/user/:userId', async (request) =>
    findRecord(context.data.carts, 'cart for user', request.params.userId, (cart) => cart.userId),
  );
}
