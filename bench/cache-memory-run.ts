// `node dist/bench/cache-memory-run.js [counts…]`: the cache-memory table alone (docs/benchmarks.md).
import { formatCacheMemory, measureCacheMemory } from "./cost/cache-memory.js";

const counts = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
console.log(formatCacheMemory(await measureCacheMemory(counts.length > 0 ? counts : [500, 5_000, 20_000])));
