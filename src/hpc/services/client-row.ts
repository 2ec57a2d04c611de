/**
 * One row of `client.arrow`. A `request` row is one request (its latency in every latency
 * column); an `aggregate` row summarises the requests of one test or interval as the load
 * generator reported them. Times are epoch seconds of the client node's clock.
 */
export interface ClientRow {
  granularity: 'request' | 'aggregate';
  /** The operation: `GET`, `SET`, `GET /`... */
  op: string;
  /** `ok`, an HTTP status, or what failed. */
  status: string;
  /** Start and end of the request, or of the interval the aggregate covers. */
  tStart: number;
  tEnd: number;
  requests: number;
  errors: number;
  latencyMeanMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}
