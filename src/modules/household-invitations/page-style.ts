// The invitation page's style, inline in the page: the service's Content-Security-Policy
// (helmet's default, `style-src 'self' https: 'unsafe-inline'`) allows an inline <style>, so the
// page needs no policy of its own. One column, system fonts, large targets: readable and usable
// at 360 px wide, with a visible keyboard focus and enough contrast in light and dark mode.
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1a1a1a; --bg: #fafafa; --muted: #4a4a4a; --accent: #0b57d0; --accent-fg: #fff; --line: #c4c4c4; --error: #b3261e; --ok: #146c2e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #ececec; --bg: #161616; --muted: #c2c2c2; --accent: #8ab4f8; --accent-fg: #0b0b0b; --line: #5a5a5a; --error: #f2b8b5; --ok: #6dd58c; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0 0 1rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
input { display: block; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 0.375rem; }
button { min-height: 2.75rem; padding: 0.5rem 1.25rem; font: inherit; font-weight: 600; border-radius: 0.375rem; border: 2px solid var(--accent); background: var(--accent); color: var(--accent-fg); cursor: pointer; }
button.secondary { background: transparent; color: var(--fg); border-color: var(--line); }
button.link { min-height: 0; padding: 0; border: 0; background: none; color: var(--accent); font-weight: 400; text-decoration: underline; }
button:disabled { opacity: 0.6; cursor: progress; }
form button[type="submit"] { margin-top: 1rem; width: 100%; }
form + p { margin-top: 1rem; }
.choices { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1rem 0; }
.choices button { flex: 1 1 9rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
#message:empty { display: none; }
#message { padding: 0.75rem 1rem; border-left: 4px solid var(--error); color: var(--fg); }
#message.ok { border-left-color: var(--ok); }
[hidden] { display: none !important; }
`;
