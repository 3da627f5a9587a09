import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// A real SMTP server inside the test process (smtp-server, the server half of nodemailer's
// project): plain SMTP on 127.0.0.1 with STARTTLS switched off, so nodemailer talks to it over
// `smtp://` with no certificate to trust. It keeps what it receives, parsed with mailparser
// (subjects are RFC 2047-encoded and long lines quoted-printable, so raw text is not greppable).

export type ReceivedMail = {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
};

export type TestSmtp = {
  readonly port: number;
  /** `smtp://127.0.0.1:<port>` (with client timeouts), for SMTP_URL. */
  readonly url: string;
  /** Every accepted mail, in arrival order. */
  readonly received: ReceivedMail[];
  /** Mails addressed to `address` (any case). */
  to(address: string): ReceivedMail[];
  /** Answers the next `times` messages (after their DATA) with this SMTP reply, e.g. 451 or 554. */
  refuseNext(responseCode: number, times?: number, message?: string): void;
  /** Resolves with the received mails once there are at least `count` matching `filter` (or fails after `timeoutMs`). */
  waitFor(count: number, filter?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Stops listening: connections are refused until `restart`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
};

type Refusal = { responseCode: number; message: string };

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refusals: Refusal[] = [];
  const arrivals = new Set<() => void>();

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      // close() otherwise waits 30 s for client connections still open.
      closeTimeout: 200,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = refusals.shift();
          if (refusal) {
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const mailFrom = session.envelope.mailFrom;
          const envelope = { from: mailFrom === false ? '' : mailFrom.address, to: session.envelope.rcptTo.map((recipient) => recipient.address) };
          simpleParser(raw).then(
            (parsed) => {
              received.push({ envelope, raw, parsed });
              for (const arrived of arrivals) arrived();
              callback(null, `queued as test-${received.length}`);
            },
            (error: unknown) => callback(error instanceof Error ? error : new Error('unparsable mail')),
          );
        });
      },
    });

  const listen = (server: SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const close = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

  let server = create();
  const port = await listen(server, 0);
  let running = true;

  return {
    port,
    // Generous timeouts: on a loaded machine a short one fails sends the server did receive.
    url: `smtp://127.0.0.1:${port}?connectionTimeout=10000&greetingTimeout=10000&socketTimeout=15000`,
    received,
    to: (address) => received.filter((mail) => mail.envelope.to.some((to) => to.toLowerCase() === address.toLowerCase())),
    refuseNext(responseCode, times = 1, message = `${responseCode} Refused by the test`) {
      for (let i = 0; i < times; i++) refusals.push({ responseCode, message });
    },
    async waitFor(count, filter = () => true, timeoutMs = 20_000) {
      const matching = () => received.filter(filter);
      if (matching().length >= count) return matching();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          arrivals.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} mail(s), got ${matching().length}`));
        }, timeoutMs);
        function check() {
          if (matching().length < count) return;
          clearTimeout(timer);
          arrivals.delete(check);
          resolve();
        }
        arrivals.add(check);
      });
      return matching();
    },
    async stop() {
      if (!running) return;
      running = false;
      await close(server);
    },
    async restart() {
      if (running) return;
      server = create();
      await listen(server, port);
      running = true;
    },
  };
}

/** The first URL in a mail's text. */
export function linkIn(mail: ReceivedMail): URL {
  const match = /https?:\/\/\S+/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no link in the mail: ${mail.parsed.text ?? ''}`);
  return new URL(match[0]);
}
