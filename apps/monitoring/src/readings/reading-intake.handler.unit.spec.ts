import { readingIdOf } from './reading-intake.handler';

type Raw = Parameters<typeof readingIdOf>[0];

// Reading ids made before the shared kernel's nameBasedUuid (issue 17), computed by the copy it replaced:
// the dedupe key of readings already stored.
describe('readingIdOf', () => {
  it('names one reading the same whatever the case of the device id and the offset of the instant', () => {
    const id = '083fea20-0561-5365-863f-f66d787a1283';
    expect(readingIdOf({ deviceId: '9E8D7C6B-5A4F-4E3D-8C2B-1A0F9E8D7C6B', type: 'blood-pressure', measuredAt: '2026-12-07T11:00:00+01:00' } as Raw)).toBe(id);
    expect(readingIdOf({ deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', type: 'blood-pressure', measuredAt: '2026-12-07T10:00:00.000Z' } as Raw)).toBe(id);
  });

  it('names a reading whose instant does not parse by the text given', () => {
    expect(readingIdOf({ deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', type: 'heart-rate', measuredAt: 'yesterday' } as Raw)).toBe('a9358c9b-7573-5157-86bb-381ea5484de2');
  });
});
