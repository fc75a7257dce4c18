# Timing helpers shared by the bench scripts; they write to "$OUT".
once() {   # wall ms of one run; the bench stops if the command fails
    local start end
    start=$(date +%s%N)
    "$@" >>"$OUT/stdout.log" 2>>"$OUT/stderr.log" || { echo "error: failed: $*" >&2; tail -3 "$OUT/stderr.log" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
