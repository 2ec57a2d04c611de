/**
 * The main report's services section: when a sweep ran services, `report:pareto`'s report.html
 * gains a section with each service's latency–throughput curve over the client concurrencies and
 * its table (the same blocks as `report:services`' own page), placed before "All points" with a
 * link in the contents. Reports of sweeps without services are never touched.
 */
import { serviceBlocks, type ServicePoint } from '../services/services-report.js';
import { escapeHtml } from './escape-html.js';

const ANCHOR = '<h2 id="all-points">';
const NAV_END = '<a href="#provenance">provenance</a></nav>';

/** The section's HTML ('' without points). */
export function renderServicesSection(points: readonly ServicePoint[]): string {
  const blocks = serviceBlocks(points);
  if (!blocks.length) return '';
  const parts = blocks.map((b) => `<section class="service" data-service="${escapeHtml(b.service)}"><h3>${escapeHtml(b.service)} <span class="note">(client ${escapeHtml(b.client)})</span></h3>
<figure class="plot">${b.svg}<figcaption>latency against throughput, one point per client concurrency (c=…)</figcaption></figure>
<p class="note">${escapeHtml(b.note)}</p>${b.table}</section>`);
  return `<h2 id="services">Services</h2><p class="note">Services deployed in this sweep and the load their clients put on them: throughput = requests / time the load ran, latency percentiles in ms, repetitions averaged per concurrency.</p>
${parts.join('\n')}
`;
}

/** The report with the section inserted; throws when the report lacks the places it goes (a renderer change). */
export function addServicesSection(reportHtml: string, points: readonly ServicePoint[]): string {
  const section = renderServicesSection(points);
  if (!section) return reportHtml;
  if (reportHtml.includes('<h2 id="services">')) throw new Error('report.html already has a services section');
  const at = reportHtml.indexOf(ANCHOR);
  const nav = reportHtml.indexOf(NAV_END);
  if (at < 0 || nav < 0 || nav > at) throw new Error('report.html has no contents or "All points" heading to place the services section by');
  const withLink = `${reportHtml.slice(0, nav)}<a href="#services">services</a> · ${reportHtml.slice(nav)}`;
  const shifted = at + '<a href="#services">services</a> · '.length;
  return `${withLink.slice(0, shifted)}${section}${withLink.slice(shifted)}`;
}
