/** A join to a visit's video room: what the client needs to connect to the media server. */
export interface RoomJoin {
  readonly token: string;
  /** The room is the visit: one room per visit id. */
  readonly room: string;
  readonly identity: string;
  readonly expiresAt: string;
  /** The media server's WebSocket URL, when configured. */
  readonly url?: string;
}

/**
 * The video room port. Media is not ours: a WebRTC media server (LiveKit or compatible) carries
 * it, and we only issue short-lived tokens bound to one participant and one visit's room.
 */
export interface RoomProvider {
  issueJoinToken(request: { room: string; identity: string; name: string; ttlSeconds: number; now: Date }): Promise<RoomJoin>;
}

/** No media server configured: joining a room is refused (503) rather than handing out tokens nobody can verify. */
export class RoomProviderNotConfiguredError extends Error {
  readonly code = 'ROOM.NOT_CONFIGURED';
}
