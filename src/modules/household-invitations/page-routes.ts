import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { INVALID_LINK_PAGE, pendingInvitationPage } from './page-html.ts';
import { findOpenInvitationByTokenHash } from './page-queries.ts';
import { tokenHash } from './token.ts';

const tags = ['households'];

/** What the mail's links carry: an HMAC-SHA-256 in base64url (token.ts). Anything else is looked up nowhere. */
const TOKEN_SHAPE = /^[\w-]{43}$/;

// Any query is accepted (a missing, repeated or odd token is the invalid-link page, not a 400),
// so the page never tells a malformed link from one that was revoked.
const PageQuery = z.object({ token: z.string().optional().meta({ description: 'The token of the link in the invitation email' }) });

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

/**
 * `/invitations/accept?token=`: the page the invitation mail links to, outside /api and without a
 * session. It is rendered here from the invitation the token names (household, inviter, role);
 * its script then signs in and accepts through the API, sending the token in the request body.
 * The request log never shows this URL's query (log-serializers.ts redacts it).
 */
const invitationPageRoutes: ModuleRoutes = async (app, { config }) => {
  const db = app.db;
  // Built (npm run build), the file is tsc's copy: an ES module (hence <script type="module">)
  // that names a source map the service does not serve.
  const script = (await readFile(new URL('./invitation-page.browser.js', import.meta.url), 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '');

  app.get(
    '/accept',
    {
      attachValidation: true,
      schema: {
        tags,
        summary: 'The invitation page (HTML): sign in, then accept or decline; one "no longer valid" page for every other link',
        querystring: PageQuery,
        response: {
          200: html('The page of a pending invitation: the household, who invited, the role, and the sign-in form'),
          404: html('The same page, byte for byte, for an expired, answered, revoked, unknown or malformed link'),
        },
      },
    },
    async (request, reply) => {
      const token = request.validationError ? undefined : request.query.token;
      const invitation = token !== undefined && TOKEN_SHAPE.test(token) ? await findOpenInvitationByTokenHash(db, tokenHash(token)) : undefined;
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!invitation) return reply.code(404).send(INVALID_LINK_PAGE);
      return reply.send(pendingInvitationPage(invitation, config.allowRegistration));
    },
  );

  app.get(
    '/page.js',
    {
      schema: {
        tags,
        summary: "The invitation page's script (served here, so the page loads nothing from another origin)",
        response: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
      },
    },
    async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script),
  );
};

export default invitationPageRoutes;
