package ai.kubernaut.bench;

/** What a scenario runs with: its processes, the phase measurement and the report. */
record BenchRun(TestBed bed, Measurement measurement, ReportWriter report) {}
