/**
 * The pre-visit device check. A video visit needs a camera, a microphone and enough upstream
 * bandwidth for a 360p call: LiveKit's and WebRTC's guidance puts a usable 360p stream at
 * about 300-500 kbps; we take 350 kbps as the floor. Below it the patient can still check in,
 * and the provider sees the visit is not video-ready (phone is the fallback).
 */
export const MIN_VIDEO_BANDWIDTH_KBPS = 350;

export interface DeviceCheck {
  readonly camera: boolean;
  readonly microphone: boolean;
  readonly bandwidthKbps: number;
}

/** What stands in the way of video (empty when ready). */
export function videoProblems(check: DeviceCheck): string[] {
  const problems: string[] = [];
  if (!check.camera) problems.push('no-camera');
  if (!check.microphone) problems.push('no-microphone');
  if (check.bandwidthKbps < MIN_VIDEO_BANDWIDTH_KBPS) problems.push('low-bandwidth');
  return problems;
}
