export { freePort, waitForPort, waitFor } from './ports.js';
export { startMosquitto, mosquittoBinary } from './mosquitto.js';
export type { Mosquitto, MosquittoOptions } from './mosquitto.js';
export { connectClient, topicMatches } from './client.js';
export { startTcpProxy } from './tcp-proxy.js';
export type { TcpProxy } from './tcp-proxy.js';
export type { TestClient, Received } from './client.js';
export { SHARED_BROKER_URL, uniqueRoot } from './shared.js';
