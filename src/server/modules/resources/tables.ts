/** Table types owned by this module: course resources: resources, versions, files, reviews, ratings, comments, use (S2). See db/schema.ts for the conventions. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ResourceTables {}
