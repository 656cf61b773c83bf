import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { InternalMessage } from '@mg/core';
import { createTestGateway, type TestGateway } from '@mg/core/testing';
import { webExtension } from '../extension.js';
import type { LiveLimits } from '../live.js';
import { AvInterface } from './av-interface.js';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request as a browser or curl would send it (Host header included, changeable). */
export function request(port: number, path: string, o: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...o.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export interface WebGateway {
  g: TestGateway;
  port: number;
  url: string;
  /** Commands the interface took. */
  commands: InternalMessage[];
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** A write as the page sends it: JSON, with `X-MG-Write: 1` unless `headers` say otherwise. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export interface StartOptions {
  web?: Record<string, string | number>;
  mqtt?: Record<string, string | number | boolean>;
  publicDir?: string;
  live?: Partial<LiveLimits>;
  now?: () => number;
}

/** A gateway in memory around the test receiver, with `[WEB]` on, listening on a free port of 127.0.0.1. */
export async function startWebGateway(o: StartOptions = {}): Promise<WebGateway> {
  let listening!: (url: string) => void;
  const address = new Promise<string>((resolve) => (listening = resolve));
  const g = createTestGateway(AvInterface, {
    mqtt: o.mqtt,
    config: { WEB: { enabled: 'on', port: 0, ...o.web } },
    extensions: [webExtension({ listening, publicDir: o.publicDir, live: o.live, now: o.now })],
  });
  const commands: InternalMessage[] = [];
  g.gateway.on('message-in', (m) => commands.push(m));
  await g.start();
  const url = await address;
  const port = Number(new URL(url).port);
  return {
    g,
    port,
    url,
    commands,
    get: (path, headers) => request(port, path, { headers }),
    post: (path, body, headers = { 'X-MG-Write': '1' }) =>
      request(port, path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
