import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { NotifierEnv } from '@paperwire/config';
import { CONFIG } from '@paperwire/service-kit';

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

  constructor(@Inject(CONFIG) private readonly config: NotifierEnv) {
    this.transport = nodemailer.createTransport(config.SMTP_URL, { from: config.SMTP_FROM });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: this.config.SMTP_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
      messageId: mail.messageId,
    });
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
