#!/usr/bin/env bash
# Builds the real Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler), etcd, Volcano (vc-scheduler, vc-controller-manager) and the KWOK
# controller from the Go module proxy, once per version key, into
#   ${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bench}/k8s/<version-key>/bin/
# Each component is built from a wrapper module beside this script (k8s/, etcd/,
# volcano/, kwok/) whose go.mod pins the versions and whose go.sum pins the hashes.
#
#   build.sh          build if needed; the last line on stdout is the bin dir
#   build.sh --key    print the version key and exit
#   build.sh --check  print the bin dir and exit 0 if it is complete, else exit 1
#
# Idempotent and safe to run concurrently: callers of the same key serialise on an
# flock, binaries go to a temporary dir renamed into place only when all succeeded,
# and a complete cache returns at once. Progress goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root="${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bench}/k8s"

# The version of module $2 that wrapper $1 requires (from its go.mod, no go command).
modver() {
	awk -v m="$2" '$1 == "require" { $1 = ""; $0 = $0 } $1 == m && $2 ~ /^v/ { print $2; exit }' "$here/$1/go.mod"
}

k8s_v=$(modver k8s k8s.io/kubernetes)
etcd_v=$(modver etcd go.etcd.io/etcd/server/v3)
volcano_v=$(modver volcano volcano.sh/volcano)
kwok_v=$(modver kwok sigs.k8s.io/kwok)
for v in k8s_v etcd_v volcano_v kwok_v; do
	[ -n "${!v}" ] || { echo "build.sh: cannot read ${v%_v} version from its go.mod" >&2; exit 2; }
done

k8s_minor=${k8s_v#v1.}; k8s_minor=${k8s_minor%%.*}
k8s_x() {
	local p
	for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		printf ' -X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean' \
			"$p" "$k8s_v" "$p" "$p" "$k8s_minor" "$p"
	done
}

# name | wrapper dir | package | extra -ldflags (besides -s -w)
components=(
	"etcd|etcd|go.etcd.io/etcd/server/v3|"
	"kube-apiserver|k8s|k8s.io/kubernetes/cmd/kube-apiserver|$(k8s_x)"
	"kube-controller-manager|k8s|k8s.io/kubernetes/cmd/kube-controller-manager|$(k8s_x)"
	"kube-scheduler|k8s|k8s.io/kubernetes/cmd/kube-scheduler|$(k8s_x)"
	"vc-scheduler|volcano|volcano.sh/volcano/cmd/scheduler| -X volcano.sh/volcano/pkg/version.Version=$volcano_v"
	"vc-controller-manager|volcano|volcano.sh/volcano/cmd/controller-manager| -X volcano.sh/volcano/pkg/version.Version=$volcano_v"
	"kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|"
)

# The key names every component version, plus a short hash of everything else that
# decides the binaries (the wrappers' go.mod/go.sum and the build recipe).
recipe="CGO_ENABLED=0 -trimpath -s -w ${components[*]}"
inputs_hash=$(
	{
		printf '%s\n' "$recipe"
		cat "$here"/{k8s,etcd,volcano,kwok}/go.{mod,sum}
	} | sha256sum | cut -c1-10
)
key="k8s-${k8s_v}_etcd-${etcd_v}_volcano-${volcano_v}_kwok-${kwok_v}_${inputs_hash}"
dest="$cache_root/$key"
bin="$dest/bin"

complete() {
	local c
	[ -d "$bin" ] || return 1
	for c in "${components[@]}"; do
		[ -x "$bin/${c%%|*}" ] || return 1
	done
}

case "${1:-}" in
	--key) echo "$key"; exit 0 ;;
	--check) if complete; then echo "$bin"; exit 0; else exit 1; fi ;;
	"") ;;
	*) echo "usage: $0 [--key|--check]" >&2; exit 2 ;;
esac

if complete; then
	echo "$bin"
	exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock-$key"
if ! flock -n 9; then
	echo "another build of $key is running; waiting for it..." >&2
	flock 9
fi
if complete; then # built by the caller we waited for
	echo "$bin"
	exit 0
fi

command -v go >/dev/null || { echo "build.sh: no 'go' on PATH (Go 1.26 or newer is needed)" >&2; exit 2; }

tmp=$(mktemp -d "$cache_root/.build-$key.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

# Pure-Go static binaries (no C toolchain needed), exactly the versions the go.mod
# files pin (-mod=readonly: never rewrite them), no go.work of any enclosing folder.
export CGO_ENABLED=0 GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"

echo "building $key into $bin" >&2
total=${#components[@]}
n=0
start_all=$SECONDS
for c in "${components[@]}"; do
	IFS='|' read -r name dir pkg xflags <<<"$c"
	n=$((n + 1))
	echo "building $name (${n}/${total})..." >&2
	start=$SECONDS
	# shellcheck disable=SC2086 # xflags is a list of -X flags
	if ! (cd "$here/$dir" && go build -trimpath -ldflags="-s -w$xflags" -o "$tmp/bin/$name" "$pkg"); then
		echo "build.sh: building $name ($pkg in $dir/) failed" >&2
		exit 1
	fi
	echo "built $name in $((SECONDS - start))s" >&2
done

{
	echo "key: $key"
	echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((SECONDS - start_all))s by $(go version)"
	for c in "${components[@]}"; do
		IFS='|' read -r name dir pkg _ <<<"$c"
		echo "$name: $pkg ($(modver "$dir" "$(
			case $dir in
				k8s) echo k8s.io/kubernetes ;;
				etcd) echo go.etcd.io/etcd/server/v3 ;;
				volcano) echo volcano.sh/volcano ;;
				kwok) echo sigs.k8s.io/kwok ;;
			esac
		)"))"
	done
} >"$tmp/BUILDINFO"

rm -rf "$dest" # only an incomplete leftover can be here (complete() was false under the lock)
mv -T "$tmp" "$dest"
trap - EXIT
chmod 755 "$dest"
echo "built all ${total} components in $((SECONDS - start_all))s" >&2
echo "$bin"
