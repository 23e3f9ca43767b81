// The worker's entry when the generator runs from its sources (through tsx); the precompiled
// generator's worker calls checkWorkerMain itself (bin/precompiled.js).
import { checkWorkerMain } from "./check-worker-main.js";

await checkWorkerMain();
