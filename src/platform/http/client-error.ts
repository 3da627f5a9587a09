import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { codeForStatus, problem } from './problem.ts';

type ConnectionError = Error & { code?: string };

function statusOf(error: ConnectionError): { status: number; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: 'The request headers are larger than the server accepts (16 KB)' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'The request took too long to arrive' };
  return { status: 400, detail: 'The request is not valid HTTP (a malformed header or request line)' };
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over 16 KB, a CR
 * inside a header): there is no request or reply object, only the socket. This writes the same
 * RFC 9457 document every other error is, with a fresh request id, then closes the connection
 * (what follows on it cannot be parsed either). Bound to the Fastify instance as `this`.
 */
export function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = statusOf(error);
  const requestId = randomUUID();
  // Only the code: the error's rawPacket holds the request's bytes, a feed token among them.
  this.log.debug({ code: error.code, reqId: requestId }, 'refused a request Node could not parse');
  const body = JSON.stringify(problem(status, detail, codeForStatus(status)));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
