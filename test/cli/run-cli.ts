// Runs the CLI in-process and captures what it prints.
import { main } from "../../generator/cli/main.js";

function sink() {
  let text = "";
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

export async function run(args: string[]) {
  const out = sink();
  const err = sink();
  const code = await main(args, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}
