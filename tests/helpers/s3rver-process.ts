// A local S3-compatible server (s3rver) as a process of its own, for tests/helpers/test-s3.ts.
// Run with --openssl-legacy-provider: s3rver 3.7.1 encrypts list continuation tokens with DES,
// which OpenSSL 3 (Node >= 17) only offers through the legacy provider; without it every
// truncated ListObjectsV2 is a 500.
// Prints one JSON line {"port": N} once listening, then {"request": {"method", "url"}} per request.
import { createServer } from 'node:http';
import S3rver from 's3rver';

const [directory = '', bucket = '', port = '0'] = process.argv.slice(2);
const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
await s3rver.configureBuckets();
const handle = s3rver.callback();
const server = createServer((request, response) => {
  process.stdout.write(`${JSON.stringify({ request: { method: request.method, url: request.url } })}\n`);
  handle(request, response);
});
server.listen(Number(port), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
