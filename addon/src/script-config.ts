// The add-on's deployment settings, read from script properties: the backend URL and the service account to share with.
import { BACKEND_URL_PROPERTY, SERVICE_ACCOUNT_PROPERTY } from './property-names.js';

/** The backend's base URL without a trailing slash, or null when the property is unset or not an http(s) URL. */
export function backendUrl(): string | null {
  const raw = (PropertiesService.getScriptProperties().getProperty(BACKEND_URL_PROPERTY) ?? '').trim();
  if (!/^https?:\/\/[^\s/]+/i.test(raw)) return null;
  return raw.replace(/\/+$/, '');
}

export function configuredServiceAccount(): string | null {
  const raw = (PropertiesService.getScriptProperties().getProperty(SERVICE_ACCOUNT_PROPERTY) ?? '').trim();
  return raw === '' ? null : raw;
}
