import multipart from '@fastify/multipart';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import { pageOf } from '../../platform/crud/list-schemas.ts';
import { readIfMatch, setEtag } from '../../platform/http/etag.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { requireHousehold } from '../households/index.ts';
import { downloadHeaders, openContent } from './download.ts';
import { presentFile } from './present.ts';
import { findFile, findServerKey, itemExists, listFiles } from './queries.ts';
import { DownloadResponse, FileListQuery, FileParams, FileSchema, ItemFilesParams, UploadForm } from './schemas.ts';
import { type FileServices, removeFile, replaceFile, uploadFile } from './service.ts';
import { scheduleSweeper } from './sweeper.ts';

const tags = ['vault files'];
const uploadTooLarge = {
  description: 'The file is larger than FILE_MAX_BYTES, or the household would exceed HOUSEHOLD_QUOTA_BYTES; nothing is stored',
  content: answers.signedIn[413].content,
};
const storageDown = {
  description: 'The file storage (or the database) is unavailable; nothing is half-written',
  content: answers.signedIn[503].content,
};

/** `/api/households/{hid}/items/{id}/files`: attachments of a vault item, encrypted at rest. */
const fileRoutes: ModuleRoutes = async (app, { config }) => {
  const db = app.db;
  const services: FileServices = { db, store: app.storage, keyring: app.keyring, log: app.log, maxBytes: config.fileMaxBytes, quotaBytes: config.householdQuotaBytes };
  // Multipart only here. The limits are per request in upload.ts; these are the same, so a
  // route that forgot them could not fall back to the plugin's defaults (fileSize = bodyLimit).
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: config.fileMaxBytes, files: 1, fields: 2, parts: 3, fieldSize: 10_000, fieldNameSize: 100, headerPairs: 20 },
  });
  await scheduleSweeper(app, services, config.filesSweepGraceSeconds);

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: "The item's files (metadata)",
        params: ItemFilesParams,
        querystring: FileListQuery,
        response: { 200: pageOf(FileSchema), ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      if (!(await itemExists(db, householdId, request.params.id))) throw new NotFoundError('Item not found');
      const page = await listFiles(db, householdId, request.params.id, request.query);
      return { ...page, items: page.items.map(presentFile) };
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data; text parts encryption_version and key BEFORE the file part)',
        consumes: ['multipart/form-data'],
        params: ItemFilesParams,
        body: UploadForm,
        response: { 201: FileSchema, ...answers.signedIn, ...answers.notFound, 413: uploadTooLarge, 503: storageDown },
      },
    },
    async (request, reply) => {
      const file = await uploadFile(services, request, { userId: request.userId, hid: request.params.hid, itemId: request.params.id });
      setEtag(reply, file.version);
      return reply.code(201).send(file);
    },
  );

  app.get(
    '/:fid',
    {
      schema: { tags, summary: "One file's metadata", params: FileParams, response: { 200: FileSchema, ...answers.signedIn, ...answers.notFound } },
    },
    async (request, reply) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const row = await findFile(db, householdId, request.params.id, request.params.fid);
      if (!row) throw new NotFoundError('File not found');
      setEtag(reply, row.version);
      return presentFile(row);
    },
  );

  app.get(
    '/:fid/content',
    {
      schema: {
        tags,
        summary: 'Download the bytes as an attachment (version 1 decrypted while streaming; version 2 as stored)',
        params: FileParams,
        response: { 200: DownloadResponse, ...answers.signedIn, ...answers.notFound, 503: storageDown },
      },
    },
    async (request, reply) => {
      const { householdId, userId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const row = await findFile(db, householdId, request.params.id, request.params.fid);
      if (!row) throw new NotFoundError('File not found');
      const content = await openContent(app.storage, app.keyring, row, () => findServerKey(db, householdId));
      try {
        // A HEAD (Fastify answers it with this handler, without the body) downloads nothing.
        if (request.method === 'GET') await recordHouseholdAudit(db, { householdId, actorId: userId, action: 'file.downloaded', target: { type: 'file', id: row.id }, details: { item_id: row.item_id, filename: row.filename } });
      } catch (error) {
        content.destroy();
        throw error;
      }
      return downloadHeaders(reply, row).send(content);
    },
  );

  app.put(
    '/:fid/content',
    {
      schema: {
        tags,
        summary: 'Replace the bytes (same parts as the upload): how a client moves a version-1 file to version 2 (honours If-Match)',
        consumes: ['multipart/form-data'],
        params: FileParams,
        body: UploadForm,
        response: { 200: FileSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed, 413: uploadTooLarge, 503: storageDown },
      },
    },
    async (request, reply) => {
      const target = { userId: request.userId, hid: request.params.hid, itemId: request.params.id };
      const file = await replaceFile(services, request, target, request.params.fid, readIfMatch(request));
      setEtag(reply, file.version);
      return file;
    },
  );

  app.delete(
    '/:fid',
    {
      schema: {
        tags,
        summary: 'Delete a file: the row now, the bytes right after (honours If-Match)',
        params: FileParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const target = { userId: request.userId, hid: request.params.hid, itemId: request.params.id };
      await removeFile(services, target, request.params.fid, readIfMatch(request));
      return reply.code(204).send();
    },
  );
};

export default fileRoutes;
