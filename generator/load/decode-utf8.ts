// Spec files are UTF-8. A byte that is not part of a UTF-8 sequence is an error at its line and
// column, never silently replaced with U+FFFD.

import { isUtf8 } from "node:buffer";

export type Decoded = { text: string } | { text: string; bad: { line: number; col: number; byte: number } };

const LF = 0x0a;

/**
 * The file's text. When it is not valid UTF-8, also where the first bad byte is: the line, and the
 * column counted as the YAML parser counts it (UTF-16 units of the text before it on that line, plus 1).
 * `text` is then the lossy decoding, so the offending line can still be shown.
 */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  // Valid: Buffer's decoding, which keeps a byte-order mark as readFile(…, "utf8") does. (A run
  // after one edit reads every spec; its first fatal TextDecoder alone cost 10 ms of that.)
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8") };
  // Find the line: 0x0A never occurs inside a multi-byte sequence.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let start = 0;
  for (let line = 1; ; line++) {
    const nl = bytes.indexOf(LF, start);
    const end = nl === -1 ? bytes.length : nl;
    const lineBytes = bytes.subarray(start, end);
    const valid = validPrefix(lineBytes);
    if (valid < lineBytes.length) {
      const before = new TextDecoder("utf-8", { ignoreBOM: true }).decode(lineBytes.subarray(0, valid));
      return { text, bad: { line, col: before.length + 1, byte: lineBytes[valid]! } };
    }
    if (nl === -1) return { text }; // unreachable: isUtf8 found a problem somewhere
    start = nl + 1;
  }
}

/** The length of the longest prefix that decodes completely: where the first bad sequence starts. */
function validPrefix(bytes: Uint8Array): number {
  const fatal = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  // The first byte at which a streaming decoder knows the text is bad (or the end, for a cut-off sequence)…
  const stream = fatal();
  let failed = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    try {
      stream.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      failed = i;
      break;
    }
  }
  // …and the bad sequence starts at the last boundary before it.
  for (let j = failed; j > 0; j--) {
    try {
      fatal().decode(bytes.subarray(0, j));
      return j;
    } catch {
      // not a boundary
    }
  }
  return 0;
}
