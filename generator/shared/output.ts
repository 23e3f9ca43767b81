// Where commands print, and progress lines that only a person at a terminal sees.

/** process.stdout/stderr, or a test's sink. */
export interface Output {
  write(text: string): unknown;
}

export const EXIT = { ok: 0, failed: 1, specErrors: 2, usage: 64, internal: 70 } as const;

/** Progress for long runs: shown on an interactive terminal, silent in CI and when piped. */
export function progressTo(err: Output): (message: string) => void {
  const stream = err as Output & { isTTY?: boolean };
  const live = stream === process.stderr && stream.isTTY === true && !process.env.CI;
  return live ? (message) => stream.write(`\u001b[2K\r${message}`) : () => {};
}

/** Clear a progress line before printing results. */
export function endProgress(err: Output): void {
  const stream = err as Output & { isTTY?: boolean };
  if (stream === process.stderr && stream.isTTY === true && !process.env.CI) stream.write("\u001b[2K\r");
}

export class UsageError extends Error {}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
