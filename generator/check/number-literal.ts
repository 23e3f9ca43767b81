// A YAML number as written, exactly: JavaScript has already rounded `123456789012345678901234567890`
// and read `1e309` as Infinity by the time a rule sees the value.

/** A YAML 1.2 core-schema number (`12`, `-1.5e3`, `.5`, `0x1F`, `0o17`) as mantissa × 10^exponent. */
function decompose(text: string): { mantissa: bigint; exponent: number } | undefined {
  const t = text.trim();
  if (/^0x[0-9a-fA-F]+$/.test(t) || /^0o[0-7]+$/.test(t)) return { mantissa: BigInt(t), exponent: 0 };
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(t);
  if (!m || (m[2]! + (m[3] ?? "")).length === 0) return undefined;
  const digits = BigInt(m[2]! + (m[3] ?? ""));
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  return { mantissa: m[1] === "-" ? -digits : digits, exponent };
}

/**
 * The integer a written bound stands for, exactly: a minimum rounds up (`up`), a maximum down.
 * Undefined when `text` is not a number literal, or too large to be finite.
 */
export function exactIntegerBound(text: string, round: "up" | "down"): bigint | undefined {
  const d = decompose(text);
  if (!d) return undefined;
  const { mantissa, exponent } = d;
  if (mantissa === 0n) return 0n;
  // Beyond any double (1.8e308): the value read is Infinity, which is reported as such.
  if (exponent > 400) return undefined;
  if (exponent >= 0) return mantissa * 10n ** BigInt(exponent);
  const magnitude = mantissa < 0n ? -mantissa : mantissa;
  // Below 1 in magnitude: the bound rounds to 0 or to ±1 (and 10^-exponent may be huge).
  if (-exponent > magnitude.toString().length) return round === "up" ? (mantissa > 0n ? 1n : 0n) : mantissa > 0n ? 0n : -1n;
  const scale = 10n ** BigInt(-exponent);
  const truncated = mantissa / scale; // towards zero
  if (truncated * scale === mantissa) return truncated;
  return round === "up" ? (mantissa > 0n ? truncated + 1n : truncated) : mantissa > 0n ? truncated : truncated - 1n;
}
