import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../envelope.js';
import { priceLine } from '../generate-orders.js';
import type { KiboCartItem } from '../types.js';
import { parseBody, type EmulatorContext } from './context.js';

/** Kibo requires `product.productCode` of a new cart item; a missing quantity is taken as 1. */
const cartItemSchema = z.looseObject({
  product: z.looseObject({ productCode: z.string().min(1) }),
  quantity: z.number().int().min(1).default(1),
});

/**
 * Registers `POST /api/commerce/carts/current/items`, Kibo's add-to-cart call, which returns the new cart item.
 * It is the emulator's one write, so tests can show that the gateway never sends a write twice.
 * NOTE: Kibo finds the current shopper from user claims, which the emulator does not check, so every item goes
 * to one anonymous cart in `context.currentCartItems`.
 */
export function registerCartItemRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.post('/api/commerce/carts/current/items', async (request) => {
    const input = parseBody(cartItemSchema, request.body);
    const productCode = input.product.productCode;
    const product = context.data.products.find((candidate) => candidate.productCode === productCode);
    if (product === undefined) {
      throw notFound('product', productCode);
    }

    const item: KiboCartItem = {
      id: randomBytes(16).toString('hex'),
      lineId: context.currentCartItems.length + 1,
      quantity: input.quantity,
      fulfillmentMethod: 'Ship',
      product: {
        productCode,
        name: product.content?.productName ?? null,
        upc: product.upc ?? null,
        productUsage: product.productUsage ?? null,
        price: { price: product.price?.price ?? 0, salePrice: product.price?.salePrice ?? null },
      },
      ...priceLine(product, input.quantity, new Date().toISOString()),
    };
    context.currentCartItems.push(item);
    return item;
  });
}
