/** The HTML Pareto report and the terminal front table. */
export { renderReport, rankSweepPoints } from './render-report.js';
export type { Provenance, ReportInput } from './render-report.js';
export { renderFrontTable } from './render-front-table.js';
export { writeParetoReport } from './write-pareto-report.js';
export type { ParetoReportOptions, ParetoReportResult } from './write-pareto-report.js';
