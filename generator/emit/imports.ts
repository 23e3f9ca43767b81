// The import planner: emitters declare each symbol they use as they write the code that uses it
// (through the symbol registry), and the planner writes the import declarations from what was
// declared, so a file imports exactly what it calls and nothing is read back out of emitted text.
import { createRequire } from "node:module";
import type { ImportDeclarationStructure, StructureKind } from "ts-morph";

/** Where a symbol comes from: a module specifier, and whether only its type is used. */
export interface SymbolSource {
  from: string;
  type?: boolean;
}

/** One import declaration, as data: named imports, or a namespace import. */
export interface ImportDeclaration {
  moduleSpecifier: string;
  isTypeOnly: boolean;
  namedImports?: Array<{ name: string; alias?: string; isTypeOnly: boolean }>;
  namespaceImport?: string;
}

/**
 * ts-morph's StructureKind, required when first asked: the planner is also used where nothing prints
 * with ts-morph (the text emitters, a lint rule), which then load neither it nor TypeScript.
 */
function tsMorphStructureKind(): typeof StructureKind {
  return (createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph")).StructureKind;
}

/** Symbols an emitter may import by name, with their modules. */
export type SymbolCatalogue = Readonly<Record<string, SymbolSource>>;

interface PlannedModule {
  /** Local name → the exported name and whether every use of it is a type. */
  named: Map<string, { name: string; type: boolean }>;
  namespace?: { alias: string; type: boolean };
}

/** Names in import order: case-insensitive (as the emitters have always listed them), then by code unit. */
const byName = (a: string, b: string) => a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);

export class ImportPlanner {
  private readonly modules = new Map<string, PlannedModule>();

  constructor(private readonly catalogue: SymbolCatalogue = {}) {}

  /** Declares a use of a catalogued symbol and returns its name. */
  use(name: string): string {
    const source = this.catalogue[name];
    if (!source) throw new Error(`no module exports ${name} in the symbol catalogue`);
    return this.named(source.from, name, source.type === true);
  }

  /** Declares a use of `name` from `from`, under `alias` if given, and returns the local name; a name
   * used as a value anywhere is imported as a value. */
  named(from: string, name: string, type = false, alias?: string): string {
    const planned = this.module(from);
    const local = alias ?? name;
    const known = planned.named.get(local);
    if (known && known.name !== name) throw new Error(`${local} from ${from} names ${known.name}, not ${name}`);
    planned.named.set(local, { name, type: (known?.type ?? true) && type });
    return local;
  }

  /** Declares `import * as alias from "from"` (`import type` while every use is a type); returns `alias`. */
  namespace(from: string, alias: string, type = false): string {
    const planned = this.module(from);
    if (planned.namespace && planned.namespace.alias !== alias) throw new Error(`${from} is imported as ${planned.namespace.alias}, not ${alias}`);
    planned.namespace = { alias, type: (planned.namespace?.type ?? true) && type };
    return alias;
  }

  /** The import declarations: packages before relative modules, each group by specifier. */
  declarations(): ImportDeclaration[] {
    const specifiers = [...this.modules.keys()].sort((a, b) => Number(a.startsWith(".")) - Number(b.startsWith(".")) || (a < b ? -1 : a > b ? 1 : 0));
    return specifiers.flatMap((from) => {
      const planned = this.modules.get(from)!;
      const out: ImportDeclaration[] = [];
      if (planned.named.size) {
        const named = [...planned.named.entries()].sort(([a], [b]) => byName(a, b));
        const allTypes = named.every(([, n]) => n.type);
        out.push({
          moduleSpecifier: from,
          isTypeOnly: allTypes,
          namedImports: named.map(([local, n]) => ({ name: n.name, ...(local !== n.name ? { alias: local } : {}), isTypeOnly: !allTypes && n.type })),
        });
      }
      // A namespace import cannot share a declaration with named imports.
      if (planned.namespace) out.push({ moduleSpecifier: from, isTypeOnly: planned.namespace.type, namespaceImport: planned.namespace.alias });
      return out;
    });
  }

  /** declarations() as ts-morph structures, for an emitter that prints with ts-morph (which it has loaded already). */
  structures(): ImportDeclarationStructure[] {
    const kind = tsMorphStructureKind().ImportDeclaration;
    return this.declarations().map((d) => ({ kind, ...d }));
  }

  /** The import declarations as text, one a line, as ts-morph prints structures() (no line break inside one). */
  text(): string {
    let out = "";
    for (const d of this.declarations()) {
      const names = d.namedImports;
      const what = names?.length
        ? `{ ${names.map((n) => `${n.isTypeOnly ? "type " : ""}${n.name}${n.alias ? ` as ${n.alias}` : ""}`).join(", ")} }`
        : `* as ${d.namespaceImport!}`;
      out += `import${d.isTypeOnly ? " type" : ""} ${what} from ${JSON.stringify(d.moduleSpecifier)};\n`;
    }
    return out;
  }

  private module(from: string): PlannedModule {
    let planned = this.modules.get(from);
    if (!planned) this.modules.set(from, (planned = { named: new Map() }));
    return planned;
  }
}
