#!/usr/bin/env bash
# The tests use independent oracles (xmlsec1, xmllint; poppler and zbar for the printed
# representation) and openssl to generate certificates.
# Missing ones are installed when we can (root + apt-get), else we say exactly what to do.
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v zbarimg >/dev/null || need+=(zbar-tools)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing test tools: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "the tests need: ${need[*]} — install them, e.g. sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
