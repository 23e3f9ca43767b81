// The protocol registry: the built-in plugins, and any a specs folder adds (specs/protocols/<name>.yaml
// `plugin:`, loaded by load-specs). Stages look a service's protocol up here by name.
import { chatRestProtocol } from "./chat-rest.js";
import { tc3Protocol } from "./tc3.js";
import type { ProtocolEnvelope, ProtocolPlugin } from "./types.js";

export type { ProtocolPlugin, ProtocolEnvelope, ErrorEnvelope, EnvelopeIssue } from "./types.js";

export const BUILT_IN_PROTOCOLS: readonly ProtocolPlugin[] = [tc3Protocol, chatRestProtocol];

const registry = new Map<string, ProtocolPlugin>(BUILT_IN_PROTOCOLS.map((p) => [p.name, p]));
let revision = 0;

/** Adds (or replaces) a plugin. Built-in plugins cannot be replaced. */
export function registerProtocol(plugin: ProtocolPlugin): void {
  if (BUILT_IN_PROTOCOLS.some((p) => p.name === plugin.name && p !== plugin)) throw new Error(`protocol "${plugin.name}" is built in`);
  if (registry.get(plugin.name) === plugin) return;
  registry.set(plugin.name, plugin);
  revision++;
}

/** Changes whenever a plugin is added, so derived caches (the compiled spec schemas) know to rebuild. */
export const registryRevision = (): number => revision;

export const protocolPlugins = (): ProtocolPlugin[] => [...registry.values()];

export const findProtocol = (name: string): ProtocolPlugin | undefined => registry.get(name);

/** The plugin of a service that passed the checks (the schema admits only registered names). */
export function protocolOf(service: { protocol: { name: string } }): ProtocolPlugin {
  const plugin = registry.get(service.protocol.name);
  if (!plugin) throw new Error(`no protocol plugin named "${service.protocol.name}"`);
  return plugin;
}

/** An envelope that recognises nothing, for building the IR of a spec whose protocol has no plugin (the checks report it). */
const NO_ENVELOPE: ProtocolEnvelope = { payloadKey: "", payloadOptional: false, errorOf: () => undefined, statusKeys: [], errorCodePath: "response" };

export const envelopeOf = (name: string): ProtocolEnvelope => registry.get(name)?.envelope ?? NO_ENVELOPE;

/** The plugin that can bind a service imported from a Tencent Cloud api.json. */
export function apiJsonProtocol(): ProtocolPlugin & Required<Pick<ProtocolPlugin, "apiJson">> {
  const plugin = [...registry.values()].find((p) => p.apiJson);
  if (!plugin?.apiJson) throw new Error("no protocol plugin imports api.json");
  return plugin as ProtocolPlugin & Required<Pick<ProtocolPlugin, "apiJson">>;
}

/** Whether a success without a payload is a valid answer: the protocol allows it and nothing in the response is required. */
export function payloadOptional(service: { protocol: { name: string } }, op: { response: { fields: Array<{ required: boolean }> } }): boolean {
  return envelopeOf(service.protocol.name).payloadOptional && !op.response.fields.some((f) => f.required);
}

/** The names of the protocols whose envelope has status fields a payload can sit beside (`payload: envelope`). */
export const besideStatusProtocols = (): string[] =>
  protocolPlugins()
    .filter((p) => p.envelope.statusKeys.length)
    .map((p) => p.name);
