import { aiBenchmark } from './ai.bench';
import { bootBenchmark } from './boot.bench';
import { billingBenchmark } from './billing.bench';
import { channelsBenchmark } from './channels.bench';
import { chartsBenchmark } from './charts.bench';
import { authBenchmark } from './auth.bench';
import { dispatchBenchmark } from './dispatch.bench';
import { embeddingsBenchmark } from './embeddings.bench';
import { fairnessBenchmark } from './fairness.bench';
import { httpBenchmark } from './http.bench';
import { realtimeBenchmark } from './realtime.bench';
import { kbBenchmark } from './kb.bench';
import { ticketsBenchmark } from './tickets.bench';
import { ticketSearchBenchmark } from './ticket-search.bench';
import { viewsBenchmark } from './views.bench';
import { slaBenchmark } from './sla.bench';
import { ticketFieldsBenchmark } from './ticket-fields.bench';
import { triggersBenchmark } from './triggers.bench';
import { reportingBenchmark, reportingDashboardsBenchmark } from './reporting.bench';
import { tracingBenchmark } from './tracing.bench';
import { storageBenchmark } from './storage.bench';
import type { Benchmark } from './support/benchmark';

/** Every benchmark `npm run bench -- <name>` knows; a new one is one line here. */
export const BENCHMARKS: readonly Benchmark[] = [httpBenchmark, authBenchmark, ticketsBenchmark, ticketSearchBenchmark, ticketFieldsBenchmark, dispatchBenchmark, realtimeBenchmark, kbBenchmark, embeddingsBenchmark, aiBenchmark, fairnessBenchmark, channelsBenchmark, viewsBenchmark, triggersBenchmark, slaBenchmark, reportingBenchmark, reportingDashboardsBenchmark, chartsBenchmark, billingBenchmark, tracingBenchmark, storageBenchmark, bootBenchmark];
