#!/usr/bin/env bash
# Proves the architecture check bites (`npm run lint:selftest`):
#  1. on tools/lint/fixtures, a fake tree with planted violations, the real .dependency-cruiser.js
#     must fail and report exactly the imports marked `// BAD <rule>` (see fixtures/README.md);
#  2. on the real tree, `npm run lint:arch` (what `npm run lint` runs) must pass;
#  3. tools/lint/size-limits.ts --self-test: the size check flags planted offenders and only them;
#  4. tools/lint/role-suffixes.ts --self-test: the role-suffix check flags planted names and only them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fixtures="$root/tools/lint/fixtures"
config="$root/.dependency-cruiser.js"
depcruise="$root/node_modules/.bin/depcruise"
failed=0

echo "architecture check self-test"
echo "1. fixtures must fail with the planted violations"
# Run inside the fixtures so their paths read apps/... and libs/... as in the repo, and their
# own tsconfig.json maps @carebridge/* to the fake libs.
if (cd "$fixtures" && "$depcruise" apps libs --config "$config" --output-type err >/dev/null); then
  echo "  FAIL: depcruise passed on the fixtures"
  failed=1
fi
if ! (cd "$fixtures" && "$depcruise" apps libs --config "$config" --output-type json) |
  node "$root/tools/lint/compare-violations.cjs" "$fixtures" "$config"; then
  failed=1
fi

echo "2. the real tree must pass"
if ! (cd "$root" && npm run --silent lint:arch); then
  echo "  FAIL: npm run lint:arch reports violations in the real tree (above)"
  failed=1
fi

echo "3. the size check (npm run lint:size) must flag planted offenders and only them"
if ! (cd "$root" && ./tools/ts-node.sh tools/lint/size-limits.ts --self-test); then
  echo "  FAIL: tools/lint/size-limits.ts --self-test"
  failed=1
fi

echo "4. the role-suffix check (npm run lint:suffixes) must flag planted names and only them"
if ! (cd "$root" && ./tools/ts-node.sh tools/lint/role-suffixes.ts --self-test); then
  echo "  FAIL: tools/lint/role-suffixes.ts --self-test"
  failed=1
fi

if [ "$failed" -ne 0 ]; then
  echo "architecture check self-test FAILED"
  exit 1
fi
echo "architecture check self-test passed"
