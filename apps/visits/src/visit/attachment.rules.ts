/**
 * Files shared in a visit: what a patient or provider may attach and how large. Photos of a skin
 * condition, X-rays and MRI slices as DICOM Part 10 files, PDF documents (lab results, letters),
 * short video clips (a gait, a tremor). Nothing that a browser would render as a page is
 * accepted, and files are always served as downloads.
 */
export type AttachmentCategory = 'photo' | 'imaging' | 'document' | 'video';

const MiB = 1024 * 1024;

export const ATTACHMENT_LIMITS = {
  'image/jpeg': { category: 'photo', maxBytes: 15 * MiB, extension: 'jpg' },
  'image/png': { category: 'photo', maxBytes: 15 * MiB, extension: 'png' },
  'image/heic': { category: 'photo', maxBytes: 15 * MiB, extension: 'heic' },
  'application/dicom': { category: 'imaging', maxBytes: 50 * MiB, extension: 'dcm' },
  'application/pdf': { category: 'document', maxBytes: 20 * MiB, extension: 'pdf' },
  'video/mp4': { category: 'video', maxBytes: 50 * MiB, extension: 'mp4' },
  'video/webm': { category: 'video', maxBytes: 50 * MiB, extension: 'webm' },
} as const satisfies Record<string, { category: AttachmentCategory; maxBytes: number; extension: string }>;

export type AttachmentType = keyof typeof ATTACHMENT_LIMITS;
export const ATTACHMENT_TYPES = Object.keys(ATTACHMENT_LIMITS) as AttachmentType[];
/** The largest body the upload route reads at all; each type's own limit is checked after. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(ATTACHMENT_LIMITS).map((l) => l.maxBytes));
export const MAX_ATTACHMENTS_PER_VISIT = 30;

export function isAttachmentType(value: string | undefined): value is AttachmentType {
  return value !== undefined && Object.hasOwn(ATTACHMENT_LIMITS, value);
}
