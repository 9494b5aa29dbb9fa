import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { onFirstUse, ProblemException, TenantTransaction } from '@switchboard/platform';
import type * as SmtpServer from 'smtp-server';
import type { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import { AcceptInboundCommand } from '../commands/accept-inbound/accept-inbound.command';
import { baseAddress } from '../domain/email-threading';
import { ChannelsRepository } from '../repositories/channels.repository';

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/**
 * An SMTP server for a domain's MX (CHANNELS_SMTP_LISTEN_PORT): recipients are checked against the
 * channels' inbound addresses (with or without a +tag) at RCPT, so mail for nobody is refused
 * before its data; the message is stored once per channel it was addressed to, exactly as the
 * webhook stores it, and acknowledged only after that commit (250), so a crash never loses an
 * accepted mail: the sender retries anything not acknowledged.
 */
@Injectable()
export class SmtpListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmtpListenerService.name);
  private server: SMTPServer | null = null;

  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TenantTransaction,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.CHANNELS_SMTP_LISTEN_PORT;
    if (!port) return;
    // Loaded only where the listener runs (SMTP_LISTEN_PORT), not in every api.
    const { SMTPServer: Server } = onFirstUse<typeof SmtpServer>('smtp-server')();
    this.server = new Server({
      name: this.config.CHANNELS_MAIL_DOMAIN,
      banner: 'Switchboard',
      authOptional: true,
      disabledCommands: ['AUTH'],
      size: this.config.CHANNELS_INBOUND_MAX_BYTES,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        this.route(address.address)
          .then((channelId) => (channelId ? callback() : callback(smtpError(550, `5.1.1 No mailbox here by that name: ${address.address}`))))
          .catch(() => callback(smtpError(451, '4.3.0 Temporary failure; try again later')));
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session)
          .then(() => callback())
          .catch((error: SmtpError) => callback(error));
      },
    });
    this.server.on('error', (error) => this.logger.warn({ err: error }, 'SMTP listener error'));
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', reject);
      this.server!.listen(port, this.config.CHANNELS_SMTP_LISTEN_HOST, () => resolve());
    });
    this.logger.log(`SMTP listener on ${this.config.CHANNELS_SMTP_LISTEN_HOST}:${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async route(address: string): Promise<string | undefined> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeByAddress(m, baseAddress(address)));
    return channel && channel.kind === 'email' && channel.status === 'active' ? channel.id : undefined;
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw smtpError(552, `5.3.4 Message too big; the limit is ${this.config.CHANNELS_INBOUND_MAX_BYTES} bytes`);
    const raw = Buffer.concat(chunks);
    const channels = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const id = await this.route(rcpt.address);
      if (id) channels.add(id);
    }
    for (const channelId of channels) {
      try {
        await this.commands.execute(new AcceptInboundCommand(channelId, raw, 'smtp', { kind: 'smtp' }, session.id));
      } catch (error) {
        if (error instanceof ProblemException && error.getStatus() < 500) throw smtpError(550, `5.6.0 ${error.problem.detail}`);
        this.logger.warn({ err: error }, 'Inbound SMTP message not stored');
        throw smtpError(451, '4.3.0 Temporary failure; try again later');
      }
    }
  }
}
