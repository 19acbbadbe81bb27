#!/usr/bin/env bash
# Times the pruning methods on a bert-base-sized model (12 layers, 768 wide,
# 85M linear parameters, random weights) with 128 calibration sequences of
# 128 tokens, as SparseGPT's paper calibrates (issue 3). Prints a table with
# wall time, peak memory and the ratio to magnitude pruning measured in the
# same run. Usage: bench/prune_speed.sh [SAMPLES] [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-128}
PRESET=${2:-bert-base}
BIN=${SXF_BUILD_DIR:-build}/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN/sparse-gen" --preset="$PRESET" --seed=1 --primitive -o "$WORK/model.mlir"

measure() { # name, pass options -> "seconds peak_MiB"
  local start end rss
  start=$(date +%s.%N)
  rss=$( { /usr/bin/python3 - "$BIN/sparse-opt" "$WORK/model.mlir" "--sxf-prune=$2" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:] + ["-o", "/dev/null"], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
  } )
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $rss"
}

printf "%-44s %10s %10s %12s\n" "method ($PRESET, $SAMPLES x 128 tokens)" "seconds" "vs mag" "peak MiB"
read -r base_s base_m < <(measure magnitude "method=magnitude sparsity=0.5")
printf "%-44s %10.1f %10.2f %12s\n" "magnitude 50%" "$base_s" 1 "$base_m"
for spec in "wanda sparsity=0.5" "sparsegpt sparsity=0.5" "sparsegpt n=2 m=4"; do
  read -r s m < <(measure "$spec" "method=$spec calib=random samples=$SAMPLES")
  printf "%-44s %10.1f %10.2f %12s\n" "$spec" "$s" "$(echo "$s / $base_s" | bc -l)" "$m"
done
