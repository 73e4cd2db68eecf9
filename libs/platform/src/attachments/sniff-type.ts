/** The types `sniffType` recognises; each service accepts its own subset (its `attachment.rules.ts`). */
export type SniffedType = 'image/jpeg' | 'image/png' | 'image/heic' | 'video/mp4' | 'application/dicom' | 'application/pdf' | 'video/webm';

/**
 * The type the bytes actually are, from their signature, so a renamed file is refused (callers
 * compare it with the declared Content-Type, already one of theirs):
 * JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, HEIC and MP4 ISO-BMFF `ftyp` boxes told apart by
 * brand, DICOM Part 10 `DICM` after a 128-byte preamble (PS3.10 7.1), PDF `%PDF-`, WebM the
 * EBML magic 1A 45 DF A3.
 */
export function sniffType(bytes: Buffer): SniffedType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    if (['heic', 'heix', 'mif1'].includes(brand)) return 'image/heic';
    if (['isom', 'iso2', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash'].includes(brand)) return 'video/mp4';
    return undefined;
  }
  if (bytes.length >= 132 && bytes.toString('latin1', 128, 132) === 'DICM') return 'application/dicom';
  if (bytes.length >= 5 && bytes.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  if (bytes.length >= 4 && bytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) return 'video/webm';
  return undefined;
}
