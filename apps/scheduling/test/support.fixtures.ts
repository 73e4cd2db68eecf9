import type { Actor, CommandMetadata } from '@carebridge/shared-kernel';

export const at = (iso: string, actor: Actor = { id: 'ops-1', role: 'ops' }): CommandMetadata => ({
  now: new Date(iso),
  actor,
  correlationId: 'corr-1',
});
