// A fair share of a socket's connections. Node cannot tell us a unix socket peer's uid
// (SO_PEERCRED), so fairness is per connection: a connection that has not yet sent a whole request
// (a slowloris dribbling headers, or one that sends nothing) is the first to go when the socket is
// full. A real client sends its request at once, is answered in milliseconds and is never evicted;
// 500 slow connections only evict each other. Connections with a request being answered are never
// cut, so when all of them are busy the newcomer is the one refused.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

interface Tracked {
  openedAt: number;
  /** Requests of this connection being answered now. */
  answering: number;
}

/** Counts for the logs and tests: evicted waiting connections, refused newcomers. */
export interface FairnessCounters {
  evicted: number;
  refused: number;
}

/** Cap `server` at `maxConnections`, evicting the oldest connection that is not being answered. */
export function shareConnectionsFairly(server: Server, maxConnections: number): FairnessCounters {
  const open = new Map<Socket, Tracked>();
  const counters: FairnessCounters = { evicted: 0, refused: 0 };
  server.on("connection", (socket: Socket) => {
    if (open.size >= maxConnections && !evictOldestWaiting(open, counters)) {
      counters.refused++;
      socket.destroy();
      return;
    }
    open.set(socket, { openedAt: performance.now(), answering: 0 });
    socket.once("close", () => open.delete(socket));
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const tracked = open.get(request.socket);
    if (!tracked) return;
    tracked.answering++;
    response.once("close", () => (tracked.answering = Math.max(0, tracked.answering - 1)));
  });
  return counters;
}

// Map iteration order is insertion order: the first waiting entry is the oldest.
function evictOldestWaiting(open: Map<Socket, Tracked>, counters: FairnessCounters): boolean {
  for (const [socket, tracked] of open) {
    if (tracked.answering > 0) continue;
    open.delete(socket);
    socket.destroy();
    counters.evicted++;
    return true;
  }
  return false;
}
