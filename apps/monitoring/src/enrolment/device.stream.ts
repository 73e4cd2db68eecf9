export const deviceStreamId = (deviceId: string): string => `device-${deviceId}`;
