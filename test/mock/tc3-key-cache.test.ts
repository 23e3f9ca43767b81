// The TC3 gateway keeps a derived signing key per service it serves, so a mock serving several
// services (lcic and trtc) does not derive the key again each time requests switch between them.
import { describe, expect, it } from "vitest";
import { ScopedKeyCache } from "../../templates/runtime/src/protocols/tc3/gateway.js";
import { deriveTc3Keys, HmacSha256Key } from "../../templates/runtime/src/protocols/tc3/signing.js";
import { TC3 } from "./support/requests.js";

const DATE = "2026-01-15";

describe("TC3 gateway: signing keys per served service", () => {
  it("keeps one key per served service across switches, and signs as a fresh derivation does", () => {
    const cache = new ScopedKeyCache();
    cache.serve("lcic");
    cache.serve("trtc");
    const lcic = cache.signer(TC3.secretKey, DATE, "lcic");
    const trtc = cache.signer(TC3.secretKey, DATE, "trtc");
    expect(cache.signer(TC3.secretKey, DATE, "lcic")).toBe(lcic);
    expect(cache.signer(TC3.secretKey, DATE, "trtc")).toBe(trtc);
    for (const [signer, service] of [
      [lcic, "lcic"],
      [trtc, "trtc"],
    ] as const) {
      expect(signer.hex("string to sign")).toBe(new HmacSha256Key(deriveTc3Keys(TC3.secretKey, DATE, service).kSigning).hex("string to sign"));
    }
  });

  it("derives again when the date or the key changes, and shares one entry among unserved scopes", () => {
    const cache = new ScopedKeyCache();
    cache.serve("lcic");
    const today = cache.signer(TC3.secretKey, DATE, "lcic");
    expect(cache.signer(TC3.secretKey, "2026-01-16", "lcic")).not.toBe(today);
    expect(cache.signer(`${TC3.secretKey}x`, "2026-01-16", "lcic").hex("a")).toBe(
      new HmacSha256Key(deriveTc3Keys(`${TC3.secretKey}x`, "2026-01-16", "lcic").kSigning).hex("a"),
    );
    const other = cache.signer(TC3.secretKey, DATE, "cvm");
    expect(other.hex("a")).toBe(new HmacSha256Key(deriveTc3Keys(TC3.secretKey, DATE, "cvm").kSigning).hex("a"));
    expect(cache.signer(TC3.secretKey, DATE, "cvm")).toBe(other);
  });
});
