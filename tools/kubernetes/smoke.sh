#!/usr/bin/env bash
# Smoke test of the binaries build.sh makes: brings up etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, the Volcano CRDs, vc-controller-manager,
# vc-scheduler and kwok on 127.0.0.1 (free ports, data in a temp dir), creates 2 fake
# nodes, a Volcano Queue and a Volcano Job (1 task, replicas 2, minAvailable 2) whose pods
# KWOK completes after the run time in their annotation, and checks that volcano binds the
# pods, that they run, and that the Job reaches Completed. Then it stops every process it
# started (by PID) and removes the temp dir.
#
#   smoke.sh [BIN_DIR]      BIN_DIR defaults to the last line of build.sh's output
# Environment: KUBECTL (default kubectl), SMOKE_KEEP=1 keeps the temp dir (logs, certs),
# SMOKE_RUN_SECONDS (default 10) is the pods' run time, given as the annotation
# bench/run-seconds, or with SMOKE_RUN_ANNOTATION=kwok as KWOK's own
# pod-complete.stage.kwok.x-k8s.io/delay (see config/kwok-stages.yaml).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-$("$here/build.sh" | tail -n1)}
kubectl_bin=${KUBECTL:-kubectl}
run_seconds=${SMOKE_RUN_SECONDS:-10}
case ${SMOKE_RUN_ANNOTATION:-bench} in
	bench) run_annotation="bench/run-seconds: \"$run_seconds\"" ;;
	kwok) run_annotation="pod-complete.stage.kwok.x-k8s.io/delay: \"${run_seconds}s\"" ;;
	*) echo "smoke: SMOKE_RUN_ANNOTATION is bench or kwok" >&2; exit 2 ;;
esac
volcano_v=$(awk '$1 == "require" { $1 = ""; $0 = $0 } $1 == "volcano.sh/volcano" && $2 ~ /^v/ { print $2; exit }' "$here/volcano/go.mod")
crds="$here/crds/$volcano_v"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler vc-scheduler vc-controller-manager kwok; do
	[ -x "$bin/$b" ] || { echo "smoke: $bin/$b missing (run build.sh)" >&2; exit 2; }
