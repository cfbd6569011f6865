import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
  port: number;
  /** every mail received, parsed, in arrival order */
  mails: ParsedMail[];
  /** each mail's envelope recipients (lower-cased), in the same order as `mails` */
  envelopes: string[][];
  close(): Promise<void>;
}

/**
 * A plain local SMTP relay on 127.0.0.1 that keeps every mail: no TLS (nodemailer would try STARTTLS
 * against a self-signed certificate) and no auth. `onMail` sees each mail as it arrives.
 */
export async function startSmtpInbox(onMail?: (mail: ParsedMail) => void): Promise<SmtpInbox> {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, done) {
      const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream).then(
        (mail) => {
          envelopes.push(rcpt);
          mails.push(mail);
          onMail?.(mail);
          done();
        },
        (e: Error) => done(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, envelopes, close: () => new Promise<void>((r) => server.close(() => r())) };
}
