import type { FastifyInstance } from 'fastify';
import { faultRuleSchema } from '../faults.js';
import { parseBody, type EmulatorContext } from './context.js';

/**
 * Registers the emulator's own routes under `/_emulator`: the request log and fault rules. They need no token
 * and are left out of the request log.
 */
export function registerControlRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/_emulator/requests', async () => context.requestLog.entries());

  app.delete('/_emulator/requests', async (_request, reply) => {
    context.requestLog.clear();
    return reply.code(204).send();
  });

  app.get('/_emulator/faults', async () => context.faults.list());

  app.post('/_emulator/faults', async (request, reply) => {
    const rule = parseBody(faultRuleSchema, request.body);
    context.faults.add(rule);
    return reply.code(201).send(rule);
  });

  app.delete('/_emulator/faults', async (_request, reply) => {
    context.faults.clear();
    return reply.code(204).send();
  });
}
