import { sniffType } from './sniff-type';

describe('attachment type from the bytes', () => {
  it('recognises photos, DICOM, PDF and short video', () => {
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe('image/png');
    expect(sniffType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic')]))).toBe('image/heic');
    expect(sniffType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]))).toBe('video/mp4');
    expect(sniffType(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(8)]))).toBe('application/dicom');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('video/webm');
  });

  it('refuses HTML, scripts and anything unknown', () => {
    expect(sniffType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffType(Buffer.from('#!/bin/sh'))).toBeUndefined();
    expect(sniffType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypqt  ')]))).toBeUndefined();
    expect(sniffType(Buffer.alloc(0))).toBeUndefined();
  });
});
