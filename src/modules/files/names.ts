// What an upload says about itself, cleaned for display. Neither ever names anything on disk or
// in the bucket (the storage key is the server's `<household id>/<random uuid>`).

const MAX_FILENAME = 255;

/**
 * The part's filename for display: path separators (a client's `C:\scans\x.pdf` keeps `x.pdf`),
 * control characters (C0, DEL, C1) and bidirectional overrides removed, whitespace runs folded,
 * at most 255 characters; `file` when nothing is left.
 */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const short = [...clean].slice(0, MAX_FILENAME).join('');
  return short === '' || short === '.' || short === '..' ? 'file' : short;
}

// RFC 9110 media type: type "/" subtype, tokens; parameters are dropped (a charset is kept).
const MEDIA_TYPE = /^([a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+)\s*(;\s*charset=("?)[a-z0-9._-]{1,40}\3)?\s*$/i;

/** The part's Content-Type when it is a well-formed media type (lower case), else application/octet-stream. */
export function cleanContentType(raw: string | undefined): string {
  const match = MEDIA_TYPE.exec(raw ?? '');
  if (!match?.[1]) return 'application/octet-stream';
  const type = match[1].toLowerCase();
  const charset = match[2] ? match[2].replace(/\s+/g, '').toLowerCase() : '';
  return `${type}${charset}`.slice(0, 255);
}

/**
 * A Content-Disposition naming the download (RFC 6266): an ASCII `filename` fallback and the
 * exact name as RFC 8187 `filename*`.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped; RFC 8187's attr-char does not allow them.
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
