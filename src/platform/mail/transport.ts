// Nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket by default; a
// mail server that accepts TCP and never answers would hold a sender that long. SMTP_URL may set
// its own values (…?socketTimeout=60000).
const TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Longest a single send can take with those timeouts; a sender's lease on a mail outlasts it. */
export const LONGEST_SEND_SECONDS = 60;

export type OutgoingMail = { from: string; to: string; subject: string; text: string; messageId: string };

export type MailTransport = {
  /** Resolves once the server accepted the mail for the recipient; rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
};

/** Imports nodemailer on demand: a server that keeps mail in the outbox never loads it (~15 MB of RSS). */
export async function createMailTransport(smtpUrl: string): Promise<MailTransport> {
  const { default: nodemailer } = await import('nodemailer');
  const url = new URL(smtpUrl);
  for (const [name, value] of Object.entries(TIMEOUTS_MS)) if (!url.searchParams.has(name)) url.searchParams.set(name, String(value));
  // Not pooled: a connection per mail, so nothing stays open between mails or after close.
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      const info = await transport.sendMail({ ...mail, headers: { 'Auto-Submitted': 'auto-generated' } });
      // One recipient: a partial rejection resolves, so check it was accepted.
      if (info.rejected.length > 0) throw new RecipientRejectedError(info.response);
    },
  };
}

class RecipientRejectedError extends Error {
  override name = 'RecipientRejectedError';
  readonly code = 'EENVELOPE';
  readonly responseCode = 550;
  constructor(readonly response: string) {
    super(`Recipient rejected: ${response}`);
  }
}

export type SmtpFailure = { permanent: boolean; reason: string };

const field = (error: Error, name: string): unknown => (name in error ? Reflect.get(error, name) : undefined);

/**
 * Whether retrying can help, and a short reason to store and log (the server's reply or the
 * socket error; never the message). A 5xx refusal of the envelope or the message is permanent;
 * everything else (4xx, a server that is down, slow or refuses our login) is worth a retry.
 */
export function describeSmtpFailure(error: unknown): SmtpFailure {
  if (!(error instanceof Error)) return { permanent: false, reason: 'unknown error' };
  const code = field(error, 'code');
  const responseCode = field(error, 'responseCode');
  const response = field(error, 'response');
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && (code === 'EENVELOPE' || code === 'EMESSAGE');
  const detail = typeof response === 'string' ? response : error.message;
  return { permanent, reason: `${typeof code === 'string' ? `${code}: ` : ''}${detail}`.slice(0, 500) };
}
