/** Where Humiris serves its API; the credential's default and the fallback for an empty Base URL. */
export const DEFAULT_BASE_URL = 'https://moai-service-app.humiris.ai/api/v1';
