import { describe, expect, it } from 'vitest';
import { addServicesSection, renderServicesSection } from '../../../../src/hpc/report/services-section.js';
import type { ServicePoint } from '../../../../src/hpc/services/services-report.js';

const metrics = (rps: number, p50: number) => ({
  requests: 100, errors: 0, error_rate: 0, throughput_rps: rps, latency_mean_ms: p50, latency_p50_ms: p50, latency_p95_ms: p50 * 2, latency_p99_ms: p50 * 3, latency_percentiles: 'exact' as const,
});
const point = (service: string, concurrency: number, rep: number, rps: number, p50: number): ServicePoint => ({ service, client: `${service}-load`, concurrency, rep, granularity: 'request', metrics: metrics(rps, p50) });

const REPORT = '<html><body><h1>bench</h1><nav class="toc"><a href="#group-0">g</a> · <a href="#caveats">caveats</a> · <a href="#all-points">all points</a> · <a href="#provenance">provenance</a></nav>\n<section>g</section>\n<h2 id="all-points">All points</h2><table></table><h2>Provenance</h2></body></html>';

describe('services section of the main report', () => {
  it('has a curve and a table per service, repetitions averaged per concurrency', () => {
    const html = renderServicesSection([point('web', 1, 0, 10, 1), point('web', 1, 1, 30, 3), point('web', 8, 0, 50, 4), point('<db>', 4, 0, 5, 1)]);
    expect(html).toContain('<h2 id="services">Services</h2>');
    expect(html.match(/<section class="service"/g)).toHaveLength(2);
    expect(html).toContain('data-service="&#60;db&#62;"');
    // web at c=1: (10 + 30) / 2 = 20 req/s, p50 (1 + 3) / 2 = 2 ms; 2 runs.
    expect(html).toContain('<tr><td>1</td><td>2</td><td>200</td><td>20</td><td>2.000</td><td>4.000</td><td>6.000</td><td>0.00</td></tr>');
    expect(html).toMatch(/<svg[^>]*aria-label="latency against throughput"/);
    expect(html).toContain('>c=8</text>');
    expect(renderServicesSection([])).toBe('');
  });

  it('goes before "All points" with a link in the contents, and leaves a report without services as it was', () => {
    const out = addServicesSection(REPORT, [point('web', 1, 0, 10, 1)]);
    expect(out).toContain('<a href="#services">services</a> · <a href="#provenance">provenance</a></nav>');
    expect(out.indexOf('<h2 id="services">')).toBeGreaterThan(out.indexOf('<section>g</section>'));
    expect(out.indexOf('<h2 id="services">')).toBeLessThan(out.indexOf('<h2 id="all-points">'));
    expect(out.replace(renderServicesSection([point('web', 1, 0, 10, 1)]), '').replace('<a href="#services">services</a> · ', '')).toBe(REPORT);
    expect(addServicesSection(REPORT, [])).toBe(REPORT);
    expect(() => addServicesSection(out, [point('web', 1, 0, 10, 1)])).toThrow(/already has/);
    expect(() => addServicesSection('<html></html>', [point('web', 1, 0, 10, 1)])).toThrow(/no contents/);
  });
});
