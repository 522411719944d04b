import type { FastifyInstance } from 'fastify';
import { invalidParameter, notFound } from '../envelope.js';
import type { EmulatorContext } from './context.js';

/** Parses an integer path parameter such as a tenant or account id, or throws a 400 `MISSING_OR_INVALID_PARAMETER`. */
export function parseIntegerId(name: string, text: string): number {
  if (!/^-?\d{1,10}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidParameter(name, `must be an integer, got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

/** Registers `GET /api/platform/tenants/{tenantId}`, with the emulator's own `host:port` as every `domain`. */
export function registerTenantRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get<{ Params: { tenantId: string } }>('/api/platform/tenants/:tenantId', async (request) => {
    const tenantId = parseIntegerId('tenantId', request.params.tenantId);
    const tenant = context.data.tenant;
    if (tenantId !== tenant.id) {
      throw notFound('tenant', tenantId);
    }
    return {
      ...tenant,
      domain: context.domain,
      sites: (tenant.sites ?? []).map((site) => ({ ...site, domain: context.domain })),
    };
  });
}
