// The protocols the runtime ships, as the mock finds them by the name in `metadata.protocol.name`.
// A protocol kept elsewhere comes with its service's mock definition (`gateway`) or the mock's
// `gateways` option.
import { chatRestGateway } from "./chat-rest/gateway.js";
import { tc3Gateway } from "./tc3/gateway.js";

export const BUILTIN_GATEWAYS = [tc3Gateway, chatRestGateway] as const;

export type BuiltinGateway = (typeof BUILTIN_GATEWAYS)[number];
