#!/usr/bin/env bash
# Transfer-engine benchmark: channel-mirror against curl, aws-cli and rclone on this machine, in
# one run, with loopback servers. Prints a table and writes it to $WORK/results.md; the numbers
# and their reading are in docs/benchmarks.md.
#
#   apt-get install -y nginx rclone awscli time curl bc  # once (Debian packages)
#   src/bench/benchmark.sh                               # everything (~20 min on 2 cores)
#   SMALL_FILES=200 SCENARIOS="big small" src/bench/benchmark.sh
#   BASELINE_JAR=/old/checkout/target/channel-mirror.jar SCENARIOS=big src/bench/benchmark.sh  # A/B
#
# Servers: nginx serves the files under /file/bot<token>/<path> (Range, keep-alive, sendfile) and
# proxies every other path to the fake Bot API; S3Proxy runs in a JVM of its own (bench harness
# org.channelmirror.bench.BenchServers), so none of the servers' CPU is counted as client CPU.
# Each command runs under /usr/bin/time: wall s, user+sys CPU s, peak RSS.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=${WORK:-/tmp/cm-bench}
SMALL_FILES=${SMALL_FILES:-1000}
SCENARIOS=${SCENARIOS:-"big small warm memory slow resume intake latency"}
# the head-to-head rows run REPEAT times each, interleaved; the summary reports medians (single
# runs of the same command on this VM spread by up to 40%)
REPEAT=${REPEAT:-3}
# S3Proxy's files: on tmpfs, so that the kernel's write-back of earlier runs' gigabytes does not
# throttle later runs (each run's bucket is removed after it)
S3_ROOT=${S3_ROOT:-/dev/shm/cm-bench-s3}
S3_PORT=${S3_PORT:-19000}
BOT_PORT=${BOT_PORT:-19001}
WEB_PORT=${WEB_PORT:-19080}
SLOW_PORT=${SLOW_PORT:-19081}
SLOW_RATE=${SLOW_RATE:-20m}
PART_SIZE=${PART_SIZE:-8388608}   # the product default (storage.partSize)
WINDOW=${WINDOW:-8}
JAVA_OPTS=${JAVA_OPTS:-}
AWS=/usr/bin/aws
# loopback HTTP only: a CA bundle from the environment makes rclone's S3 client refuse to start
unset AWS_CA_BUNDLE
for tool in nginx rclone curl java bc; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 2; }; done
[ -x $AWS ] && [ -x /usr/bin/time ] || { echo "missing: awscli or time (apt-get install -y awscli time)" >&2; exit 2; }

mkdir -p "$WORK"/{data/big,data/small,logs,runs}
RESULTS=$WORK/results.txt
: > "$RESULTS"
SERVERS_PID=""
NGINX_PID=""

