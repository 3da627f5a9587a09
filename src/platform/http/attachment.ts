/**
 * A Content-Disposition for a download named after user text: an ASCII `filename` for old clients
 * and the exact name as RFC 8187 `filename*` (RFC 6266 4.3). Path separators, quotes and control
 * characters never reach either.
 */
export function attachment(name: string, extension: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = name.replace(/[\u0000-\u001f\u007f/\\"\s]+/g, ' ').trim() || 'download';
  const ascii = clean.replace(/[^\x20-\x7e]+/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped; RFC 8187's attr-char does not allow them.
  const encoded = encodeURIComponent(`${clean}.${extension}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encoded}`;
}
