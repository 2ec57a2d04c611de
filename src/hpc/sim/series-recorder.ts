/**
 * The scheduler-level series of a run (time, queue length, busy cores and GPUs), one sample per
 * event, as typed-array columns. They are sized up front for the events a run without
 * conservative wake-ups can have (an arrival or an end each, so at most two per job); a run with
 * more doubles them. The result is a view of the samples taken, not a copy: cutting plain arrays
 * to length, and the arrays themselves, were a good part of the garbage collector's work.
 */
export interface SimSeries {
  t: Float64Array;
  queued: Float64Array;
  busyCores: Float64Array;
  busyGpus: Float64Array;
}

export class SeriesRecorder {
  private t: Float64Array;
  private queued: Float64Array;
  private busyCores: Float64Array;
  private busyGpus: Float64Array;
  private n = 0;

  constructor(expectedEvents: number) {
    const size = Math.max(16, expectedEvents);
    this.t = new Float64Array(size);
    this.queued = new Float64Array(size);
    this.busyCores = new Float64Array(size);
    this.busyGpus = new Float64Array(size);
  }

  add(t: number, queued: number, busyCores: number, busyGpus: number): void {
    const i = this.n++;
    if (i === this.t.length) this.grow();
    this.t[i] = t;
    this.queued[i] = queued;
    this.busyCores[i] = busyCores;
    this.busyGpus[i] = busyGpus;
  }

  /** The series: views of the columns over the samples taken; the recorder is done with. */
  finish(): SimSeries {
    const n = this.n;
    return { t: this.t.subarray(0, n), queued: this.queued.subarray(0, n), busyCores: this.busyCores.subarray(0, n), busyGpus: this.busyGpus.subarray(0, n) };
  }

  private grow(): void {
    const twice = (xs: Float64Array) => {
      const out = new Float64Array(xs.length * 2);
      out.set(xs);
      return out;
    };
    this.t = twice(this.t);
    this.queued = twice(this.queued);
    this.busyCores = twice(this.busyCores);
    this.busyGpus = twice(this.busyGpus);
  }
}
