import { kustomizeVersion } from './kustomize';

describe('kubectl detection', () => {
  const saved = process.env.KUBECTL;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECTL;
    else process.env.KUBECTL = saved;
  });

  it('says what to install when kubectl is missing', () => {
    process.env.KUBECTL = '/nonexistent/kubectl';
    expect(() => kustomizeVersion()).toThrow(/kubectl 1\.24 or newer \(kustomize v4\.5\+\) is needed.*kubernetes-client/s);
  });

  it("refuses a kubectl whose kustomize is too old (Debian 12 kubernetes-client 1.20, kustomize v2.0.3)", () => {
    // A stand-in that answers like Debian's kubectl 1.20.
    process.env.KUBECTL = `${__dirname}/fixtures/kubectl-1.20.sh`;
    expect(() => kustomizeVersion()).toThrow(/has kustomize unknown.*json: unknown field "labels"/s);
  });

  it('accepts the kubectl of this machine', () => {
    delete process.env.KUBECTL;
    expect(kustomizeVersion()).toMatch(/^v(4\.[5-9]|[5-9])/);
  });
});
