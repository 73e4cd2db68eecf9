// Written once in @carebridge/platform (libs/platform/src/attachments); this path stays only for
// provider-day/add-attachment.http.ts, which lane appt owns: it can import the lib directly, then this goes.
export type { BlobStore } from '@carebridge/platform';
