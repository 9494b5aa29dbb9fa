import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { ReportDigestQueue } from '../digest/digest.definitions';

// A digest reads five reports and draws a chart: two at a time are plenty for a weekly burst.
@Processor('report-digest', { autorun: false, concurrency: 2 })
export class ReportDigestQueueProcessor extends QueueProcessor {
  readonly queue = ReportDigestQueue.name;
}
