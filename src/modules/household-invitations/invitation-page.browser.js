// The invitation page's script, run in the invitee's browser (served by page-routes.ts from this
// file; plain JavaScript, no build step). It uses the API exactly as any client does: sign in or
// register, read the inbox to see that the invitation is addressed to this account, then accept
// with the link's token in the request body (or decline by the invitation's id). Paths are
// relative to the page, so a service behind a path prefix (PUBLIC_URL=https://host/umbra) works.
(() => {
  const main = document.getElementById('invitation');
  if (!main) return;
  const invitationId = main.dataset.invitationId ?? '';
  const household = main.dataset.household ?? '';
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const apiBase = `${window.location.pathname.replace(/\/invitations\/accept\/?$/, '')}/api`;
  const sections = ['sign-in', 'register', 'answer', 'outcome'];
  const element = (id) => document.getElementById(id);
  const message = element('message');

  function say(text, ok = false) {
    message.textContent = text;
    message.classList.toggle('ok', ok);
  }

  /** Shows one step of the page and moves the keyboard focus to its heading. */
  function show(id, focus = true) {
    for (const name of sections) {
      const section = element(name);
      if (section) section.hidden = name !== id;
    }
    const heading = document.querySelector(`#${id} h2`);
    if (focus && heading) heading.focus();
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${apiBase}${path}`, init);
    let data = null;
    if (response.status !== 204) data = await response.json().catch(() => null);
    return { status: response.status, data };
  }

  const detailOf = (result, fallback) => (result.data && typeof result.data.detail === 'string' ? result.data.detail : fallback);
  const UNREACHABLE = 'The server could not be reached. Check your connection and try again.';

  /** Runs `work` with `button` disabled, saying so when the server cannot be reached. */
  async function busy(button, work) {
    button.disabled = true;
    try {
      await work();
    } catch {
      say(UNREACHABLE);
    } finally {
      button.disabled = false;
    }
  }

  function outcome(title, detail) {
    element('outcome-title').textContent = title;
    element('outcome-detail').textContent = detail;
    say('');
    show('outcome');
  }

  async function signedIn(user) {
    const inbox = await api('GET', '/household-invitations');
    if (inbox.status !== 200) {
      say(detailOf(inbox, 'Something went wrong. Please reload the page.'));
      show('sign-in');
      return;
    }
    if (!inbox.data.items.some((item) => item.id === invitationId)) {
      say(`You are signed in as ${user.email}, but this invitation is not open to that address. Sign in with the email address the invitation was sent to.`);
      show('sign-in');
      return;
    }
    element('signed-in-as').textContent = `You are signed in as ${user.email}.`;
    say('');
    show('answer');
  }

  const field = (form, name) => form.elements.namedItem(name);

  element('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    void busy(form.querySelector('button[type="submit"]'), async () => {
      say('Signing in…', true);
      const result = await api('POST', '/auth/login', { email: field(form, 'email').value, password: field(form, 'password').value });
      if (result.status === 200) {
        field(form, 'password').value = '';
        await signedIn(result.data.user);
      } else if (result.status === 401) say('That email and password do not match an account. Check both and try again.');
      else if (result.status === 429) say('Too many sign-in attempts. Wait a minute, then try again.');
      else say(detailOf(result, 'Signing in did not work. Please try again.'));
    });
  });

  const registerForm = element('register-form');
  if (registerForm) {
    registerForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      void busy(form.querySelector('button[type="submit"]'), async () => {
        say('Creating your account…', true);
        const name = field(form, 'display_name').value.trim();
        const body = { email: field(form, 'email').value, password: field(form, 'password').value, ...(name ? { display_name: name } : {}) };
        const result = await api('POST', '/auth/register', body);
        if (result.status === 201) {
          field(form, 'password').value = '';
          await signedIn(result.data.user);
        } else if (result.status === 409) {
          say('An account with this email address already exists. Sign in with it instead.');
          show('sign-in');
        } else if (result.status === 400 && result.data && Array.isArray(result.data.errors) && result.data.errors.length > 0) {
          say(result.data.errors.map((issue) => `${issue.path}: ${issue.message}`).join(' '));
        } else say(detailOf(result, 'Creating the account did not work. Please try again.'));
      });
    });
  }

  for (const button of document.querySelectorAll('button[data-show]')) {
    button.addEventListener('click', () => {
      say('');
      show(button.dataset.show);
    });
  }

  const invalid = () => outcome('This invitation link is no longer valid', 'Ask the person who invited you to send a new invitation.');
  const sessionEnded = () => {
    say('Your session has ended. Please sign in again.');
    show('sign-in');
  };

  const acceptButton = element('accept');
  acceptButton.addEventListener('click', () => {
    void busy(acceptButton, async () => {
      const result = await api('POST', '/household-invitations/accept', { token });
      if (result.status === 200) outcome(`You are now a member of ${result.data.name}.`, 'You can close this page.');
      else if (result.status === 409) outcome(`You are already a member of ${household}.`, 'You can close this page.');
      else if (result.status === 404) invalid();
      else if (result.status === 401) sessionEnded();
      else say(detailOf(result, 'Accepting did not work. Please try again.'));
    });
  });

  const declineButton = element('decline');
  declineButton.addEventListener('click', () => {
    void busy(declineButton, async () => {
      const result = await api('POST', `/household-invitations/${encodeURIComponent(invitationId)}/decline`);
      if (result.status === 204) outcome(`You declined the invitation to ${household}.`, 'Nothing has changed for you. You can close this page.');
      else if (result.status === 404) invalid();
      else if (result.status === 401) sessionEnded();
      else say(detailOf(result, 'Declining did not work. Please try again.'));
    });
  });

  const signOutButton = element('sign-out');
  signOutButton.addEventListener('click', () => {
    void busy(signOutButton, async () => {
      await api('POST', '/auth/logout');
      say('');
      show('sign-in');
    });
  });

  // Already signed in (a session cookie from before): straight to the answer.
  void api('GET', '/auth/status')
    .then((result) => (result.status === 200 && result.data.authenticated ? signedIn(result.data.user) : show('sign-in', false)))
    .catch(() => {
      say(UNREACHABLE);
      show('sign-in', false);
    });
})();
