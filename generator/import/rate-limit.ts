// Rate limits as the texts state them, in either language: "默认接口请求频率限制：20次/秒",
// "1次/15秒", "20 QPS", "A maximum of 20 requests can be initiated per second", "five calls per
// second", "one call every 15 seconds". The two editions sometimes disagree; `chooseRateLimit`
// decides and says how.
import type { Note } from "../ir/types.js";
import type { Language } from "./text.js";

export interface StatedRate {
  /** Requests per `seconds`. */
  requests: number;
  seconds: number;
  sentence: string;
}

const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};
const N = String.raw`(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)`;
const PATTERNS: Array<{ re: RegExp; rate: (m: RegExpExecArray) => [number, number] }> = [
  // 20次/秒, 1次/15秒, 20次每秒, 10次/分钟
  { re: /(\d+)\s*次\s*(?:\/|每)\s*(\d+)?\s*(秒|分钟)/, rate: (m) => [Number(m[1]), Number(m[2] ?? 1) * (m[3] === "分钟" ? 60 : 1)] },
  // 每秒最多20次, 每秒20次
  { re: /每(秒|分钟)\s*(?:最多|最高|不超过)?\s*(\d+)\s*次/, rate: (m) => [Number(m[2]), m[1] === "分钟" ? 60 : 1] },
  // 20 QPS, 20QPS
  { re: /(\d+)\s*QPS/i, rate: (m) => [Number(m[1]), 1] },
  // 20 requests (can be initiated) per second; five calls per second; 20 times per minute
  {
    re: new RegExp(String.raw`${N}\s+(?:requests?|calls?|times?)\s+(?:can be (?:initiated|sent|made)\s+)?(?:per|each|a)\s+(second|minute)`, "i"),
    rate: (m) => [num(m[1]!), m[2]!.toLowerCase() === "minute" ? 60 : 1],
  },
  // one call every 15 seconds
  {
    re: new RegExp(String.raw`${N}\s+(?:requests?|calls?|times?)\s+every\s+(\d+)?\s*(seconds?|minutes?)`, "i"),
    rate: (m) => [num(m[1]!), Number(m[2] ?? 1) * (/^minute/i.test(m[3]!) ? 60 : 1)],
  },
];

function num(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : WORDS[word.toLowerCase()]!;
}

/** The rate a sentence states, or undefined. */
export function rateFromSentence(sentence: string): StatedRate | undefined {
  for (const p of PATTERNS) {
    const m = p.re.exec(sentence);
    if (m) {
      const [requests, seconds] = p.rate(m);
      if (requests > 0 && seconds > 0) return { requests, seconds, sentence: sentence.trim().replace(/^[-\s]+/, "") };
    }
  }
  return undefined;
}

/** The sentences of texts (action descriptions) that state a rate. */
export function rateSentences(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\n|(?<=[。；;])|(?<=\.)\s+/)
    .map((s) => s.trim())
    .filter((s) => s && rateFromSentence(s));
}

export interface RateLimitChoice {
  requests: number;
  per: "second" | "minute";
  /** The sentence it was taken from. */
  notes: Note[];
}

/** The spec's `{requests, per}` for a rate: per second when whole, else per minute. */
export function specRate(r: Pick<StatedRate, "requests" | "seconds">): { requests: number; per: "second" | "minute" } {
  const perSecond = r.requests / r.seconds;
  if (Number.isInteger(perSecond)) return { requests: perSecond, per: "second" };
  const perMinute = (r.requests * 60) / r.seconds;
  return { requests: Number.isInteger(perMinute) ? perMinute : Math.round(perMinute * 1000) / 1000, per: "minute" };
}

/**
 * One rate limit from the sentences of each language. When they disagree the lower rate wins: a
 * client held to it is refused by neither edition's service. The note quotes both.
 */
export function chooseRateLimit(sentences: Partial<Record<Language, readonly string[]>>): RateLimitChoice | undefined {
  const found: Array<StatedRate & { language: Language }> = [];
  for (const language of ["en", "zh"] as const)
    for (const s of sentences[language] ?? []) {
      const r = rateFromSentence(s);
      if (r && !found.some((f) => f.sentence === r.sentence)) found.push({ ...r, language });
    }
  if (!found.length) return undefined;
  const lowest = found.reduce((a, b) => (b.requests / b.seconds < a.requests / a.seconds ? b : a));
  const rate = specRate(lowest);
  const quoted = found.map((f) => `"${f.sentence}" (${f.language})`).join(", ");
  const distinct = new Set(found.map((f) => f.requests / f.seconds));
  const exact = rate.requests * (rate.per === "minute" ? 1 : 60) === (lowest.requests * 60) / lowest.seconds;
  const notes: Note[] = [];
  if (distinct.size > 1)
    notes.push({
      topic: "Rate limit (imported)",
      text: `The editions disagree: ${quoted}. The spec takes the lower, ${rate.requests} per ${rate.per}, which neither edition's service refuses.`,
    });
  else
    notes.push({
      topic: "Rate limit (imported)",
      text: `From ${quoted}.${lowest.seconds > 1 && lowest.seconds !== 60 ? ` The format counts per second or per minute: ${lowest.requests} per ${lowest.seconds} seconds is ${rate.requests} per ${rate.per}${exact ? "" : " (rounded)"}.` : ""}`,
    });
  return { ...rate, notes };
}
