/**
 * A broker URL as it may be shown (API, metrics, live stream): without user name or password,
 * should one ever be written into `[MQTT] host`.
 */
export function shownUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
