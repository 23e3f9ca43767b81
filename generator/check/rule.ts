// A lint rule runs on the IR and reports through `report`, which applies suppressions.
import type { Ir, SourceLoc } from "../ir/types.js";
import type { SpecDocument } from "../load/spec-document.js";
import type { Severity } from "../shared/diagnostic.js";

/** Report a problem at `loc`; the caller applies the `suppress:` maps around that position. */
export type Report = (loc: SourceLoc, message: string) => void;

export interface Rule {
  id: string;
  severity: Severity;
  /** One line for the README's rule table. */
  description: string;
  /** `docs`: the spec files as loaded, for the few rules about the text itself (comments included). */
  check(ir: Ir, report: Report, docs: readonly SpecDocument[]): void;
}
