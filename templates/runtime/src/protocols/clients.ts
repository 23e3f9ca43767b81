// The protocols the runtime ships, as a client finds them by the name in `metadata.protocol.name`
// (ServiceClient). A protocol kept elsewhere is passed to ServiceClient, or its factory to
// ProtocolClient, as the generated packages do.
import { chatRestClientProtocol } from "./chat-rest/client.js";
import { tc3ClientProtocol } from "./tc3/client.js";

export const BUILTIN_CLIENT_PROTOCOLS = [tc3ClientProtocol, chatRestClientProtocol] as const;

export type BuiltinClientProtocol = (typeof BUILTIN_CLIENT_PROTOCOLS)[number];
