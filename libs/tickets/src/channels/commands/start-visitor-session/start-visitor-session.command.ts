import { Command } from '@nestjs/cqrs';

/** What a visitor says about themselves before writing (the widget's `collectContact` decides what is required). */
export interface VisitorIntro {
  name?: string;
  email?: string;
}

/** The token is shown this once; only its secret's hash is stored. */
export interface StartedVisitorSession {
  sessionId: string;
  token: string;
  expiresAt: string;
}

export class StartVisitorSessionCommand extends Command<StartedVisitorSession> {
  constructor(
    readonly publicKey: string,
    readonly origin: string | null,
    readonly intro: VisitorIntro,
    readonly correlationId: string | null,
  ) {
    super();
  }
}
