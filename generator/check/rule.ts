// A lint rule runs on the IR and reports through `report`, which applies suppressions.
import type { Ir, SourceLoc } from "../ir/types.js";
import type { Severity } from "./diagnostic.js";

/** The `suppress:` maps from the node a problem is on, up to its service. */
export type SuppressScopes = ReadonlyArray<Record<string, string> | undefined>;

export type Report = (loc: SourceLoc, message: string, scopes: SuppressScopes) => void;

export interface Rule {
  id: string;
  severity: Severity;
  /** One line for the README's rule table. */
  description: string;
  check(ir: Ir, report: Report): void;
}