done
for t in openssl curl "$kubectl_bin"; do
	command -v "$t" >/dev/null || { echo "smoke: needs $t" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-k8s-smoke.XXXXXX")
mkdir -p "$work/logs" "$work/pki"
declare -A pid_of=()
started=() # names, in start order

t0=$(date +%s.%N)
since() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
say() { echo "[$(since)] $*" >&2; }

stop_all() {
	local i name pid
	for ((i = ${#started[@]} - 1; i >= 0; i--)); do
		name=${started[i]}
		pid=${pid_of[$name]}
		kill -TERM "$pid" 2>/dev/null || continue
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$pid" 2>/dev/null; then
			say "$name ($pid) ignored SIGTERM for 10s; SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	done
}
on_exit() {
	local rc=$?
	stop_all
	if [ "$rc" -ne 0 ]; then
		echo "smoke: FAILED (exit $rc); last log lines:" >&2
		for f in "$work"/logs/*.log; do
			[ -f "$f" ] || continue
			echo "---- $(basename "$f")" >&2
			tail -n 15 "$f" >&2
		done
	fi
	if [ "${SMOKE_KEEP:-0}" = 1 ]; then echo "smoke: kept $work" >&2; else rm -rf "$work"; fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# A free loopback port, not one handed out before in this run.
declare -A used_ports=()
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		[ -z "${used_ports[$p]:-}" ] || continue
		if ! (: </dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			used_ports[$p]=1
			echo "$p"
			return
		fi
	done
}

start() { # name args...
	local name=$1
	shift
	"$@" >"$work/logs/$name.log" 2>&1 &
	pid_of[$name]=$!
	started+=("$name")
	say "started $name (pid ${pid_of[$name]})"
}
alive() {
	kill -0 "${pid_of[$1]}" 2>/dev/null || { echo "smoke: $1 exited early" >&2; exit 1; }
}
wait_for() { # name seconds command...: until command succeeds, while name lives
	local name=$1 secs=$2 end
	shift 2
	end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		alive "$name"
		[ "$SECONDS" -lt "$end" ] || { echo "smoke: $name not ready after ${secs}s" >&2; exit 1; }
		sleep 0.2
	done
}

# ---- PKI: a CA, the API server's serving cert, one client cert per component, SA keys
pki="$work/pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=bench-smoke-ca" -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
cert() { # name subject extensions
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
		-keyout "$pki/$1.key" 2>/dev/null |
		openssl x509 -req -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
			-days 2 -extfile <(printf '%s\n' "$3") -out "$pki/$1.crt" 2>/dev/null
}
cert apiserver "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1
extendedKeyUsage=serverAuth"
cert admin "/O=system:masters/CN=bench-admin" "extendedKeyUsage=clientAuth"
cert front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth"
cert kube-controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
cert kube-scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
cert volcano "/O=system:masters/CN=bench-volcano" "extendedKeyUsage=clientAuth"
cert kwok "/O=system:masters/CN=bench-kwok" "extendedKeyUsage=clientAuth"
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

etcd_port=$(free_port)
etcd_peer_port=$(free_port)
api_port=$(free_port)
kcm_port=$(free_port)
ks_port=$(free_port)
vcs_metrics_port=$(free_port)
vcs_healthz_port=$(free_port)
vcc_metrics_port=$(free_port)
vcc_healthz_port=$(free_port)
kwok_port=$(free_port)

kubeconfig() { # user -> path
	local f="$work/$1.kubeconfig"
	cat >"$f" <<-EOF
		apiVersion: v1
		kind: Config
		clusters:
		- name: smoke
		  cluster:
		    server: https://127.0.0.1:$api_port
		    certificate-authority: $pki/ca.crt
		users:
		- name: $1
		  user:
		    client-certificate: $pki/$1.crt
		    client-key: $pki/$1.key
		contexts:
		- name: smoke
		  context: {cluster: smoke, user: $1}
		current-context: smoke
	EOF
	echo "$f"
}
admin_kc=$(kubeconfig admin)
kcm_kc=$(kubeconfig kube-controller-manager)
ks_kc=$(kubeconfig kube-scheduler)
vc_kc=$(kubeconfig volcano)
kwok_kc=$(kubeconfig kwok)
k() { "$kubectl_bin" --kubeconfig "$admin_kc" "$@"; }

# ---- etcd
start etcd "$bin/etcd" --name smoke --data-dir "$work/etcd" \
	--listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
	--listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
	--initial-cluster "smoke=http://127.0.0.1:$etcd_peer_port" --initial-cluster-state new \
	--quota-backend-bytes 2147483648 --log-level warn
wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"
say "etcd healthy"

# ---- kube-apiserver
start kube-apiserver "$bin/kube-apiserver" \
	--etcd-servers "http://127.0.0.1:$etcd_port" \
	--bind-address 127.0.0.1 --secure-port "$api_port" --advertise-address 127.0.0.1 \
	--endpoint-reconciler-type none \
	--tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
	--client-ca-file "$pki/ca.crt" \
	--service-account-issuer https://kubernetes.default.svc.cluster.local \
	--service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
	--service-cluster-ip-range 10.96.0.0/16 \
	--authorization-mode Node,RBAC \
	--requestheader-client-ca-file "$pki/ca.crt" --requestheader-allowed-names front-proxy-client \
	--requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
	--requestheader-extra-headers-prefix X-Remote-Extra- \
	--proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
	--allow-privileged=true \
	--profiling=false
wait_for kube-apiserver 120 curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
	"https://127.0.0.1:$api_port/readyz"
say "kube-apiserver ready ($(k version -o json 2>/dev/null | awk -F'"' '/gitVersion/ { v = $4 } END { print v }'))"

# ---- controllers and schedulers
always_allow=/healthz,/readyz,/livez,/metrics
start kube-controller-manager "$bin/kube-controller-manager" \
	--kubeconfig "$kcm_kc" --authentication-kubeconfig "$kcm_kc" --authorization-kubeconfig "$kcm_kc" \
	--bind-address 127.0.0.1 --secure-port "$kcm_port" --authorization-always-allow-paths "$always_allow" \
	--leader-elect=false --use-service-account-credentials=true \
	--service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
	--cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
	--profiling=false
start kube-scheduler "$bin/kube-scheduler" \
	--kubeconfig "$ks_kc" --authentication-kubeconfig "$ks_kc" --authorization-kubeconfig "$ks_kc" \
	--bind-address 127.0.0.1 --secure-port "$ks_port" --authorization-always-allow-paths "$always_allow" \
	--leader-elect=false --profiling=false

k apply --server-side -f "$crds" >/dev/null
k wait --for condition=established --timeout=60s crd --all >/dev/null
say "Volcano $volcano_v CRDs established ($(k get crd -o name | grep -c volcano.sh) CRDs)"

start vc-controller-manager "$bin/vc-controller-manager" \
	--kubeconfig "$vc_kc" --leader-elect=false \
	--enable-metrics --listen-address "127.0.0.1:$vcc_metrics_port" \
	--enable-healthz --healthz-address "127.0.0.1:$vcc_healthz_port"
start vc-scheduler "$bin/vc-scheduler" \
	--kubeconfig "$vc_kc" --leader-elect=false \
	--scheduler-conf "$here/config/volcano-scheduler.conf" \
	--enable-metrics --listen-address "127.0.0.1:$vcs_metrics_port" \
	--enable-healthz --healthz-address "127.0.0.1:$vcs_healthz_port"
start kwok "$bin/kwok" \
	--kubeconfig "$kwok_kc" --config "$here/config/kwok-stages.yaml" \
	--manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
	--cidr 10.0.0.0/16 \
	--server-address "127.0.0.1:$kwok_port"

secure() { curl -fsSk "https://127.0.0.1:$1$2"; }
wait_for kube-controller-manager 60 secure "$kcm_port" /healthz
wait_for kube-scheduler 60 secure "$ks_port" /readyz
wait_for vc-controller-manager 60 curl -fsS "http://127.0.0.1:$vcc_healthz_port/healthz"
wait_for vc-scheduler 60 curl -fsS "http://127.0.0.1:$vcs_healthz_port/healthz"
wait_for kwok 60 curl -fsS "http://127.0.0.1:$kwok_port/healthz"
wait_for kube-controller-manager 60 k get serviceaccount default -n default
say "all components healthy"
up=$(since)

# ---- 2 fake nodes, a queue, a job
for n in 0 1; do
	cat <<-EOF
		apiVersion: v1
		kind: Node
		metadata:
		  name: kwok-node-$n
		  annotations:
		    kwok.x-k8s.io/node: fake
		    node.alpha.kubernetes.io/ttl: "0"
		  labels:
		    type: kwok
		    kubernetes.io/hostname: kwok-node-$n
		    kubernetes.io/os: linux
		    kubernetes.io/arch: amd64
		status:
		  capacity: {cpu: "8", memory: 32Gi, pods: "110", nvidia.com/gpu: "4"}
		  allocatable: {cpu: "8", memory: 32Gi, pods: "110", nvidia.com/gpu: "4"}
		---
	EOF
done | k apply -f - >/dev/null
wait_for kwok 60 bash -c "[ \"\$('$kubectl_bin' --kubeconfig '$admin_kc' get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\" \"}{end}')\" = 'True True ' ]"
say "2 kwok nodes Ready"

k apply -f - >/dev/null <<EOF
apiVersion: scheduling.volcano.sh/v1beta1
kind: Queue
metadata:
  name: smoke
spec:
  weight: 1
  reclaimable: true
EOF
wait_for vc-controller-manager 30 bash -c "[ \"\$('$kubectl_bin' --kubeconfig '$admin_kc' get queue smoke -o jsonpath='{.status.state}')\" = Open ]"
say "queue smoke Open"

k apply -f - >/dev/null <<EOF
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: smoke
  namespace: default
spec:
  schedulerName: volcano
  queue: smoke
  minAvailable: 2
  maxRetry: 1
  tasks:
  - name: worker
    replicas: 2
    template:
      metadata:
        annotations:
          $run_annotation
      spec:
        restartPolicy: Never
        containers:
        - name: main
          image: bench.invalid/fake:never-pulled
          resources:
            requests: {cpu: "2", memory: 4Gi, nvidia.com/gpu: "1"}
            limits: {nvidia.com/gpu: "1"}
EOF
job_t0=$SECONDS
say "volcano Job default/smoke created (2 pods, $run_annotation)"

phase() { k get vcjob smoke -o jsonpath='{.status.state.phase}' 2>/dev/null; }
pods_jp='{range .items[*]}{.metadata.name}{" "}{.spec.schedulerName}{" "}{.spec.nodeName}{" "}{.status.phase}{"\n"}{end}'
last=""
seen_running=0
while :; do
	p=$(phase)
	pods=$(k get pods -l volcano.sh/job-name=smoke -o jsonpath="$pods_jp" 2>/dev/null || true)
	pg=$(k get podgroups -o jsonpath='{range .items[*]}{.metadata.name}{"="}{.status.phase}{" "}{end}' 2>/dev/null || true)
	now="job=$p | podgroup ${pg:-none} | $(echo "$pods" | awk 'NF { printf "%s@%s:%s ", $1, ($3 == "" ? "-" : $3), $4 }')"
	if [ "$now" != "$last" ]; then say "$now"; last=$now; fi
	if [ "$(echo "$pods" | awk '$4 == "Running"' | wc -l)" = 2 ]; then seen_running=1; fi
	[ "$p" = Completed ] && break
	case $p in Failed | Aborted | Terminated) echo "smoke: job ended $p" >&2; exit 1 ;; esac
	[ $((SECONDS - job_t0)) -lt 120 ] || { echo "smoke: job not Completed after 120s" >&2; exit 1; }
	for c in kube-apiserver vc-scheduler vc-controller-manager kwok; do alive "$c"; done
	sleep 0.5
done
say "volcano Job Completed $((SECONDS - job_t0))s after creation"

# ---- evidence
echo "== podgroups now (vc-controller-manager made one per job, see the log above):" >&2
k get podgroups -o wide >&2 || true
echo "== nodes:" >&2
k get nodes -o wide >&2
echo "== pods:" >&2
k get pods -o wide -l volcano.sh/job-name=smoke >&2
echo "== who wrote the pods (managedFields):" >&2
k get pods -l volcano.sh/job-name=smoke -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{range .metadata.managedFields[*]}{"  "}{.time}{" "}{.manager}{" "}{.operation}{" "}{.subresource}{"\n"}{end}{end}' >&2
echo "== Scheduled events:" >&2
k get events --field-selector reason=Scheduled \
	-o custom-columns=POD:.involvedObject.name,FROM:.source.component,REPORTER:.reportingComponent,MESSAGE:.message >&2
echo "== job status:" >&2
k get vcjob smoke -o jsonpath='{.status}' >&2
echo >&2
[ "$seen_running" = 1 ] || { echo "smoke: never saw both pods Running" >&2; exit 1; }
# Each pod's simulated run: from status.startTime (kwok's pod-ready) to the container's finishedAt.
runs=$(k get pods -l volcano.sh/job-name=smoke -o jsonpath='{range .items[*]}{.status.startTime}{" "}{.status.containerStatuses[0].state.terminated.finishedAt}{"\n"}{end}' |
	while read -r a b; do echo $(($(date -d "$b" +%s) - $(date -d "$a" +%s))); done | tr '\n' ' ')
say "pod run times (finishedAt - startTime): ${runs}s for an asked ${run_seconds}s"
for r in $runs; do
	if [ "$r" -lt $((run_seconds - 1)) ] || [ "$r" -gt $((run_seconds + 3)) ]; then
		echo "smoke: a pod ran ${r}s, asked ${run_seconds}s" >&2
		exit 1
	fi
done
bound_by=$(k get events --field-selector reason=Scheduled -o jsonpath='{range .items[*]}{.source.component}{.reportingComponent}{"\n"}{end}' | sort -u)
echo "$bound_by" | grep -q volcano || { echo "smoke: pods not bound by volcano ($bound_by)" >&2; exit 1; }

echo "== metrics endpoints:" >&2
for ep in "kube-apiserver https://127.0.0.1:$api_port/metrics (client cert)" \
	"kube-controller-manager https://127.0.0.1:$kcm_port/metrics" \
	"kube-scheduler https://127.0.0.1:$ks_port/metrics" \
	"vc-scheduler http://127.0.0.1:$vcs_metrics_port/metrics" \
	"vc-controller-manager http://127.0.0.1:$vcc_metrics_port/metrics" \
	"kwok http://127.0.0.1:$kwok_port/metrics" \
	"etcd http://127.0.0.1:$etcd_port/metrics"; do
	set -- $ep
	url=$2
	if [ "$1" = kube-apiserver ]; then
		n=$(curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$url" | grep -vc '^#' || true)
	else
		n=$(curl -fsSk "$url" | grep -vc '^#' || true)
	fi
	echo "  $1 $url: $n samples" >&2
done
echo "  some vc-scheduler samples:" >&2
curl -fsS "http://127.0.0.1:$vcs_metrics_port/metrics" |
	grep -E '^volcano_(e2e_scheduling_latency_milliseconds_count|e2e_job_scheduling_latency_milliseconds_count|queue_allocated_milli_cpu|queue_allocated_scalar_resources)' |
	sed 's/^/    /' >&2 || true
echo "  some kube-scheduler samples:" >&2
curl -fsSk "https://127.0.0.1:$ks_port/metrics" | grep -E '^scheduler_(schedule_attempts_total|pending_pods)' | sed 's/^/    /' >&2 || true

say "SMOKE PASSED: control plane + volcano + kwok up in $up, job completed"
