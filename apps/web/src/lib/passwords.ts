// Mirrors the api's minimum so the browser can say so before a round trip; the api decides.
export const MIN_PASSWORD_LENGTH = 10;
