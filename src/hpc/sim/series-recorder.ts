/**
 * The scheduler-level series of a run (time, queue length, busy cores and GPUs), one sample per
 * event. The columns are sized up front for the events a run without conservative wake-ups can
 * have (an arrival or an end each, so at most two per job) and cut to length at the end: pushing
 * instead grows and copies each column about twenty times over a 100,000-job run, and the copies
 * are a good part of the garbage collector's work. A run with more events appends past the end.
 */
export interface SimSeries {
  t: number[];
  queued: number[];
  busyCores: number[];
  busyGpus: number[];
}

export class SeriesRecorder {
  private readonly series: SimSeries;
  private n = 0;

  constructor(expectedEvents: number) {
    const column = () => {
      const xs: number[] = [];
      xs.length = expectedEvents;
      return xs;
    };
    this.series = { t: column(), queued: column(), busyCores: column(), busyGpus: column() };
  }

  add(t: number, queued: number, busyCores: number, busyGpus: number): void {
    const s = this.series;
    const i = this.n++;
    s.t[i] = t;
    s.queued[i] = queued;
    s.busyCores[i] = busyCores;
    s.busyGpus[i] = busyGpus;
  }

  /** The series, columns cut to the samples taken; the recorder is done with. */
  finish(): SimSeries {
    const s = this.series;
    s.t.length = s.queued.length = s.busyCores.length = s.busyGpus.length = this.n;
    return s;
  }
}
