import { z } from 'zod';
import { absoluteUrl, type UrlConfig } from '../../platform/http/absolute-url.ts';
import { defineMailTemplate } from '../../platform/mail/template.ts';
import { INVITABLE_ROLES } from './schemas.ts';
import { invitationToken } from './token.ts';

/** What the outbox keeps of an invitation mail: ids and display data, never the token. */
export const InvitationMailParams = z.object({
  invitation_id: z.uuid(),
  household_name: z.string(),
  inviter_name: z.string().nullable(),
  role: z.enum(INVITABLE_ROLES),
  expires_at: z.iso.datetime({ offset: true }),
});
export type InvitationMailParams = z.output<typeof InvitationMailParams>;

/** The role in plain words, for the mail and the invitation page. */
export const ROLE_WORDS: Record<InvitationMailParams['role'], string> = {
  admin: 'an admin (you may invite people and manage members)',
  member: 'a member (you may add and change records)',
  viewer: 'a viewer (you may read everything)',
};

/** One line: names typed by users never break a header or the layout. */
const oneLine = (value: string) => value.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/**
 * The invitation mail. The link's token is computed here, when the mail is sent, from the
 * invitation id and the token secret; the link points at the invitation page
 * (`/invitations/accept?token=`), on PUBLIC_URL or the server's own origin.
 */
export function invitationMail(tokenSecret: Buffer, config: UrlConfig) {
  return defineMailTemplate({
    name: 'household-invitation',
    params: InvitationMailParams,
    render(params) {
      const household = oneLine(params.household_name);
      const inviter = params.inviter_name === null ? 'Someone' : oneLine(params.inviter_name);
      const token = encodeURIComponent(invitationToken(tokenSecret, params.invitation_id));
      // No request: PUBLIC_URL (with its path prefix, if any) or the server's own address.
      const link = absoluteUrl(config, undefined, `/invitations/accept?token=${token}`);
      const until = `${params.expires_at.slice(0, 10)} ${params.expires_at.slice(11, 16)} UTC`;
      return {
        subject: `${inviter} invited you to the household "${household}" on UMBRA`,
        text: [
          'Hello,',
          '',
          `${inviter} invited you to join the household "${household}" on UMBRA as ${ROLE_WORDS[params.role]}.`,
          '',
          'To accept or decline, open this link and sign in (or create an account) with this email address:',
          '',
          link,
          '',
          `The invitation expires on ${until}. If you did not expect it, ignore this mail: nothing happens.`,
          '',
        ].join('\n'),
      };
    },
  });
}
