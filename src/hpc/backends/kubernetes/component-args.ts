/**
 * Command lines of the control plane's components (flags as tools/kubernetes/smoke.sh proves
 * them on v1.34.1 / Volcano v1.14.1 / KWOK v0.8.0). Every listener is on the head's address (or
 * all of its namespace's), so bench scrapes health and metrics from this machine.
 */
import { join } from 'node:path';
import { PORTS } from './control-plane.js';

/** Inputs: the data dir, the PKI dir, the head's address and the rendered files. */
export interface ArgsInput {
  dir: string;
  pki: string;
  address: string;
  files: { kcm: string; ks: string; volcano: string; kwok: string; volcanoConf: string; stages: string };
}

const ALWAYS_ALLOW = '/healthz,/readyz,/livez,/metrics';

/** argv (without the binary) per component, keyed by binary name. */
export function componentArgs(i: ArgsInput): Record<'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'vc-controller-manager' | 'vc-scheduler' | 'kwok', string[]> {
  const a = i.address;
  const p = (f: string) => join(i.pki, f);
  const peer = `http://127.0.0.1:${PORTS.etcdPeer}`;
  return {
    etcd: [
      '--name', 'bench', '--data-dir', join(i.dir, 'etcd'),
      '--listen-client-urls', `http://${a}:${PORTS.etcd},http://127.0.0.1:${PORTS.etcd}`, '--advertise-client-urls', `http://127.0.0.1:${PORTS.etcd}`,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `bench=${peer}`, '--initial-cluster-state', 'new',
      // A benchmark's etcd need not survive power loss; fsync on a loaded disk dominates write latency.
      '--unsafe-no-fsync', '--quota-backend-bytes', '2147483648', '--log-level', 'warn',
    ],
    'kube-apiserver': [
      '--etcd-servers', `http://127.0.0.1:${PORTS.etcd}`,
      '--bind-address', '0.0.0.0', '--secure-port', String(PORTS.apiserver), '--advertise-address', a, '--endpoint-reconciler-type', 'none',
      '--tls-cert-file', p('apiserver.crt'), '--tls-private-key-file', p('apiserver.key'), '--client-ca-file', p('ca.crt'),
      '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', p('sa.pub'), '--service-account-signing-key-file', p('sa.key'),
      '--service-cluster-ip-range', '10.96.0.0/16', '--authorization-mode', 'Node,RBAC', '--allow-privileged=true', '--profiling=false',
      // bench creates pods in bursts (1,000 in the benchmark); the defaults throttle at 400 in flight.
      '--max-requests-inflight', '1000', '--max-mutating-requests-inflight', '1000',
    ],
    'kube-controller-manager': [
      '--kubeconfig', i.files.kcm, '--authentication-kubeconfig', i.files.kcm, '--authorization-kubeconfig', i.files.kcm,
      '--bind-address', a, '--secure-port', String(PORTS.controllerManager), '--authorization-always-allow-paths', ALWAYS_ALLOW,
      '--leader-elect=false', '--use-service-account-credentials=true',
      '--service-account-private-key-file', p('sa.key'), '--root-ca-file', p('ca.crt'),
      '--cluster-signing-cert-file', p('ca.crt'), '--cluster-signing-key-file', p('ca.key'), '--profiling=false',
      '--kube-api-qps', '500', '--kube-api-burst', '1000', '--concurrent-job-syncs', '20',
    ],
    'kube-scheduler': [
      '--kubeconfig', i.files.ks, '--authentication-kubeconfig', i.files.ks, '--authorization-kubeconfig', i.files.ks,
      '--bind-address', a, '--secure-port', String(PORTS.kubeScheduler), '--authorization-always-allow-paths', ALWAYS_ALLOW,
      '--leader-elect=false', '--profiling=false', '--kube-api-qps', '500', '--kube-api-burst', '1000',
    ],
    'vc-controller-manager': [
      '--kubeconfig', i.files.volcano, '--leader-elect=false',
      '--enable-metrics', '--listen-address', `${a}:${PORTS.volcanoControllerMetrics}`,
      '--enable-healthz', '--healthz-address', `${a}:${PORTS.volcanoControllerHealth}`, '--kube-api-qps', '500', '--kube-api-burst', '1000',
    ],
    'vc-scheduler': [
      '--kubeconfig', i.files.volcano, '--leader-elect=false', '--scheduler-conf', i.files.volcanoConf,
      // Without this, a file Volcano refuses is logged and its built-in default used instead.
      '--disable-default-scheduler-config',
      '--enable-metrics', '--listen-address', `${a}:${PORTS.volcanoMetrics}`,
      '--enable-healthz', '--healthz-address', `${a}:${PORTS.volcanoHealth}`, '--kube-api-qps', '500', '--kube-api-burst', '1000',
    ],
    kwok: [
      '--kubeconfig', i.files.kwok, '--config', i.files.stages,
      '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--server-address', `${a}:${PORTS.kwok}`,
    ],
  };
}
