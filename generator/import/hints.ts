// What the metadata cannot say but its texts hint at: time windows. Each becomes a
// `# TODO(import):` comment for the maintainer, never a spec key, because each needs a decision.

/** Phrases in the action's texts that read like a time window ("1小时内", "last 14 days"). */
export function timeWindowPhrases(texts: ReadonlyArray<string | undefined>): string[] {
  const found = new Set<string>();
  for (const t of texts)
    for (const m of (t ?? "").matchAll(/\d+\s*(?:天|小时|分钟|秒)(?:内|以内)|(?:last|within|past)\s+(?:one|\d+)\s+(?:days?|hours?|minutes?)/gi))
      found.add(m[0]);
  return [...found].sort();
}
