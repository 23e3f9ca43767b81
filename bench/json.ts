// JSON bench: the runtime's parseJson against JSON.parse and lossless-json on a typical ~2 KB
// response (GetRoomEvent-like), without and with one integer above 2^53, and with a long digit run
// that is only in a string (the pre-scan's false positive, which takes the hand-written parser).
//
// `npx tsx bench/json.ts [--runs N] [--batch N]`. Prints ops/s and ratios; never fails on them.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { parse as losslessParse } from "lossless-json";
import { parseJson } from "../templates/runtime/src/shared/json.js";
import { collectGarbage, median, table, timed, type Bench, type BenchContext } from "./bench.js";

export interface JsonBenchOptions {
  /** Measured batches per parser and body (the median is reported). */
  runs?: number;
  /** Parses per batch. */
  batch?: number;
  out?: NodeJS.WritableStream;
}

export interface JsonBenchRow {
  body: string;
  bytes: number;
  /** Parses per second, median over the runs. */
  opsPerSecond: { parseJson: number; "JSON.parse": number; "lossless-json": number };
  /** parseJson's time over JSON.parse's time (1 = as fast; 2 = twice as slow). */
  vsJsonParse: number;
  /** lossless-json's time over parseJson's time (above 1: parseJson is faster). */
  losslessVsParseJson: number;
}

const OPTIONS = `--runs N       measured batches per parser and body (default: 15)
  --batch N      parses per batch (default: 2000)`;

/** A GetRoomEvent-like response of about 2 KB; `owner` is written as a bare number. */
export function typicalResponse(owner: number | bigint): string {
  const events = Array.from({ length: 11 }, (_, i) => ({
    Timestamp: 1693271354 + i * 37,
    EventType: ["MemberJoin", "MemberQuit", "RoomStart", "RecordFinish"][i % 4],
    EventData: { RoomId: 392014 + i, UserId: `2d3FgsZRRB2EbRu5Cwe8Rd7R${i}Bc`, Device: i % 3, Duration: i * 61.5 },
  }));
  const body = JSON.stringify({
    Response: { Total: events.length, Owner: 0, Events: events, RequestId: "e574aae1-lp02-4225-a2f8-9032h7199f5f0" },
  });
  return body.replace('"Owner":0', `"Owner":${owner.toString()}`);
}

const losslessRule = (s: string) => (/^-?\d+$/.test(s) && !Number.isSafeInteger(Number(s)) ? BigInt(s) : Number(s));

const PARSERS = {
  parseJson: (text: string) => parseJson(text),
  "JSON.parse": (text: string) => JSON.parse(text) as unknown,
  "lossless-json": (text: string) => losslessParse(text, null, losslessRule),
} as const;
type ParserName = keyof typeof PARSERS;

/**
 * Parses per second of each parser on `text`: the median over `runs` batches, after a warm-up. The
 * parsers take turns batch by batch, so drift in the machine's speed falls on all of them alike.
 */
async function opsPerSecond(text: string, runs: number, batch: number): Promise<Record<ParserName, number>> {
  const names = Object.keys(PARSERS) as ParserName[];
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<ParserName, number[]>;
  let sink = 0;
  for (let r = -1; r < runs; r++) {
    for (const name of names) {
      const parse = PARSERS[name];
      collectGarbage();
      const { ms } = await timed(() => {
        for (let i = 0; i < batch; i++) sink += parse(text) === undefined ? 1 : 0;
      });
      if (r >= 0) times[name].push(ms); // r = -1 is the warm-up
    }
  }
  if (sink !== 0) throw new Error("a parser returned undefined");
  return Object.fromEntries(names.map((n) => [n, batch / (median(times[n]) / 1000)])) as Record<ParserName, number>;
}

export async function measureJson(options: JsonBenchOptions = {}): Promise<JsonBenchRow[]> {
  const { runs = 15, batch = 2000, out = process.stdout } = options;
  const bodies: Array<[string, string]> = [
    ["no big int", typicalResponse(7)],
    ["one big int", typicalResponse(144115233775727695n)],
    ["digits in a string only", typicalResponse(7).replace("e574aae1", "1441152337757276950")],
  ];
  const rows: JsonBenchRow[] = [];
  for (const [name, text] of bodies) {
    // The lossless parsers must read the same value, or the comparison means nothing.
    if (!isDeepStrictEqual(PARSERS.parseJson(text), PARSERS["lossless-json"](text))) {
      throw new Error(`parseJson and lossless-json disagree on "${name}"`);
    }
    const ops = await opsPerSecond(text, runs, batch);
    rows.push({
      body: name,
      bytes: Buffer.byteLength(text),
      opsPerSecond: ops,
      vsJsonParse: ops["JSON.parse"] / ops.parseJson,
      losslessVsParseJson: ops.parseJson / ops["lossless-json"],
    });
  }
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  out.write(
    table(
      ["body", "bytes", "parseJson ops/s", "JSON.parse ops/s", "lossless-json ops/s", "parseJson/JSON.parse time", "lossless/parseJson time"],
      rows.map((r) => [
        r.body,
        String(r.bytes),
        k(r.opsPerSecond.parseJson),
        k(r.opsPerSecond["JSON.parse"]),
        k(r.opsPerSecond["lossless-json"]),
        `${r.vsJsonParse.toFixed(2)}x`,
        `${r.losslessVsParseJson.toFixed(2)}x`,
      ]),
    ),
  );
  return rows;
}

export const jsonBench: Bench = {
  name: "json",
  description: "parseJson vs JSON.parse vs lossless-json on a ~2 KB response, without and with a big int",
  options: OPTIONS,
  async run({ args, out }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: { runs: { type: "string" }, batch: { type: "string" } },
      strict: false,
    });
    await measureJson({
      out,
      ...(typeof values.runs === "string" ? { runs: Number(values.runs) } : {}),
      ...(typeof values.batch === "string" ? { batch: Number(values.batch) } : {}),
    });
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  jsonBench.run({ args: process.argv.slice(2), out: process.stdout, progress: process.stderr }).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
