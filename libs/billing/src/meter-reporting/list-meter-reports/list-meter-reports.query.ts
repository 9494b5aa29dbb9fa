import { Query } from '@nestjs/cqrs';
import type { ReportCategory } from '../meter-slices';

export interface MeterReportView {
  identifier: string;
  category: ReportCategory;
  /** The model for AI tokens; empty for API requests. */
  dimension: string;
  day: string;
  seq: number;
  quantity: number;
  eventName: string;
  status: 'pending' | 'sent' | 'rejected';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A tenant's meter reports, newest first (operators). */
export class ListMeterReportsQuery extends Query<MeterReportView[]> {
  constructor(
    readonly tenantId: string,
    readonly limit: number,
  ) {
    super();
  }
}
