import { nameBasedUuid } from '@carebridge/shared-kernel';

/** The same request key always names the same determination. */
export const deterministicUuid = (name: string): string => nameBasedUuid(`carebridge:billing-eligibility:${name}`);
