import { AccessToken } from 'livekit-server-sdk';
import type { RoomJoin, RoomProvider } from './room-provider.port';

export interface LiveKitSettings {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** wss://... of the LiveKit (or compatible) server, returned to clients. */
  readonly url?: string;
}

/**
 * LiveKit-compatible join tokens (HS256 JWTs signed with the API secret; `iss` = API key,
 * `sub` = identity, `video.room` = the visit). Grants are limited to joining that one room:
 * no room creation, listing, administration or recording. The token's expiry is short; the
 * media server refuses it afterwards, and we refuse to issue new ones once the visit ended.
 */
export class LiveKitRoomProvider implements RoomProvider {
  constructor(private readonly settings: LiveKitSettings) {}

  async issueJoinToken(request: { room: string; identity: string; name: string; ttlSeconds: number; now: Date }): Promise<RoomJoin> {
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, {
      identity: request.identity,
      name: request.name,
      ttl: request.ttlSeconds,
    });
    token.addGrant({
      room: request.room,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      roomCreate: false,
      roomList: false,
      roomAdmin: false,
      roomRecord: false,
    });
    const jwt = await token.toJwt();
    // The SDK stamps exp from the wall clock: report what the token says, not our estimate.
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).exp as number;
    return {
      token: jwt,
      room: request.room,
      identity: request.identity,
      expiresAt: new Date(exp * 1000).toISOString(),
      ...(this.settings.url !== undefined && { url: this.settings.url }),
    };
  }
}
