import { ROLE_WORDS } from './invitation-mail.ts';
import type { PageInvitation } from './page-queries.ts';
import { PAGE_STYLE } from './page-style.ts';

// The HTML of the invitation page, rendered on the server from the invitation the link's token
// names. The script (served by this module at /invitations/page.js, linked relative to the page so
// a path prefix in front of the service still works) signs in and answers through the API;
// without it the forms stay hidden, so the browser itself never submits them.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text typed by users (household and display names) as HTML text or attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function document(title: string, body: string, withScript: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
${withScript ? `<script type="module" src="page.js"></script>\n` : ''}</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The one answer for every link that does not open a pending invitation: expired, accepted,
 * declined, revoked, unknown or malformed. A constant, so those cases cannot differ in a byte.
 */
export const INVALID_LINK_PAGE = document(
  'Invitation link no longer valid · UMBRA',
  `<main>
<h1>This invitation link is no longer valid</h1>
<p>The invitation may have expired, been answered already, or been withdrawn.</p>
<p>If you still want to join, ask the person who invited you to send a new invitation.</p>
</main>`,
  false,
);

const until = (date: Date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;

function registerSection(email: string): string {
  return `<section id="register" hidden aria-labelledby="register-title">
<h2 id="register-title" tabindex="-1">Create an account</h2>
<form id="register-form" method="post">
<label for="register-name">Your name (as others in the household will see it)</label>
<input id="register-name" name="display_name" autocomplete="name" maxlength="100">
<label for="register-email">Email</label>
<input id="register-email" name="email" type="email" autocomplete="email" required value="${email}">
<label for="register-password">Password</label>
<input id="register-password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="200" aria-describedby="register-password-hint">
<p id="register-password-hint" class="muted">At least 8 characters.</p>
<button type="submit">Create account</button>
</form>
<p>Already have an account? <button type="button" class="link" data-show="sign-in">Sign in instead</button></p>
</section>`;
}

/** The page for an open invitation: what it is, then sign in (or register), then Accept or Decline. */
export function pendingInvitationPage(invitation: PageInvitation, registrationOpen: boolean): string {
  const household = escapeHtml(invitation.household_name);
  const inviter = invitation.inviter_name === null ? 'Someone' : escapeHtml(invitation.inviter_name);
  const email = escapeHtml(invitation.email);
  const body = `<main id="invitation" data-invitation-id="${invitation.id}" data-household="${household}">
<h1>Join the household “${household}”</h1>
<p>${inviter} invited you to the household <strong>${household}</strong> on UMBRA, as ${ROLE_WORDS[invitation.role]}.</p>
<p class="muted">The invitation was sent to ${email} and is open until ${until(invitation.expires_at)}.</p>
<noscript><p>This page needs JavaScript to sign you in and send your answer. Please turn it on and reload the page.</p></noscript>
<p id="message" role="status" aria-live="polite"></p>
<section id="sign-in" hidden aria-labelledby="sign-in-title">
<h2 id="sign-in-title" tabindex="-1">Sign in to answer</h2>
<p>Sign in with the email address the invitation was sent to.</p>
<form id="sign-in-form" method="post">
<label for="sign-in-email">Email</label>
<input id="sign-in-email" name="email" type="email" autocomplete="email" required value="${email}">
<label for="sign-in-password">Password</label>
<input id="sign-in-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Sign in</button>
</form>
${registrationOpen ? '<p>No account yet? <button type="button" class="link" data-show="register">Create one</button></p>' : ''}
</section>
${registrationOpen ? registerSection(email) : ''}
<section id="answer" hidden aria-labelledby="answer-title">
<h2 id="answer-title" tabindex="-1">Do you want to join?</h2>
<p id="signed-in-as"></p>
<div class="choices">
<button type="button" id="accept">Accept</button>
<button type="button" id="decline" class="secondary">Decline</button>
</div>
<p><button type="button" class="link" id="sign-out">Not you? Sign in with another account</button></p>
</section>
<section id="outcome" hidden aria-labelledby="outcome-title">
<h2 id="outcome-title" tabindex="-1"></h2>
<p id="outcome-detail"></p>
</section>
</main>`;
  return document(`Invitation to ${household} · UMBRA`, body, true);
}
