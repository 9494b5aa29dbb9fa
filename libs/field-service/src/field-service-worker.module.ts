import { Module } from '@nestjs/common';
import { FieldServiceModule } from './field-service.module';
import { FieldServiceQueueProcessor } from './worker/field-service-queue.processor';
import { RecordCloseOutAttributesJob } from './worker/record-close-out-attributes.job';

@Module({
  imports: [FieldServiceModule],
  providers: [FieldServiceQueueProcessor, RecordCloseOutAttributesJob],
})
export class FieldServiceWorkerModule {}
