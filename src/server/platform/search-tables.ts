/** Table types owned by this module: the Chinese full-text index (S2 search). See db/schema.ts for the conventions. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SearchTables {}
