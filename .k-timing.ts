// Temporary (helper K): per-call time of ProtocolClient from a runtime dir, over an in-process transport.
import { pathToFileURL } from "node:url";
import { metadata } from "./generated/lcic/src/metadata.js";
import { validators } from "./generated/lcic/src/validators.js";

const dir = process.argv[2]!;
const calls = Number(process.argv[3] ?? 100000);
const mode = process.argv[4] ?? "plain";
const core = await import(pathToFileURL(`${dir}/src/client/client-core.ts`).href);
const tc3 = await import(pathToFileURL(`${dir}/src/protocols/tc3/client.ts`).href);
const body = JSON.stringify({ Response: { Total: 1, Events: [], RequestId: "r-1" } });
const transport = async () => ({ status: 200, headers: {}, body });
const options: Record<string, unknown> = { endpoint: "https://lcic.tencentcloudapi.com", credentials: { secretId: "AKIDx", secretKey: "key" }, env: {}, rateLimit: false, transport };
if (mode === "middleware") options.middleware = [(_c: unknown, next: () => Promise<unknown>) => next()];
const client = new core.ProtocolClient(metadata, validators, options, tc3.tc3ProtocolFactory);
const request = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10 };
const callOptions = mode === "headers" ? { headers: { "x-trace-id": "t" } } : undefined;
for (let i = 0; i < 20000; i++) await client.call("getRoomEvent", request, callOptions);
const t0 = performance.now();
for (let i = 0; i < calls; i++) await client.call("getRoomEvent", request, callOptions);
const us = ((performance.now() - t0) * 1000) / calls;
console.log(JSON.stringify({ dir, mode, usPerCall: Math.round(us * 100) / 100 }));
