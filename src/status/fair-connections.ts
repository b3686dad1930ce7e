// A fair share of a socket's connections. Node cannot tell us a unix socket peer's uid
// (SO_PEERCRED), so fairness is per connection: when the socket is full, a connection that has
// waited at least 100 ms without a request being answered (a slowloris dribbling headers, one
// that sends nothing, an idle keep-alive) is the first to go, oldest first. A real client sends its
// request at once and is answered in milliseconds, so it is never the one evicted. A connection
// younger than that is never cut (its request may be on the way), and neither is one being
// answered: when no connection may be cut, the newcomer is refused.
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

/**
 * A connection this young may still be sending its request: never evicted. A real client's request
 * arrives within milliseconds; kept short so that, under a flood of connections cut and reopened, the
 * pool does not stay too young to evict and refuse every newcomer, real clients included.
 */
const MIN_AGE_MS = 100;

// Map iteration order is insertion order: the first waiting entry is the oldest.
function evictOldestWaiting(open: Map<Socket, Tracked>, counters: FairnessCounters): boolean {
  const now = performance.now();
  for (const [socket, tracked] of open) {
    if (now - tracked.openedAt < MIN_AGE_MS) return false;
    if (tracked.answering > 0) continue;
    open.delete(socket);
    socket.destroy();
    counters.evicted++;
    return true;
  }
  return false;
}
