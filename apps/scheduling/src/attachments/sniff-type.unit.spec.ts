import { sniffType } from './sniff-type';

describe('image type from the bytes', () => {
  it('recognises JPEG, PNG and HEIC signatures', () => {
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe('image/png');
    expect(sniffType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic')]))).toBe('image/heic');
  });

  it('refuses anything else', () => {
    expect(sniffType(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(sniffType(Buffer.alloc(0))).toBeUndefined();
  });
});
