import { TokenVerifier } from 'livekit-server-sdk';
import { LiveKitRoomProvider } from './livekit-room-provider.adapter';

const settings = { apiKey: 'APIcarebridgeTest', apiSecret: 'a-test-secret-of-at-least-32-characters!!' };

describe('LiveKit join tokens', () => {
  it('bind the participant to the visit room, with join-only grants and a short expiry', async () => {
    const provider = new LiveKitRoomProvider(settings);
    const before = Math.floor(Date.now() / 1000);
    const join = await provider.issueJoinToken({ room: 'visit-1', identity: 'patient-1', name: 'patient', ttlSeconds: 120, now: new Date() });
    const claims = await new TokenVerifier(settings.apiKey, settings.apiSecret).verify(join.token);
    expect(claims.sub).toBe('patient-1');
    expect(claims.video).toMatchObject({ room: 'visit-1', roomJoin: true, roomCreate: false, roomAdmin: false, roomList: false });
    expect(claims.exp).toBeGreaterThanOrEqual(before + 119);
    expect(claims.exp).toBeLessThanOrEqual(before + 121);
    expect(Date.parse(join.expiresAt) / 1000).toBe(claims.exp);
  });

  it('is refused with another secret', async () => {
    const join = await new LiveKitRoomProvider(settings).issueJoinToken({ room: 'r', identity: 'i', name: 'n', ttlSeconds: 60, now: new Date() });
    await expect(new TokenVerifier(settings.apiKey, 'another-secret-another-secret-another').verify(join.token)).rejects.toThrow();
  });
});
