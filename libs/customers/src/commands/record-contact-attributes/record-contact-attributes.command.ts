import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';

/** A value confirmed by a person, with what the AI had suggested for it (null when it suggested nothing). */
export interface ConfirmedAttribute {
  key: string;
  value: string;
  aiValue: string | null;
  aiConfidence: number | null;
}

/** Where confirmed values came from: a field-service job's close-out, confirmed by someone at some time. */
export interface AttributeProvenance {
  jobId: string;
  confirmedBy: string | null;
  confirmedAt: string;
}

/** Stores attributes confirmed elsewhere (a job's close-out) on a contact; one value per key. */
export class RecordContactAttributesCommand extends Command<ContactAttributeView[]> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly attributes: readonly ConfirmedAttribute[],
    readonly provenance: AttributeProvenance,
  ) {
    super();
  }
}
