import type { FastifyInstance } from 'fastify';
import type { Logger } from './logger.js';

/** Shutdown of the HTTP server: requests in flight finish, and connections without one close at once. */
export interface Drain {
  /**
   * Closes the server and resolves once every connection is closed. Connections still open after `graceMs`
   * are closed by force, which aborts their requests.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * Adds the hooks that let `app.close()` finish as soon as the requests in flight are done. Node's server.close()
 * waits for every connection. The idle connections it closes at once (Node 20) do not include kept-alive ones
 * that become idle later, nor ones that have not sent a request yet, and either would hold the shutdown until
 * its client drops it.
 */
export function registerDrain(app: FastifyInstance, logger: Logger): Drain {
  let openRequests = 0;
  let closing = false;

  // With no request in flight, every connection left is idle or has not sent a request yet.
  const closeUnusedConnections = () => {
    if (closing && openRequests === 0) app.server.closeAllConnections();
  };

  app.addHook('onRequest', async (_request, reply) => {
    openRequests += 1;
    reply.raw.once('close', () => {
      openRequests -= 1;
      closeUnusedConnections();
    });
  });
  // Responses sent while closing end their connection, so clients do not send more requests on it.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('preClose', async () => {
    closing = true;
    // fastify calls server.close() right after this hook, so the check runs once the server has stopped listening.
    setImmediate(closeUnusedConnections);
  });

  return {
    async close(graceMs) {
      const forceClose = setTimeout(() => {
        logger.warn({ openRequests, graceMs }, 'Shutdown grace period ran out; closing the remaining connections');
        app.server.closeAllConnections();
      }, graceMs);
      try {
        await app.close();
      } finally {
        clearTimeout(forceClose);
      }
    },
  };
}
