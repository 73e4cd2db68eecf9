export const prescriberCredentialStreamId = (providerId: string): string => `prescriber-credential-${providerId}`;
