#!/bin/sh
# Imports every LCIC and TRTC action of the official API metadata (../shared/reference/
# tencentcloud-api) with the international edition (--also) and the SDKs' error codes and rate-limit
# sentences (--errors), then lints the result and counts what the import found.
#
# Usage: scripts/import-tencent.sh [SPECS_DIR]
#   SPECS_DIR  the specs folder to import into (default: a new temp folder). Files that already
#              exist there are kept (the import skips them); protocols/ and schema/ are copied in
#              when missing.
set -eu
cd "$(dirname "$0")/.."
REF=../shared/reference/tencentcloud-api
OUT=${1:-$(mktemp -d)/specs}
mkdir -p "$OUT"
[ -d "$OUT/protocols" ] || cp -R specs/protocols "$OUT/"
[ -d "$OUT/schema" ] || cp -R specs/schema "$OUT/"
for api in lcic-2022-08-17 trtc-2019-07-22; do
  # Exit 1 only says that some files existed and were kept.
  node bin/rtc-apigen.js import --from "$REF/$api.api.json" --also "$REF/$api.intl.api.json" \
    --errors "$REF/action-errors.json" --service "${api%%-*}" --out "$OUT" || [ $? -eq 1 ]
done
LINT="$OUT/../lint.txt"
node bin/rtc-apigen.js lint --specs "$OUT" 2>"$LINT" || true
OPS=$(find "$OUT/lcic" "$OUT/trtc" -name '*.yaml' ! -name service.yaml)
count() { printf '%s\n' "$OPS" | xargs grep -h -E "$1" | wc -l | tr -d ' '; }
files() { printf '%s\n' "$OPS" | xargs grep -l -E "$1" | wc -l | tr -d ' '; }
echo "specs:          $OUT"
echo "actions:        $(printf '%s\n' "$OPS" | wc -l | tr -d ' ')"
echo "fields with enum:  $(find "$OUT/lcic" "$OUT/trtc" -name '*.yaml' | xargs grep -h -E '^ +enum:$' | wc -l | tr -d ' ')"
echo "fields with range/length/size: $(find "$OUT/lcic" "$OUT/trtc" -name '*.yaml' | xargs awk '/^ +[A-Z][A-Za-z0-9_]*:$/ { f = FILENAME ":" FNR } /^ +(minimum|maximum|minLength|maxLength|minItems|maxItems): / { if (f != seen) { n++; seen = f } } END { print n + 0 }')"
echo "error codes:    $(count '^  - code: ')"
echo "rate limits:    $(files '^rateLimit:')"
echo "paginated:      $(files '^pagination:')"
echo "lint (by rule, details in $LINT):"
grep -oE ' (error|warning) [a-z-]+ ' "$LINT" | sort | uniq -c || true
