import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How the emulator keeps idle connections open. */
export interface KeepAliveOptions {
  /**
   * Idle time in milliseconds after which a kept-alive connection is closed, exactly then. Node's own
   * `keepAliveTimeout` closes a while after the time it announces, so it cannot stand in for a stricter server.
   */
  idleTimeoutMs?: number | undefined;
  /** Whether responses announce the idle time as `Keep-Alive: timeout=N`; default true. */
  announce?: boolean | undefined;
}

/** Counts of the emulator's connections. */
export interface ConnectionTracker {
  /** Number of TCP connections accepted since start. */
  accepted(): number;
}

/** Counts connections and, with `idleTimeoutMs`, closes each one once it has been idle that long. */
export function trackConnections(server: Server, options: KeepAliveOptions): ConnectionTracker {
  let accepted = 0;
  const idleTimers = new WeakMap<Socket, NodeJS.Timeout>();
  const idleTimeoutMs = options.idleTimeoutMs;

  const stopIdleTimer = (socket: Socket) => {
    clearTimeout(idleTimers.get(socket));
    idleTimers.delete(socket);
  };
  const startIdleTimer = (socket: Socket) => {
    if (idleTimeoutMs === undefined || socket.destroyed) {
      return;
    }
    stopIdleTimer(socket);
    const timer = setTimeout(() => socket.destroy(), idleTimeoutMs);
    timer.unref();
    idleTimers.set(socket, timer);
  };

  if (idleTimeoutMs !== undefined) {
    // Node announces `timeout=<whole seconds>` from this value.
    server.keepAliveTimeout = idleTimeoutMs;
  }
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    startIdleTimer(socket);
    socket.once('close', () => stopIdleTimer(socket));
  });
  server.on('request', (request, response) => {
    stopIdleTimer(request.socket);
    if (options.announce === false && request.headers.connection?.toLowerCase() !== 'close') {
      // Node writes no Keep-Alive header when the response sets Connection itself.
      response.setHeader('connection', 'keep-alive');
    }
    response.once('finish', () => startIdleTimer(request.socket));
  });

  return { accepted: () => accepted };
}
