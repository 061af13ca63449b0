/**
 * An alliance's charters and agreements: versioned files with structured terms. Uploading is for the
 * alliance's managers; reading is for its members and overseers (`readAllianceInternals`). The upload
 * itself is received by the route (`upload.ts`) through the `receive` callback, after the rule allowed it.
 */
import type { z } from 'zod';
import type { Tx } from '../../../db/index.js';
import { fromJson, isUniqueViolation, toJson } from '../../../db/index.js';
import { audit } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { conflict, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Storage } from '../../../platform/storage.js';
import { DOCUMENT_KINDS } from '../../../../common/vocab.js';
import { orgPolicy } from '../policy.js';
import { DocumentFields, VersionFields } from './schema.js';
import type { AllianceService } from './service.js';
import type { Receive, StoredFile } from './upload-http.js';

type DocumentKind = (typeof DOCUMENT_KINDS.codes)[number];

export class DocumentService {
  constructor(
    private readonly alliances: AllianceService,
    private readonly storage: Storage,
  ) {}
  private get db() {
    return this.alliances.db;
  }

  async document(ctx: Ctx, docId: string) {
    const d = await this.db.selectFrom('documents').selectAll().where('id', '=', docId).executeTakeFirst();
    if (!d) throw notFound('document');
    const a = await this.alliances.getVisible(ctx, d.alliance_id).catch(() => {
      throw notFound('document');
    });
    if (!orgPolicy.readAllianceInternals(ctx.actor, a)) throw notFound('document');
    const versions = await this.db
      .selectFrom('document_versions as v')
      .leftJoin('users as u', 'u.id', 'v.created_by')
      .selectAll('v')
      .select('u.display_name')
      .where('v.document_id', '=', docId)
      .orderBy('v.version', 'desc')
      .execute();
    return {
      id: d.id,
      allianceId: d.alliance_id,
      kind: d.kind as DocumentKind,
      title: d.title,
      currentVersion: d.current_version,
      updatedAt: d.updated_at,
      versions: versions.map((v) => ({
        version: v.version,
        fileName: v.file_name,
        fileSize: v.file_size,
        mime: v.mime,
        sha256: v.sha256,
        terms: fromJson<unknown[]>(v.terms, []),
        effectiveFrom: v.effective_from,
        effectiveTo: v.effective_to,
        note: v.note,
        createdAt: v.created_at,
        createdByName: v.display_name,
      })),
    };
  }

  async documentFile(ctx: Ctx, docId: string, version: number) {
    await this.document(ctx, docId);
    const v = await this.db.selectFrom('document_versions').selectAll().where('document_id', '=', docId).where('version', '=', version).executeTakeFirst();
    if (!v?.file_key) throw notFound('document');
    return { stream: this.storage.get(v.file_key), name: v.file_name ?? 'document', mime: v.mime ?? 'application/octet-stream', size: v.file_size };
  }

  async createDocument(ctx: Ctx, allianceId: string, receive: Receive) {
    const a = await this.alliances.getManageable(ctx, allianceId);
    const docId = newId();
    const { fields: f, terms, file } = await receive(DocumentFields, `documents/${allianceId}`);
    try {
      await this.db.transaction().execute(async (tx) => {
        const now = ctx.now.toISOString();
        await tx
          .insertInto('documents')
          .values({
            id: docId,
            alliance_id: allianceId,
            kind: f.kind,
            title: f.title,
            current_version: 1,
            created_by: ctx.actor.userId,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await this.insertVersion(tx, ctx, docId, 1, f, terms, file);
        await audit(tx, ctx, {
          action: 'document.create',
          entityType: 'document',
          entityId: docId,
          regionId: a.region_id,
          allianceId,
          detail: { title: f.title, kind: DOCUMENT_KINDS.label(f.kind), fileName: file.name, sha256: file.sha256, terms },
        });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      throw err;
    }
    return this.document(ctx, docId);
  }

  async addVersion(ctx: Ctx, docId: string, receive: Receive) {
    const d = await this.db.selectFrom('documents').selectAll().where('id', '=', docId).executeTakeFirst();
    if (!d) throw notFound('document');
    const a = await this.alliances.getVisible(ctx, d.alliance_id).catch(() => {
      throw notFound('document');
    });
    if (!orgPolicy.manageAlliance(ctx.actor, a)) throw forbidden();
    const { fields, terms, file } = await receive(VersionFields, `documents/${a.id}`);
    try {
      await this.db.transaction().execute(async (tx) => {
        // the version number is taken inside the write transaction: two uploads never share one
        const cur = await tx.selectFrom('documents').select('current_version').where('id', '=', docId).executeTakeFirstOrThrow();
        const version = cur.current_version + 1;
        await this.insertVersion(tx, ctx, docId, version, fields, terms, file);
        await tx.updateTable('documents').set({ current_version: version, updated_at: ctx.now.toISOString() }).where('id', '=', docId).execute();
        await audit(tx, ctx, {
          action: 'document.version',
          entityType: 'document',
          entityId: docId,
          regionId: a.region_id,
          allianceId: a.id,
          detail: { title: d.title, version, fileName: file.name, sha256: file.sha256, terms },
        });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      if (isUniqueViolation(err)) throw conflict('版本号冲突，请重试');
      throw err;
    }
    return this.document(ctx, docId);
  }

  private async insertVersion(tx: Tx, ctx: Ctx, docId: string, version: number, f: z.infer<typeof VersionFields>, terms: unknown, file: StoredFile) {
    await tx
      .insertInto('document_versions')
      .values({
        id: newId(),
        document_id: docId,
        version,
        file_key: file.key,
        file_name: file.name,
        file_size: file.size,
        mime: file.mime,
        sha256: file.sha256,
        terms: toJson(terms),
        effective_from: f.effectiveFrom ?? null,
        effective_to: f.effectiveTo ?? null,
        note: f.note ?? null,
        created_by: ctx.actor.userId,
        created_at: ctx.now.toISOString(),
      })
      .execute();
  }
}
