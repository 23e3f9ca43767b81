// A Cloudflare worker around the consumer (bundled by esbuild, run by miniflare): GET /?options=<json>
// answers runConsumer's result as JSON, or the error's text with status 500.
import { runConsumer } from "./consumer.mjs";
import vectors from "./vectors.json" with { type: "json" };

export default {
  async fetch(request) {
    try {
      const options = JSON.parse(new URL(request.url).searchParams.get("options") ?? "{}");
      return Response.json(await runConsumer({ ...options, vectors }));
    } catch (error) {
      return new Response(error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error), { status: 500 });
    }
  },
};
