/**
 * The benchmark pipeline:
 * image:build -> cluster:provision -> scheduler:configure -> workload:run -> metrics -> report:pareto
 */
import type { Benchfile } from 'bench';
import { clusterProvision, schedulerConfigure } from './tasks/cluster.js';
import { clientRun } from './tasks/client.js';
import { reportFidelity } from './tasks/fidelity.js';
import { imageBuild } from './tasks/image.js';
import { metrics } from './tasks/metrics.js';
import { reportPareto } from './tasks/report.js';
import { reportServices } from './tasks/report-services.js';
import { reportServicesSection } from './tasks/report-services-section.js';
import { serviceDeploy } from './tasks/service.js';
import { clientImage, serviceImage } from './tasks/service-image.js';
import { trackMlflow } from './tasks/track.js';
import { reportTraceStudy } from './tasks/trace-study.js';
import { workloadRun } from './tasks/workload.js';

export default {
  tasks: [imageBuild, clusterProvision, schedulerConfigure, workloadRun, metrics, reportPareto, reportFidelity, reportTraceStudy, trackMlflow,
    serviceImage, clientImage, serviceDeploy, clientRun, reportServices, reportServicesSection],
} satisfies Benchfile;
