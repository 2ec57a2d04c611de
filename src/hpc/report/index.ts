/** The HTML Pareto report, the terminal front tables, cost and grouping. */
export { renderReport, rankSweepPoints, DEFAULT_GROUP_BY } from './render-report.js';
export type { Provenance, ReportInput } from './render-report.js';
export { renderFrontTable } from './render-front-table.js';
export { writeParetoReport } from './write-pareto-report.js';
export type { ParetoReportOptions, ParetoReportResult } from './write-pareto-report.js';
export { COST_DEFINITIONS, COST_METRICS, costMetrics, withCostObjective } from './cost-metrics.js';
export type { CostSetting } from './cost-metrics.js';
export type { PointRuns, RunSeries } from './point-runs.js';
export { runKind } from './point-runs.js';
export { addServicesSection, renderServicesSection } from './services-section.js';
