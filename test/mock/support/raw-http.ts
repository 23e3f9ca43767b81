// Raw HTTP/1.1 exchanges with a server on 127.0.0.1: bytes written as they are, answers read back
// and split, so two servers' answers to the same bytes can be compared.
import net from "node:net";

/** Writes `bytes`, half-closes, and returns everything the server sent until it closed. */
export function exchange(port: number, bytes: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
    socket.end(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  });
}

export interface RawAnswer {
  status: number;
  /** `name: value` with lower-case names, sorted, without Date (it changes by the second). */
  headers: string[];
  body: string;
}

/** The answers in `raw`, in order; `heads` says which answers (by index) have no body (HEAD). */
export function answersOf(raw: Buffer, heads: ReadonlySet<number> = new Set()): RawAnswer[] {
  const out: RawAnswer[] = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf("\r\n\r\n", at);
    if (end < 0) {
      out.push({ status: 0, headers: [], body: raw.subarray(at).toString("latin1") });
      break;
    }
    const [line, ...fields] = raw.subarray(at, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line!)?.[1] ?? 0);
    const headers = fields
      .map((f) => f.replace(/^[^:]+/, (n) => n.toLowerCase()))
      .filter((f) => !f.startsWith("date:"))
      .sort();
    const length = Number(/^content-length: *(\d+)$/m.exec(headers.join("\n"))?.[1] ?? 0);
    const bodyLength = status === 100 || heads.has(out.length) ? 0 : length;
    out.push({ status, headers, body: raw.subarray(end + 4, end + 4 + bodyLength).toString("utf8") });
    at = end + 4 + bodyLength;
  }
  return out;
}
