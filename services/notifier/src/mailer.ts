import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import type { NotifierEnv } from '@paperwire/config';
import { classifyMailError } from '@paperwire/notifications';
import { CONFIG, LOGGER } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** stable per delivery, so a retried send is recognisable as the same message */
  messageId: string;
}

/** SMTP via nodemailer; host, port, TLS and auth come from SMTP_URL (smtp[s]://user:pass@host:port). */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(
    @Inject(CONFIG) private readonly config: NotifierEnv,
    @Optional() @Inject(LOGGER) private readonly log?: Logger,
  ) {
    this.transport = nodemailer.createTransport(config.SMTP_URL, { from: config.SMTP_FROM });
  }

  /**
   * Sends one mail. A failure throws with a message safe to record where the subscriber reads it
   * (`classifyMailError`: the SMTP reply code at most, never the mail server's address or words; those
   * are logged here, for the operator): an UnrecoverableError when the server refused the recipient
   * or the message for good, an Error to retry otherwise.
   */
  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.SMTP_FROM,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: mail.headers,
        messageId: mail.messageId,
      });
    } catch (err) {
      const failure = classifyMailError(err);
      this.log?.warn({ messageId: mail.messageId, verdict: failure.verdict, err: (err as Error).message }, 'mail not sent');
      throw failure.verdict === 'fatal' ? new UnrecoverableError(failure.error) : new Error(failure.error, { cause: err });
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
