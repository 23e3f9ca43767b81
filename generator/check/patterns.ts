// A field's `pattern`, as the generated code uses it: compiled, checked for catastrophic
// backtracking, and sampled for the mock. Each answer is cached per pattern, so a large spec tree
// pays for each distinct pattern once.
import type FastCheck from "fast-check";
import { createRequire } from "node:module";
import type { Diagnostics, checkSync as CheckSync } from "recheck";
import type { Field } from "../ir/types.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";

/** The flags of every generated `new RegExp(pattern, …)` (validators, and check-value's example checks). */
export const PATTERN_FLAGS = "u";

const compiled = new Map<string, RegExp | string>();

/** The compiled pattern, or the engine's reason it is not a regular expression. */
export function compilePattern(pattern: string): RegExp | string {
  let result = compiled.get(pattern);
  if (result === undefined) {
    try {
      result = new RegExp(pattern, PATTERN_FLAGS);
    } catch (e) {
      // "Invalid regular expression: /[a-(/u: Range out of order in character class" → the reason.
      result = String((e as Error).message).replace(/^Invalid regular expression: \/.*\/\w*: /s, "");
    }
    compiled.set(pattern, result);
  }
  return result;
}

export type Safety =
  | { safe: true }
  | { safe: false; complexity: "exponential" | "polynomial"; attack?: string }
  | { safe: false; complexity: "unknown"; reason: string };

/**
 * recheck's verdict, made deterministic: its wall-clock timeouts are off (a slow machine must not
 * change the answer) and its fuzzer is seeded and bounded by step counts instead. Bounded
 * repetitions up to {,100} stay in the exact automaton checker, which decides most patterns in
 * milliseconds; the fuzzer only sees lookarounds and backreferences.
 */
const RECHECK_PARAMS = {
  timeout: null,
  attackTimeout: null,
  incubationTimeout: null,
  seedingTimeout: null,
  randomSeed: 0,
  maxRepeatCount: 100,
  maxSimpleRepeatCount: 100,
  attackLimit: 10_000_000,
  incubationLimit: 10_000,
  seedingLimit: 100,
  maxIteration: 3,
  maxGenerationSize: 50,
  maxInitialGenerationSize: 100,
} as const;

let recheck: typeof CheckSync | undefined;

/** recheck, loaded on the first pattern (it is large), with its pure-JavaScript backend in this
 * thread: no Java, no native binary, no worker. */
function loadRecheck(): typeof CheckSync {
  if (!recheck) {
    process.env.RECHECK_SYNC_BACKEND ??= "pure";
    recheck = (createRequire(import.meta.url)("recheck") as { checkSync: typeof CheckSync }).checkSync;
  }
  return recheck;
}

const safety = new Map<string, Safety>();

/** Whether matching the pattern can take super-linear time (ReDoS), by recheck. */
export function patternSafety(pattern: string): Safety {
  let result = safety.get(pattern);
  if (result === undefined) {
    const d: Diagnostics = loadRecheck()(pattern, PATTERN_FLAGS, RECHECK_PARAMS);
    if (d.status === "safe") result = { safe: true };
    else if (d.status === "vulnerable") {
      const attack = d.attack.pattern;
      result = { safe: false, complexity: d.complexity.type === "exponential" ? "exponential" : "polynomial", ...(attack ? { attack } : {}) };
    } else result = { safe: false, complexity: "unknown", reason: d.error.kind === "invalid" ? d.error.message : d.error.kind };
    safety.set(pattern, result);
  }
  return result;
}

let fastCheck: typeof FastCheck | undefined;

/** fast-check, loaded on the first pattern sampled: a run whose specs all come from the cache never needs it. */
function loadFastCheck(): typeof FastCheck {
  return (fastCheck ??= createRequire(import.meta.url)("fast-check") as typeof FastCheck);
}

const samples = new Map<string, string[]>();

/**
 * Distinct strings that match the pattern (as the validators test it, anywhere in the
 * string) within the length bounds, drawn with a fixed seed: the same spec gives the same mock.
 * Empty when none could be drawn (fast-check cannot generate backreferences, lookarounds or `\b`).
 */
export function patternSamples(pattern: string, minLength = 0, maxLength = Infinity): string[] {
  const key = JSON.stringify([pattern, minLength, maxLength]);
  let result = samples.get(key);
  if (result === undefined) {
    result = [];
    const re = compilePattern(pattern);
    if (typeof re !== "string") {
      let drawn: string[] = [];
      try {
        const fc = loadFastCheck();
        drawn = fc.sample(fc.stringMatching(re), { seed: 7, numRuns: 64 });
      } catch {
        // a construct fast-check does not generate
      }
      // Lengths in UTF-16 units, as the validators count them.
      for (const s of drawn) if (!result.includes(s) && s.length >= minLength && s.length <= maxLength && re.test(s)) result.push(s);
    }
    samples.set(key, result);
  }
  return result;
}

/** Values the mock can draw for a string field with a pattern: samples that also pass its format. */
export function fieldSamples(f: Field): string[] {
  const { pattern, minLength, maxLength, format } = f.constraints;
  if (pattern === undefined) return [];
  const check = format && format !== "unix-time" ? FORMATS[format] : undefined;
  return patternSamples(pattern, minLength, maxLength)
    .filter((s) => !check || check(s))
    .slice(0, 8);
}
