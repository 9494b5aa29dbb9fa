import { Query } from '@nestjs/cqrs';

export interface ErasureTerms {
  contactId: string;
  /** What finds the person in free text (see `erasurePattern`); null once the erasure completed or when there is nothing to find. */
  pattern: string | null;
  completed: boolean;
}

/** For the contexts doing their part of an erasure: whom to erase and how to find them in text. */
export class GetErasureTermsQuery extends Query<ErasureTerms | undefined> {
  constructor(
    readonly tenantId: string,
    readonly erasureId: string,
  ) {
    super();
  }
}
