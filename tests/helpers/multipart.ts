import { randomBytes } from 'node:crypto';

// multipart/form-data bodies built by hand, byte for byte, so a test controls the order of the
// parts (text parts before or after the file) and can send what a browser never would.

export type FormPart = { name: string; value: string } | { name: string; filename: string; contentType?: string; data: Buffer };

export function multipartBody(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `umbra-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The parts of one upload: optional version-2 text parts first, then the file. */
export function uploadParts(data: Buffer, options: { filename?: string; contentType?: string; key?: string } = {}): FormPart[] {
  const file: FormPart = { name: 'file', filename: options.filename ?? 'scan.pdf', contentType: options.contentType ?? 'application/pdf', data };
  if (options.key === undefined) return [file];
  return [{ name: 'encryption_version', value: '2' }, { name: 'key', value: options.key }, file];
}
