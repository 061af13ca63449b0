/**
 * Course resource library (SPEC S2): the service the routes call. A thin facade over the module's parts,
 * one file per concern; every method takes the request context (`Ctx`) first:
 *  - list.ts       the catalogue search (full text, facets), my resources, favourites, summaries
 *  - catalogue.ts  recommendations, the monthly catalogue, notifications
 *  - detail.ts     the resource page and what the actor may do next
 *  - edit.ts       create and edit
 *  - versions.ts   versions and files: upload, remove, preview and download
 *  - review.ts     the workflow 上传—审核—共享: submit, assign, review, withdraw, archive, the queue
 *  - feedback.ts   counts, ratings, comments, favourites
 *  - uses.ts       "used in my class", rewards and contributions
 *  - policy.ts     who may read, edit, review and archive (the module's one policy file)
 */
import type { Database } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import type { Storage } from '../../platform/storage.js';
import * as cat from './catalogue.js';
import { type Deps, makeDeps } from './core.js';
import { detail } from './detail.js';
import { create, update } from './edit.js';
import * as fb from './feedback.js';
import * as lists from './list.js';
import * as wf from './review.js';
import type { CountKind } from '../../db/tables/resources.js';
import { contributions, use } from './uses.js';
import { fileFor, type Receive, removeFile, type UploadLog, upload } from './versions.js';
import type { MineQuery, ResourceCreate, ResourceQuery, ResourceUpdate, ReviewIn, UseIn } from './schema.js';

export { USE_WINDOW_DAYS, USES_PER_DAY } from './uses.js';

export class ResourceService {
  private readonly d: Deps;

  constructor(database: Database, storage: Storage) {
    this.d = makeDeps(database, storage);
  }

  // read
  list = (ctx: Ctx, q: ResourceQuery) => lists.list(this.d, ctx, q);
  mine = (ctx: Ctx, q: MineQuery) => lists.mine(this.d, ctx, q);
  favourites = (ctx: Ctx) => lists.favourites(this.d, ctx);
  recommended = (ctx: Ctx) => cat.recommended(this.d, ctx);
  catalogue = (ctx: Ctx, month: string, subject?: string) => cat.catalogue(this.d, ctx, month, subject);
  detail = (ctx: Ctx, id: string, opts: { countView: boolean }) => detail(this.d, ctx, id, opts);

  // create, edit, files
  create = (ctx: Ctx, body: ResourceCreate) => create(this.d, ctx, body);
  update = (ctx: Ctx, id: string, body: ResourceUpdate) => update(this.d, ctx, id, body);
  upload = (ctx: Ctx, id: string, receive: Receive, log?: UploadLog) => upload(this.d, ctx, id, receive, log);
  removeFile = (ctx: Ctx, id: string, fileId: string) => removeFile(this.d, ctx, id, fileId);
  fileFor = (ctx: Ctx, id: string, fileId: string, mode: 'preview' | 'download') => fileFor(this.d, ctx, id, fileId, mode);

  // workflow
  submit = (ctx: Ctx, id: string, comment?: string) => wf.submit(this.d, ctx, id, comment);
  assign = (ctx: Ctx, id: string, reviewerId: string) => wf.assign(this.d, ctx, id, reviewerId);
  review = (ctx: Ctx, id: string, body: ReviewIn) => wf.review(this.d, ctx, id, body);
  withdraw = (ctx: Ctx, id: string, comment?: string) => wf.retire(this.d, ctx, id, 'withdraw', comment);
  archive = (ctx: Ctx, id: string, comment?: string) => wf.retire(this.d, ctx, id, 'archive', comment);
  queue = (ctx: Ctx) => wf.queue(this.d, ctx);

  // feedback and use
  countOnce = (ctx: Ctx, resourceId: string, kind: CountKind) => fb.countOnce(this.d, ctx, resourceId, kind);
  rate = (ctx: Ctx, id: string, stars: number) => fb.rate(this.d, ctx, id, stars);
  comments = (ctx: Ctx, id: string) => fb.comments(this.d, ctx, id);
  addComment = (ctx: Ctx, id: string, body: string) => fb.addComment(this.d, ctx, id, body);
  deleteComment = (ctx: Ctx, commentId: string) => fb.deleteComment(this.d, ctx, commentId);
  setFavourite = (ctx: Ctx, id: string, on: boolean) => fb.setFavourite(this.d, ctx, id, on);
  use = (ctx: Ctx, id: string, body: UseIn) => use(this.d, ctx, id, body);
  contributions = (ctx: Ctx, schoolId: string | undefined) => contributions(this.d, ctx, schoolId);

  // notifications
  notifications = (ctx: Ctx) => cat.notifications(this.d, ctx);
  markRead = (ctx: Ctx, id: number | 'all') => cat.markRead(this.d, ctx, id);
}
