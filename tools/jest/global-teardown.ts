// Stops what global-setup.ts started for this run (the containers; the local servers stay up).
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__carebridgeTestInfra;
  if (!started) return;
  globalThis.__carebridgeTestInfra = undefined;
  if (started.provider === 'containers') process.stderr.write('[test-infra] stopping the containers\n');
  await started.stop();
}
