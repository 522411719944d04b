import type { FastifyInstance } from 'fastify';
import { listRecords, normalizeQuery } from '../listing.js';
import { findRecord, type EmulatorContext } from './context.js';
import { parseIntegerId } from './tenant.js';

const CUSTOMER_SEARCH_PATHS = [['firstName'], ['lastName'], ['emailAddress'], ['userName'], ['companyOrOrganization']];

/** Registers the customer account list and the lookup by integer account id. */
export function registerCustomerRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/api/commerce/customer/accounts', async (request) =>
    listRecords(context.data.customers, normalizeQuery(request.query), CUSTOMER_SEARCH_PATHS),
  );

  app.get<{ Params: { accountId: string } }>('/api/commerce/customer/accounts/:accountId', async (request) => {
    const accountId = parseIntegerId('accountId', request.params.accountId);
    return findRecord(context.data.customers, 'customer account', accountId, (customer) => customer.id);
  });
}
