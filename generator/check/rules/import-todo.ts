// `rtc-apigen import` marks every decision it leaves to the maintainer with "TODO(import)", in a
// comment or a note. None may land: the spec is not finished while one is left.
import type { Rule } from "../rule.js";

const MARK = "TODO(import)";

export const importTodo: Rule = {
  id: "import-todo",
  severity: "error",
  description: "A `TODO(import)` left by `rtc-apigen import`, in a comment or a text: a decision still to make.",
  check(_ir, report, docs) {
    for (const doc of docs) {
      const lines = doc.text.split("\n");
      lines.forEach((line, i) => {
        for (let col = line.indexOf(MARK); col >= 0; col = line.indexOf(MARK, col + MARK.length)) {
          const rest = line
            .slice(col + MARK.length)
            .replace(/^[:.\s]+/, "")
            .trim();
          report(
            { file: doc.file, line: i + 1, col: col + 1 },
            `unsettled import decision${rest ? `: ${rest.length > 100 ? `${rest.slice(0, 97)}…` : rest}` : ""}`,
          );
        }
      });
    }
  },
};
