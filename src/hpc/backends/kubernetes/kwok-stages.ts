/**
 * KWOK's lifecycle stages for a run: the stages of `tools/kubernetes/config/kwok-stages.yaml`
 * (nodes Ready, pods Running, pods Succeeded after their run-time annotation) plus one of bench's:
 * a pod with a deadline annotation fails with reason DeadlineExceeded at that time, as the kubelet
 * does at `activeDeadlineSeconds`. Two stages matching one pod are picked at random by KWOK, so
 * pod-complete is narrowed to pods without a deadline.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { DEADLINE_ANNOTATION } from './manifests.js';

type Stage = { metadata: { name: string }; spec: { selector: { matchExpressions: Array<Record<string, unknown>> } } & Record<string, unknown> };

const deadlineKey = `.metadata.annotations["${DEADLINE_ANNOTATION}"]`;

/** The stage that ends a pod at its deadline, as the kubelet would. */
export const DEADLINE_STAGE = {
  apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Stage', metadata: { name: 'pod-deadline' },
  spec: {
    resourceRef: { apiGroup: 'v1', kind: 'Pod' },
    selector: {
      matchExpressions: [
        { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
        { key: '.status.phase', operator: 'In', values: ['Running'] },
        { key: deadlineKey, operator: 'Exists' },
      ],
    },
    delay: { durationMilliseconds: 0, durationFrom: { jq: { expression: deadlineKey } } },
    next: {
      statusTemplate: [
        '{{ $now := Now }}',
        'containerStatuses:',
        '{{ range .spec.containers }}',
        '- image: {{ .image | Quote }}',
        '  name: {{ .name | Quote }}',
        '  ready: false',
        '  restartCount: 0',
        '  started: false',
        '  state:',
        '    terminated:',
        '      exitCode: 137',
        '      finishedAt: {{ $now | Quote }}',
        '      reason: DeadlineExceeded',
        '      startedAt: {{ $now | Quote }}',
        '{{ end }}',
        'phase: Failed',
        'reason: DeadlineExceeded',
        'message: Pod was active on the node longer than the specified deadline',
        '',
      ].join('\n'),
    },
  },
};

/** The stages file's text, from the shipped stages at `path`. */
export function kwokStages(path: string): string {
  const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Stage | null).filter((d): d is Stage => d !== null);
  const complete = docs.find((d) => d.metadata.name === 'pod-complete');
  if (!complete) throw new Error(`${path}: no pod-complete stage`);
  complete.spec.selector.matchExpressions.push({ key: deadlineKey, operator: 'DoesNotExist' });
  return [...docs, DEADLINE_STAGE].map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join('');
}
