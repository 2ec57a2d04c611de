/** Pareto objectives, first front and non-dominated sorting. */
export { lexOrder, markFirstFront } from './first-front.js';
export { DEFAULT_OBJECTIVES, rankPoints } from './rank-points.js';
export type { ExcludedRow, Objective, Ranking } from './rank-points.js';
export { parseObjectives } from './parse-objectives.js';
