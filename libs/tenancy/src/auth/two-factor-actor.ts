import { Injectable } from '@nestjs/common';
import type { CommandContext } from '@switchboard/platform';
import { SignInSteps } from './sign-in-steps';
import type { ChallengeClaims } from './token-service';

/**
 * Who enrols a factor: a signed-in user (their session), or a user in the middle of a sign-in
 * that the tenant requires a second factor for (the `enrol` challenge from the password step).
 */
export type EnrolmentActor =
  | { via: 'session'; context: CommandContext }
  | { via: 'challenge'; challengeToken: string; client: { ip: string | null; userAgent: string | null; requestId: string | null } };

export interface ResolvedActor {
  context: CommandContext;
  userId: string;
  /** Set on the enrol-now path: finishing enrolment finishes the sign-in. */
  challenge: ChallengeClaims | null;
}

@Injectable()
export class EnrolmentActors {
  constructor(private readonly steps: SignInSteps) {}

  async resolve(actor: EnrolmentActor): Promise<ResolvedActor> {
    if (actor.via === 'session') return { context: actor.context, userId: actor.context.actorId!, challenge: null };
    const claims = await this.steps.open(actor.challengeToken, 'enrol');
    return { context: this.steps.context(claims, actor.client), userId: claims.sub, challenge: claims };
  }
}
