// The emitted validators of every generated service, and one shape's public functions by name.
import * as chat from "../../../generated/chat/src/validators.js";
import * as lcic from "../../../generated/lcic/src/validators.js";
import * as trtc from "../../../generated/trtc/src/validators.js";
import type { ValidationResult } from "../../../generated/runtime/src/validation/validation.js";
import { SymbolRegistry } from "../../../generator/emit/symbols.js";
import type { Service, Shape } from "../../../generator/ir/types.js";

/** The validators module of each service, by service id. */
export const VALIDATOR_MODULES: Record<string, Record<string, unknown>> = { chat, lcic, trtc };

/** `validate*`, `is*` and `assert*` of `shape` in its service's module. */
export function shapeApi(service: Service, shape: Shape) {
  const name = new SymbolRegistry(service).shape(shape.name);
  const mod = VALIDATOR_MODULES[service.id]!;
  return {
    validate: mod[`validate${name}`] as (v: unknown, o?: object) => ValidationResult<unknown>,
    is: mod[`is${name}`] as (v: unknown, o?: object) => boolean,
    assert: mod[`assert${name}`] as (v: unknown, o?: object) => void,
  };
}