cleanup() {
  [ -n "$SERVERS_PID" ] && kill "$SERVERS_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== build"
(cd "$ROOT" && mvn -q -o -DskipTests package && mvn -q -o test-compile)
JAR=$ROOT/target/channel-mirror.jar
CP=$JAR:$ROOT/target/test-classes

rm -f "$WORK/cm-demo.jsa"   # built again from this jar when a row needs it
echo "== data"
make_file() { [ -f "$1" ] && [ "$(stat -c %s "$1")" = "$2" ] || head -c "$2" /dev/urandom > "$1"; }
make_file "$WORK/data/big/1g.bin" $((1 << 30))
make_file "$WORK/data/big/2g.bin" $((2 << 30))
make_file "$WORK/data/big/200m.bin" $((200 << 20))
if [ "$(ls "$WORK/data/small" | wc -l)" != "$SMALL_FILES" ]; then
  rm -rf "$WORK/data/small"; mkdir -p "$WORK/data/small"
  for i in $(seq -w 1 "$SMALL_FILES"); do
    head -c $(( (1 << 20) + (RANDOM * 32) % (1 << 20) )) /dev/urandom > "$WORK/data/small/f$i.bin"
  done
fi
SMALL_BYTES=$(cat "$WORK"/data/small/* | wc -c)
cat "$WORK"/data/big/* "$WORK"/data/small/* > /dev/null   # page cache

# ---------------------------------------------------------------- servers
start_servers() { # mode files...
  local mode=$1; shift
  stop_servers
  rm -rf "$WORK/srv"; mkdir -p "$WORK/srv/www"
  for f in "$@"; do echo "$f $(stat -c %s "$f")"; done > "$WORK/srv/files.txt"
  java -Xmx2g -cp "$CP" org.channelmirror.bench.BenchServers "$WORK/srv" "$mode" $S3_PORT $BOT_PORT \
    "$WORK/srv/files.txt" "$S3_ROOT" > "$WORK/logs/servers.log" 2>&1 &
  SERVERS_PID=$!
  for _ in $(seq 1 600); do [ -f "$WORK/srv/servers.env" ] && break; sleep 0.5; done
  [ -f "$WORK/srv/servers.env" ] || { echo "servers did not start"; cat "$WORK/logs/servers.log"; exit 1; }
  set -a; . "$WORK/srv/servers.env"; set +a
  export AWS_DEFAULT_REGION=us-east-1
  export RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other RCLONE_CONFIG_S3_ENDPOINT=$S3_ENDPOINT \
    RCLONE_CONFIG_S3_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
    RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true
  start_nginx
}
stop_servers() {
  [ -n "$SERVERS_PID" ] && { kill "$SERVERS_PID" 2>/dev/null || true; wait "$SERVERS_PID" 2>/dev/null || true; }
  SERVERS_PID=""
}
start_nginx() {
  [ -n "$NGINX_PID" ] && return
  mkdir -p "$WORK/nginx/logs"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
daemon off;
user root;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  keepalive_requests 100000; keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$WEB_PORT;
    location ~ ^/file/bot[^/]+/(?<p>.+)\$ { alias $WORK/srv/www/\$p; }
    location /data/ { alias $WORK/data/; }
    location / { proxy_pass http://127.0.0.1:$BOT_PORT; proxy_buffering off; proxy_read_timeout 120s; }
  }
  server {
    listen 127.0.0.1:$SLOW_PORT;
    limit_rate $SLOW_RATE;
    location ~ ^/file/bot[^/]+/(?<p>.+)\$ { alias $WORK/srv/www/\$p; }
    location /data/ { alias $WORK/data/; }
    location / { proxy_pass http://127.0.0.1:$BOT_PORT; proxy_buffering off; proxy_read_timeout 120s; }
  }
}
CONF
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
  NGINX_PID=$!
  sleep 0.5
}

# ---------------------------------------------------------------- measuring
measure() { # label command... ; appends "label wall cpu rss_mb" to results
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" > "$WORK/logs/$label.log" 2>&1 \
    || { echo "FAILED: $label (see $WORK/logs/$label.log)"; tail -5 "$WORK/logs/$label.log"; return 1; }
  read -r e u s m < "$WORK/time.txt"
  local cpu; cpu=$(echo "$u + $s" | bc)
  printf "%-28s wall %7.2f s  cpu %7.2f s  rss %6d MB\n" "$label" "$e" "$cpu" $((m / 1024))
  echo "$label $e $cpu $((m / 1024))" >> "$RESULTS"
}
bucket() { $AWS --endpoint-url "$S3_ENDPOINT" s3 mb "s3://$1" >/dev/null 2>&1 || true; }
drop_bucket() { $AWS --endpoint-url "$S3_ENDPOINT" s3 rb --force "s3://$1" >/dev/null 2>&1 || true; }

# A config and a catalog for one channel-mirror run. The catalog is created beforehand (by `status`),
# as every run after an installation's first finds it: the timed `sync` is the steady state, not the
# one-off schema creation (0.6-1.8 s here; the big.cm-http-fresh-catalog row measures it). FRESH=1: no catalog.
cm_config() { # name apiUrl localMode [sha256Metadata: singlePart (the transfer alone) | always (the default)]
  local dir=$WORK/runs/$1
  rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/cm.yaml" <<YAML
telegram:
  token: "$BOT_TOKEN"
  apiUrl: $2
  localMode: $3
  channels: [-1001234567890]
  pollTimeoutSeconds: 0
  # a loopback server has no flood control: measure the engine, not the default 25 calls/s budget
  requestsPerSecond: 0
storage:
  endpoint: $S3_ENDPOINT
  bucket: cm-$1
  accessKeyId: $AWS_ACCESS_KEY_ID
  secretAccessKey: $AWS_SECRET_ACCESS_KEY
  partSize: $PART_SIZE
catalog:
  url: jdbc:h2:file:$dir/catalog
transfer:
  window: $WINDOW
  sha256Metadata: ${4:-singlePart}
dataDir: $dir
YAML
  if [ -z "${FRESH:-}" ]; then
    java -jar "$JAR" --config "$dir/cm.yaml" status > "$dir/status.log" 2>&1 \
      || { echo "catalog set-up failed: $dir/status.log" >&2; exit 1; }
  fi
  echo "$dir/cm.yaml"
}
cm_sync() { # label config [jvm options...]
  local label=$1 cfg=$2; shift 2
  # shellcheck disable=SC2086
  measure "$label" java $JAVA_OPTS "$@" -jar "${CM_JAR:-$JAR}" --config "$cfg" sync
  grep -h "stored as\|backup run\|metadata added" "$WORK/logs/$label.log" | tail -3 | sed 's/^/    /'
}

# The class-data-sharing archive deploy/Dockerfile builds: the classes a whole backup loads, trained
# by `demo` (offline, against the built-in fake Bot API and embedded storage). Made once per run.
cds_archive() {
  if [ ! -f "$WORK/cm-demo.jsa" ]; then
    (cd "$WORK" && rm -rf cds-demo && mkdir cds-demo && cd cds-demo \
      && java -XX:ArchiveClassesAtExit="$WORK/cm-demo.jsa" -jar "$JAR" demo > "$WORK/logs/cds-demo.log" 2>&1) \
      || { echo "building the CDS archive failed: $WORK/logs/cds-demo.log" >&2; exit 1; }
  fi
  echo "$WORK/cm-demo.jsa"
}

WEB=http://127.0.0.1:$WEB_PORT
SLOW=http://127.0.0.1:$SLOW_PORT

# ---------------------------------------------------------------- 1 GiB
if [[ " $SCENARIOS " == *" big "* ]]; then
  echo "== one 1 GiB file"
  start_servers cloud "$WORK/data/big/1g.bin"
  URL=$WEB/data/big/1g.bin
  measure big.curl curl -sS -o /dev/null "$URL"
  bucket anchor
  measure big.curl-aws bash -c "curl -sS '$URL' | $AWS --endpoint-url '$S3_ENDPOINT' s3 cp --no-progress - s3://anchor/1g-pipe.bin"
  drop_bucket anchor
  for rep in $(seq 1 "$REPEAT"); do
    start_servers cloud "$WORK/data/big/1g.bin"
    bucket anchor
    measure "big.aws-cp#$rep" $AWS --endpoint-url "$S3_ENDPOINT" s3 cp --no-progress "$WORK/data/big/1g.bin" s3://anchor/1g.bin
    measure "big.rclone-copyurl#$rep" rclone copyurl "$URL" s3:anchor/1g-rclone.bin
    drop_bucket anchor
    # the CPU floor of the stack: a fresh JVM running only the data path with the product's libraries
    measure "big.bare-engine#$rep" java $JAVA_OPTS -cp "$CP" org.channelmirror.bench.BareEngine "$S3_ENDPOINT" \
      "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$URL" $((1 << 30))
    drop_bucket bare-engine
    # each channel-mirror run gets fresh servers: a sync confirms the updates it read
    cm_sync "big.cm-http#$rep" "$(cm_config big-http "$WEB" false "")"
    drop_bucket cm-big-http
    # the same with the JVM's default JIT (C2 for everything; see app/CompilerPolicy)
    start_servers cloud "$WORK/data/big/1g.bin"
    cm_sync "big.cm-http-jit-full#$rep" "$(cm_config big-jit-full "$WEB" false "")" -Dchannel-mirror.jit=full
    drop_bucket cm-big-jit-full
    start_servers cloud "$WORK/data/big/1g.bin"
    cm_sync "big.cm-http-sha-meta#$rep" "$(cm_config big-meta "$WEB" false always)"
    drop_bucket cm-big-meta
    # twice the bytes in one process: the difference is the CPU per GiB without start-up and JIT
    start_servers cloud "$WORK/data/big/2g.bin"
    cm_sync "big.cm-http-2g#$rep" "$(cm_config big-2g "$WEB" false "")"
    drop_bucket cm-big-2g
    if [ -n "${BASELINE_JAR:-}" ]; then
      # an older build (BASELINE_JAR=path/to/channel-mirror.jar), interleaved: what a change cost or saved
      start_servers cloud "$WORK/data/big/1g.bin"
      CM_JAR=$BASELINE_JAR cm_sync "big.baseline-http#$rep" "$(cm_config big-base "$WEB" false "")"
      drop_bucket cm-big-base
      start_servers cloud "$WORK/data/big/2g.bin"
      CM_JAR=$BASELINE_JAR cm_sync "big.baseline-http-2g#$rep" "$(cm_config big-base-2g "$WEB" false "")"
      drop_bucket cm-big-base-2g
    fi
  done
  start_servers cloud "$WORK/data/big/1g.bin"
  cm_sync big.cm-http-cds "$(cm_config big-cds "$WEB" false "")" -XX:SharedArchiveFile="$(cds_archive)"
  drop_bucket cm-big-cds
  start_servers cloud "$WORK/data/big/1g.bin"
  cm_sync big.cm-http-fresh-catalog "$(FRESH=1 cm_config big-fresh "$WEB" false "")"
  drop_bucket cm-big-fresh
  start_servers cloud "$WORK/data/big/1g.bin"
  cm_sync big.cm-http-jfr "$(cm_config big-jfr "$WEB" false "")" \
    -XX:StartFlightRecording=filename=$WORK/big-http.jfr,settings=profile
  drop_bucket cm-big-jfr
  # where a one-shot sync's CPU goes, by thread group (transfer threads, JIT compilers, start-up)
  start_servers cloud "$WORK/data/big/1g.bin"
  echo "big.cm-http CPU by thread:"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --config "$(cm_config big-threads "$WEB" false "")" sync \
    > "$WORK/logs/big.cm-http-threads.log" 2>&1 &
  cm_pid=$!
  "$ROOT/src/bench/thread_cpu.py" "$cm_pid" | tee "$WORK/threads-1g.txt"
  wait "$cm_pid" || echo "FAILED: see $WORK/logs/big.cm-http-threads.log"
  drop_bucket cm-big-threads
  start_servers local "$WORK/data/big/1g.bin"
  cm_sync big.cm-local "$(cm_config big-local "$BOT_URL" true "")"
  drop_bucket cm-big-local
  # the default in local mode: the file is hashed first (a disk read), the sha256 metadata goes in
  # with CreateMultipartUpload, and no server-side copy follows
  start_servers local "$WORK/data/big/1g.bin"
  cm_sync big.cm-local-always "$(cm_config big-local-always "$BOT_URL" true always)"
  drop_bucket cm-big-local-always
fi

# ---------------------------------------------------------------- small files
if [[ " $SCENARIOS " == *" small "* ]]; then
  echo "== $SMALL_FILES files of 1-2 MB ($((SMALL_BYTES / 1000000)) MB)"
  start_servers cloud "$WORK"/data/small/*
  bucket anchor
  measure small.rclone-copyurl-loop bash -c "for f in $WORK/data/small/*; do \
    rclone copyurl $WEB/data/small/\$(basename \$f) s3:anchor/loop/\$(basename \$f) || exit 1; done"
  drop_bucket anchor
  for rep in $(seq 1 "$REPEAT"); do
    start_servers cloud "$WORK"/data/small/*
    bucket anchor
    measure "small.aws-cp-recursive#$rep" $AWS --endpoint-url "$S3_ENDPOINT" s3 cp --no-progress --recursive \
      --quiet "$WORK/data/small" s3://anchor/small/
    drop_bucket anchor
    # the JVM's default JIT (C2 for everything; see app/CompilerPolicy), then the product as it is
    cm_sync "small.cm-http-jit-full#$rep" "$(cm_config small-jit-full "$WEB" false "")" -Dchannel-mirror.jit=full
    drop_bucket cm-small-jit-full
    start_servers cloud "$WORK"/data/small/*
    drop_bucket cm-small-http
    cm_sync "small.cm-http#$rep" "$(cm_config small-http "$WEB" false "")"
  done
  # the same process with nothing to transfer: JVM start, catalog, intake, bucket check
  cm_sync small.cm-idle "$WORK/runs/small-http/cm.yaml"
  drop_bucket cm-small-http
  # the same with the class-data-sharing archive the container image builds (see cds_archive)
  start_servers cloud "$WORK"/data/small/*
  cm_sync small.cm-http-cds "$(cm_config small-cds "$WEB" false "")" -XX:SharedArchiveFile="$(cds_archive)"
  drop_bucket cm-small-cds
  start_servers cloud "$WORK"/data/small/*
  cm_sync small.cm-http-jfr "$(cm_config small-jfr "$WEB" false "")" \
    -XX:StartFlightRecording=filename=$WORK/small-http.jfr,settings=profile
  drop_bucket cm-small-jfr
fi

# ---------------------------------------------------------------- warm CPU per GiB
# What a long-running process (the `run` daemon) spends per GiB once start-up and JIT are behind
# it: one sync of WARM_FILES files of 1 GiB, one at a time; the process's user+sys ticks are read
# from /proc whenever a file is logged as stored, and each file after the first is reported.
if [[ " $SCENARIOS " == *" warm "* ]]; then
  WARM_FILES=${WARM_FILES:-4}
  echo "== warm: $WARM_FILES files of 1 GiB in one process, one at a time"
  start_servers cloud $(for _ in $(seq 1 "$WARM_FILES"); do echo "$WORK/data/big/1g.bin"; done)
  cfg=$(cm_config warm "$WEB" false "")
  sed -i 's/^transfer:$/transfer:\n  concurrency: 1/' "$cfg"
  log=$WORK/logs/warm.log
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --config "$cfg" sync > "$log" 2>&1 &
  pid=$!
  hz=$(getconf CLK_TCK); seen=0; last=""
  while kill -0 "$pid" 2>/dev/null; do
    n=$(grep -c "stored as" "$log" || true)
    if [ "$n" -gt "$seen" ]; then
      ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo "")
      if [ -n "$last" ] && [ -n "$ticks" ]; then
        cpu=$(echo "scale=2; ($ticks - $last) / $hz" | bc)
        printf "%-28s cpu %7.2f s  (file %d of %d, 1 GiB)\n" "warm.cm-http-file$n" "$cpu" "$n" "$WARM_FILES"
        echo "warm.cm-http#$n 0 $cpu 0" >> "$RESULTS"
      fi
      last=$ticks; seen=$n
    fi
    sleep 0.05
  done
  wait "$pid" || { echo "FAILED: warm sync (see $log)"; tail -5 "$log"; }
  drop_bucket cm-warm
fi

# ---------------------------------------------------------------- memory
if [[ " $SCENARIOS " == *" memory "* ]]; then
  echo "== memory: -Xmx128m, 1 GiB and 2 GiB"
  start_servers cloud "$WORK/data/big/1g.bin"
  cm_sync mem.cm-1g-xmx128m "$(cm_config mem1 "$WEB" false "")" -Xmx128m
  drop_bucket cm-mem1
  start_servers cloud "$WORK/data/big/2g.bin"
  cm_sync mem.cm-2g-xmx128m "$(cm_config mem2 "$WEB" false "")" -Xmx128m
  drop_bucket cm-mem2
fi

# ---------------------------------------------------------------- slow link
if [[ " $SCENARIOS " == *" slow "* ]]; then
  echo "== slow link: $SLOW_RATE per connection, 200 MiB"
  start_servers cloud "$WORK/data/big/200m.bin"
  measure slow.curl curl -sS -o /dev/null "$SLOW/data/big/200m.bin"
  cm_sync slow.cm-http "$(cm_config slow "$SLOW" false "")"
  drop_bucket cm-slow
fi

# ---------------------------------------------------------------- resume
if [[ " $SCENARIOS " == *" resume "* ]]; then
  echo "== resume: kill -9 partway through 1 GiB, then sync again"
  start_servers cloud "$WORK/data/big/1g.bin"
  cfg=$(cm_config resume "$WEB" false "")
  java $JAVA_OPTS -jar "$JAR" --config "$cfg" sync > "$WORK/logs/resume.killed.log" 2>&1 &
  victim=$!
  sleep "${RESUME_KILL_AFTER:-5}"
  kill -9 "$victim"; wait "$victim" 2>/dev/null || true
  $AWS --endpoint-url "$S3_ENDPOINT" s3api list-multipart-uploads --bucket cm-resume --output text \
    | sed 's/^/    left by the killed run: /' | head -2
  cm_sync resume.cm-http "$cfg"
  grep -h "resuming" "$WORK/logs/resume.cm-http.log" | sed 's/^/    /'
  drop_bucket cm-resume
fi

# ---------------------------------------------------------------- DESIGN's intake and latency targets
# (harnesses with servers of their own, in their own JVM; see their class comments)
if [[ " $SCENARIOS " == *" intake "* ]]; then
  echo "== intake: updates committed per second, through intake and through getUpdates alone"
  java $JAVA_OPTS -cp "$CP" org.channelmirror.bench.IntakeThroughput "${INTAKE_UPDATES:-20000}" 3 2>&1 \
    | grep '^round' | sed 's/^/    /'
fi
if [[ " $SCENARIOS " == *" latency "* ]]; then
  echo "== latency: post to durable, the service (run) with a 5 s backup schedule"
  java $JAVA_OPTS -cp "$CP" org.channelmirror.bench.BackupLatency "$JAR" "${LATENCY_SECONDS:-120}" \
    "${LATENCY_RATE:-1}" 2>&1 | grep '^posts\|^post-to-durable' | sed 's/^/    /'
fi

stop_servers
rm -rf "$S3_ROOT"
echo "== results ($RESULTS): label wall_s cpu_s rss_mb"
cat "$RESULTS"
# medians of the repeated rows ("label#n"), each column on its own
echo "== medians of repeated rows: label runs wall_s cpu_s rss_mb"
awk '$1 ~ /#[0-9]+$/ { l = $1; sub(/#[0-9]+$/, "", l); n[l]++; w[l, n[l]] = $2; c[l, n[l]] = $3; r[l, n[l]] = $4 }
  function med(a, l, k,   i, j, t, v) { for (i = 1; i <= k; i++) v[i] = a[l, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
  END { for (l in n) printf "%-26s %d %7.2f %7.2f %6d\n", l, n[l], med(w, l, n[l]), med(c, l, n[l]), med(r, l, n[l]) }' \
  "$RESULTS" | sort | tee "$WORK/medians.txt"
