export const providerStreamId = (providerId: string): string => `provider-licences-${providerId}`;
