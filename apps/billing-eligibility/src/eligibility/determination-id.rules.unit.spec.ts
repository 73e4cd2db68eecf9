import { deterministicUuid } from './determination-id.rules';

// Determination ids made before the shared kernel's nameBasedUuid (issue 17), computed by the copy it replaced.
describe('deterministicUuid', () => {
  it.each([
    ['event:7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', 'e51216de-e4b4-584e-af74-9875b67c5688'],
    ['2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b:patient:2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b:key-1', '0c536bb4-15bd-50a4-893d-1a784fd6cee9'],
  ])('names %s as before', (name, id) => {
    expect(deterministicUuid(name)).toBe(id);
  });
});
