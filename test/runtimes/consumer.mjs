// The same consumer in every runtime (Node, Bun, Deno, a Cloudflare worker): it imports the built
// packages as an app would, signs a TC3 request and a Chat request at the reference vectors' time
// (captured by a transport of its own, nothing sent) and checks them against the vectors, then calls
// the mock server through the client's default transport and reads an answer and a service error.
// Plain JavaScript, so no runtime needs a TypeScript step; runtimes.test.ts and bench/runtimes.ts run it.
import { ApiError, LcicClient } from "@rtc-apigen/lcic";
import { ChatClient } from "@rtc-apigen/chat";

/** Which runtime this is, by its own globals. */
export function runtimeName() {
  if (typeof globalThis.Bun !== "undefined") return "bun";
  if (typeof globalThis.Deno !== "undefined") return "deno";
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (typeof globalThis.process?.versions?.node === "string") return "node";
  return "unknown";
}

const fixedClock = (ms) => ({ now: () => ms, sleep: () => Promise.resolve() });

/** A transport that answers `body` and keeps the request it was given. */
function capturing(body) {
  const seen = [];
  const transport = async (request) => {
    seen.push(request);
    return { status: 200, headers: { "content-type": "application/json" }, body };
  };
  return { seen, transport };
}

/** The UserSig's JSON document: base64 with `*-_`, then zlib; decoded with the standard DecompressionStream. */
async function decodeUserSig(userSig) {
  const b64 = userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).text();
}

/** The TC3 vector: the Authorization the client sends for DescribeRoomStatistics at the vector's time. */
async function signTc3(vectors) {
  const vector = vectors.tc3.lcic_DescribeRoomStatistics;
  const { secretId, secretKey, timestamp, body } = vector.inputs;
  const { seen, transport } = capturing('{"Response":{"RequestId":"captured","Total":0}}');
  const client = new LcicClient({
    credentials: { secretId, secretKey },
    clock: fixedClock(timestamp * 1000),
    transport,
    rateLimit: false,
    retry: false,
  });
  await client.describeRoomStatistics(JSON.parse(body));
  const request = seen[0];
  const authorization = request?.headers["authorization"];
  return { authorization, matches: authorization === vector.authorization && request.body === body };
}

/** The UserSig vector: the UserSig the Chat client puts in the query at the vector's time. */
async function signChat(vectors) {
  const vector = vectors.usersig.fixedTime;
  const { seen, transport } = capturing('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"captured","Response":{"RoomInfo":{}}}');
  const credentials = { sdkAppId: vector.sdkappid, identifier: vector.identifier, key: vector.key, userSigExpireSeconds: vector.expire };
  const client = new ChatClient({ credentials, clock: fixedClock(vector.time * 1000), transport, rateLimit: false, retry: false });
  await client.getLiveRoomInfo({ RoomId: "room" });
  const userSig = new URL(seen[0].url).searchParams.get("usersig") ?? "";
  const decoded = await decodeUserSig(userSig);
  // The signed document must match; the deflate bytes may differ between zlib builds.
  return { userSig, decodedMatches: decoded === vector.jsonDoc, bytesIdentical: userSig === vector.usersig };
}

/**
 * Runs the checks and `calls` timed calls to the mock at `mockUrl`. `ids`: a room the mock has
 * (`room`), one it has not (`missingRoom`), a live room (`liveRoom`), chosen by the caller from the mock.
 */
export async function runConsumer({ mockUrl, ids, vectors, calls = 1 }) {
  const tc3 = await signTc3(vectors);
  const chat = await signChat(vectors);

  const tc3Inputs = vectors.tc3.lcic_DescribeRoomStatistics.inputs;
  const lcic = new LcicClient({ endpoint: mockUrl, credentials: { secretId: tc3Inputs.secretId, secretKey: tc3Inputs.secretKey }, rateLimit: false });
  const stats = await lcic.describeRoomStatistics({ RoomId: ids.room, Page: 1, Limit: 10 });
  let missing = "";
  try {
    await lcic.getRoomEvent({ RoomId: ids.missingRoom, SdkAppId: 1400000000, Page: 1, Limit: 10 });
  } catch (error) {
    missing = error instanceof ApiError ? `${error.code}` : `not an ApiError: ${String(error)}`;
  }
  const u = vectors.usersig.fixedTime;
  const chatClient = new ChatClient({
    endpoint: mockUrl,
    credentials: { sdkAppId: u.sdkappid, identifier: u.identifier, key: u.key },
    rateLimit: false,
  });
  const info = await chatClient.getLiveRoomInfo({ RoomId: ids.liveRoom });

  // A worker's clock moves only across I/O and in whole milliseconds: the loop's total says more than each call.
  const times = [];
  const began = performance.now();
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await lcic.describeRoomStatistics({ RoomId: ids.room, Page: 1, Limit: 10 });
    times.push(performance.now() - start);
  }
  const totalMs = performance.now() - began;
  return {
    runtime: runtimeName(),
    tc3,
    chat,
    mock: { total: stats.Total, missing, owner: info.RoomInfo?.Owner_Account },
    callMs: times,
    totalMs,
  };
}
