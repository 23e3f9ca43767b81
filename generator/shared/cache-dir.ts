// The generator's own cache folder (git-ignored): its bundle and code caches (bin/precompiled.js),
// the compiled spec-format validators, the fingerprint record and, by default, the units.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const GENERATOR_CACHE_DIR = path.join(fileURLToPath(new URL("../../", import.meta.url)), "node_modules", ".cache", "rtc-apigen");
