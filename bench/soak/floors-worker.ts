// The floors, on a worker thread: they need nothing from the runs, so `npm run soak` computes them
// on the second core while the runs use the first (the year under 10 minutes on 2 cores).
import { parentPort, workerData } from "node:worker_threads";
import { floors } from "./figures.js";

const labels = (workerData as { labels: string[] }).labels;
parentPort?.postMessage(await floors(labels));
