import type { AttachmentType } from '../provider-day/attachment.rules';

/**
 * The image type the bytes actually are, from their signature (JPEG FF D8 FF, PNG 89 50 4E 47,
 * HEIC an ISO-BMFF `ftyp` box with a heic/heix/mif1 brand), so a renamed file is refused.
 */
export function sniffType(bytes: Buffer): AttachmentType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp' && ['heic', 'heix', 'mif1'].includes(bytes.toString('latin1', 8, 12))) {
    return 'image/heic';
  }
  return undefined;
}
