import type { FastifyInstance } from 'fastify';
import { listRecords, normalizeQuery } from '../listing.js';
import { findRecord, type EmulatorContext } from './context.js';

/** Fields the quick search `q` looks in, as a product search box would. */
const PRODUCT_SEARCH_PATHS = [['productCode'], ['content', 'productName'], ['upc']];

/** Registers the catalog admin product list and product lookup. */
export function registerCatalogRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/api/commerce/catalog/admin/products', async (request) =>
    listRecords(context.data.products, normalizeQuery(request.query), PRODUCT_SEARCH_PATHS),
  );

  app.get<{ Params: { productCode: string } }>('/api/commerce/catalog/admin/products/:productCode', async (request) =>
    findRecord(context.data.products, 'product', request.params.productCode, (product) => product.productCode),
  );
}
