#!/usr/bin/env bash
# A fresh clone stands on its own (issue 7 §1): clones the current commit into an empty temp folder
# (nothing beside it, so no ../shared), installs the locked dependencies, runs the tests there with
# CI and every official-files variable unset, and asserts that they pass and that each jest run
# printed the one line naming the suites skipped for want of DGII's official files.
#
# Usage: scripts/check-fresh-clone.sh [--full]
#   default  typecheck + the specs that exercise a clone's weak points: the .p12 generator from
#            scratch, the unlock of every variant, every spec gated on the official files (they
#            must skip, not crash), and the HTTP session matrix and dry runs (e2e).
#   --full   the whole `npm test` (typecheck, lint, unit, e2e); several minutes.
# Install: by default the source checkout's node_modules is hard-linked in after checking that it
# holds exactly the clone's package-lock.json (what `npm ci` would install); FRESH_CLONE_INSTALL=ci
# runs `npm ci --offline` from the npm cache instead (minutes).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-reduced}
commit=$(git -C "$src" rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/fiscaliacore-fresh-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS

git clone --quiet --no-checkout "$src" "$work/fiscaliacore"
git -C "$work/fiscaliacore" checkout --quiet --detach "$commit"
cd "$work/fiscaliacore"
if [ -e ../shared ]; then echo "fresh-clone: $work is not empty" >&2; exit 1; fi
echo "fresh-clone: $commit in $work/fiscaliacore (nothing beside it)"

if [ "${FRESH_CLONE_INSTALL:-link}" = ci ]; then
  npm ci --offline --no-audit --no-fund
else
  # npm ci semantics: every package of the lockfile, at its locked version, and nothing else.
  node -e '
    const { existsSync, readFileSync, readdirSync } = require("node:fs");
    const [lockFile, modules] = process.argv.slice(1);
    const lock = JSON.parse(readFileSync(lockFile, "utf8"));
    const bad = [];
    for (const [path, meta] of Object.entries(lock.packages)) {
      if (!path.startsWith("node_modules/") || meta.link) continue;
      const manifest = `${modules}/../${path}/package.json`;
      if (!existsSync(manifest)) { if (!meta.optional) bad.push(`${path} missing`); continue; }
      const { version } = JSON.parse(readFileSync(manifest, "utf8"));
      if (version !== meta.version) bad.push(`${path} ${version} != ${meta.version}`);
    }
    const locked = new Set(Object.keys(lock.packages));
    for (const name of readdirSync(modules)) {
      if (name.startsWith(".")) continue;
      const names = name.startsWith("@") ? readdirSync(`${modules}/${name}`).map((n) => `${name}/${n}`) : [name];
      for (const n of names) if (!locked.has(`node_modules/${n}`)) bad.push(`node_modules/${n} not in the lockfile`);
    }
    if (bad.length) { console.error(`node_modules differs from package-lock.json:\n  ${bad.slice(0, 20).join("\n  ")}`); process.exit(1); }
  ' "$PWD/package-lock.json" "$src/node_modules"
  cp -al "$src/node_modules" node_modules
fi

run() { env -u CI -u FISCALIACORE_SHARED_DIR -u DGII_XSD_DIR -u DGII_XSD_HOST_DIR "$@"; }
log="$work/test.log"
if [ "$mode" = --full ]; then
  run npm test 2>&1 | tee "$log"
  runs=2
else
  run npm run -s typecheck
  run npx jest --config jest.config.js libs/testing libs/signing/src/p12/unlock-p12.spec.ts \
    libs/signing/src/xmldsig libs/xml-builder/src/catalogue libs/xml-builder/src/xsd \
    libs/xml-builder/src/testing/signed-fixtures.spec.ts libs/dgii-gateway/src/dgii-verdict.spec.ts \
    libs/dgii-sandbox/src/dgii-sandbox.spec.ts 2>&1 | tee "$log"
  run npx jest --config test/jest-e2e.config.js test/sessions.e2e-spec.ts test/ecf-dry-run.e2e-spec.ts 2>&1 | tee -a "$log"
  runs=2
fi
# pipefail made a failing jest fail the script above; now the skip lines.
lines=$(grep -c "that need DGII's official files (not found: " "$log" || true)
if [ "$lines" -ne "$runs" ]; then
  echo "fresh-clone: expected $runs official-files skip lines (one per jest run), found $lines" >&2
  exit 1
fi
echo "fresh-clone: passed in $((SECONDS - started)) s, with the skip line in each of the $runs jest runs"
