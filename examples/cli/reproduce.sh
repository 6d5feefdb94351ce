#!/usr/bin/env bash
# A picture can be made again from its own file: read the seed stored in the PNG, run the same
# command with it, and compare bytes. Run from the repository root after `npm ci`.
set -euo pipefail

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

npx matryoshka generate "a red apple" -o "$out/first.png" --quiet
# The seed was random; the PNG recorded it, with every other setting, in its text chunks.
seed=$(node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { readPngText } from "@matryoshka/core";
  console.log(readPngText(readFileSync(process.argv[1]))["matryoshka:seed"]);
' "$out/first.png")
npx matryoshka generate "a red apple" -o "$out/again.png" --seed "$seed" --quiet

if cmp -s "$out/first.png" "$out/again.png"; then
  echo "seed $seed: identical bytes"
else
  echo "seed $seed: the files differ" >&2
  exit 1
fi
