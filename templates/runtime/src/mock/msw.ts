// MSW 2 handlers for a mock, without importing msw: the caller passes msw's `http` namespace.
//   import { http } from "msw"; import { setupServer } from "msw/node";
//   const server = setupServer(...mswHandlers(mock, http));

/** The part of msw's `http` namespace used here. */
export interface MswHttpLike<Handler> {
  all(path: RegExp, resolver: (info: { request: Request }) => Promise<Response>): Handler;
}

export interface MswHandlerOptions {
  /**
   * Origins to intercept (`https://lcic.tencentcloudapi.com`, `http://127.0.0.1:8080`); default
   * every endpoint and backup host of the mocked services, over http and https.
   */
  origins?: readonly string[] | undefined;
}

interface MockLike {
  handle(request: Request): Promise<Response>;
  /** Endpoint hosts of the mocked services. */
  readonly hosts: readonly string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One handler sending every request to the mocked origins through the mock. */
export function mswHandlers<Handler>(mock: MockLike, http: MswHttpLike<Handler>, options: MswHandlerOptions = {}): Handler[] {
  const origins = options.origins?.map((o) => escape(new URL(o).origin));
  const pattern = origins ? `^(?:${origins.join("|")})/` : `^https?://(?:${mock.hosts.map(escape).join("|")})(?::\\d+)?/`;
  return [http.all(new RegExp(pattern), ({ request }) => mock.handle(request))];
}
