/**
 * Photos a patient may upload before a visit (a skin condition, a wound). Limits keep storage
 * and the provider's review bounded; HEIC is what iPhones take.
 */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/heic'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_APPOINTMENT = 10;
