#!/usr/bin/env bash
# One timed training run on a lent GPU machine, started from a portable checkpoint, its result coming
# back as portable parts (training/README.md, "On a lent GPU"). The machine's transfers cap what
# travels at 64 MiB, so the inputs are compressed and carried in .gpu/:
#   .gpu/init.pt (training.mdm.portable pack --ema-only), .gpu/images_64.npy.gz, .gpu/meta.json.gz
#
#   bash training/gpu_train.sh image MINUTES COOLDOWN_MINUTES [train.py options...]
#       continues the image run in .gpu/init.pt
#   bash training/gpu_train.sh clip MINUTES COOLDOWN_MINUTES [train.py options...]
#       starts a clip run (clip64) from the image model in .gpu/init.pt
# $OUT receives log.txt, metrics.jsonl and result.pt.part-NNN (join them with portable join).
set -uo pipefail
KIND=$1
MIN=$2
COOL=$3
shift 3
OUT=${OUT:?set OUT to the folder the results go to}
DATA=$(mktemp -d)
RUN=$(mktemp -d)
gunzip -c .gpu/images_64.npy.gz >"$DATA/images_64.npy" && gunzip -c .gpu/meta.json.gz >"$DATA/meta.json" || exit 1
nvidia-smi --query-gpu=name,memory.total --format=csv 2>/dev/null
case $KIND in
image) ARGS=(training.train --init .gpu/init.pt --run "$RUN" --data "$DATA" --max-minutes "$MIN") ;;
clip) ARGS=(training.train --config clip64 --init .gpu/init.pt --run "$RUN" --data "$DATA" --max-minutes "$MIN") ;;
*) echo "KIND must be image or clip" >&2; exit 2 ;;
esac
PYTHONUNBUFFERED=1 python3 -m "${ARGS[@]}" --cooldown-minutes "$COOL" "$@" 2>&1 | tee "$OUT/log.txt"
echo "train exit ${PIPESTATUS[0]}"
# Whatever the run reached is worth bringing back: its last checkpoint, even after a crash.
[ -f "$RUN/last.pt" ] || exit 1
python3 -m training.mdm.portable pack "$RUN/last.pt" "$RUN/result.pt" &&
  python3 -m training.mdm.portable split "$RUN/result.pt" "$OUT"
cp "$RUN/metrics.jsonl" "$OUT/" 2>/dev/null
ls -la "$OUT"
