import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { NotifierEnv } from '@paperwire/config';
import { recordMailServerFailure, recordMailServerSuccess } from '@paperwire/db';
import { classifyMailError } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE, LOGGER } from '@paperwire/service-kit';
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

/**
 * The mail server refused this recipient or this message for good (a 5xx to RCPT TO or DATA): not retried,
 * and the only mail failure that counts against the subscription (its failure streak, its pause).
 */
export class RecipientRefusedError extends UnrecoverableError {}

/**
 * A send that failed on the operator's side (the mail server down, busy, silent, refusing the sender or the
 * login, a TLS failure): retried, never counted against a subscription; `errorClass` is what /ops shows.
 */
export class MailServerError extends Error {
  override readonly name = 'MailServerError';
  constructor(
    message: string,
    readonly errorClass: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** SMTP via nodemailer; host, port, TLS and auth come from SMTP_URL (smtp[s]://user:pass@host:port). */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(
    @Inject(CONFIG) private readonly config: NotifierEnv,
    @Optional() @Inject(LOGGER) private readonly log?: Logger,
    /** where the mail server's state is recorded for /ops (mail_server_state); none: not recorded */
    @Optional() @Inject(DATA_SOURCE) private readonly ds?: DataSource,
  ) {
    this.transport = nodemailer.createTransport(config.SMTP_URL, { from: config.SMTP_FROM });
  }

  /**
   * Sends one mail. A failure throws with a message safe to record where the subscriber reads it
   * (`classifyMailError`: the SMTP reply code at most, never the mail server's address or words; those
   * are logged here, for the operator): a RecipientRefusedError when the server refused the recipient
   * or the message for good, a MailServerError to retry otherwise. The mail server's state (failing since
   * when, the class of its last failure) is recorded for /ops either way.
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
      if (failure.verdict === 'fatal') {
        await this.recordServerState(null); // it answered: the server works, this recipient does not
        throw new RecipientRefusedError(failure.error);
      }
      await this.recordServerState(failure.errorClass);
      throw new MailServerError(failure.error, failure.errorClass, { cause: err });
    }
    await this.recordServerState(null);
  }

  /** Best effort: the send's own outcome stands even when the state cannot be written. */
  private async recordServerState(errorClass: string | null): Promise<void> {
    if (!this.ds) return;
    try {
      if (errorClass === null) await recordMailServerSuccess(this.ds);
      else await recordMailServerFailure(this.ds, errorClass);
    } catch (err) {
      this.log?.warn({ err: (err as Error).message }, 'mail server state not recorded');
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
