import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExtensionContext, ExtensionInstance } from '@mg/core/extensions';
import type { Registry } from 'prom-client';
import { hostAllowed, isLoopback, sameOrigin } from './access.js';
import { brokerInUse, devicesInfo, gatewayInfo, readiness, type ApiSources } from './api.js';
import { WebError } from './errors.js';
import { feedLiveStream } from './feed.js';
import { COMMON_HEADERS, sendJson, sendProblem } from './http.js';
import { LiveStream, type LiveLimits } from './live.js';
import { createMetrics } from './metrics.js';
import type { WebOptionShape } from './options.js';
import { serveStatic } from './static-files.js';
import { handleWrite } from './write.js';

/** What tests change: the page's folder, the live stream's limits, the clock, and where the address goes. */
export interface WebTuning {
  publicDir?: string;
  live?: Partial<LiveLimits>;
  now?: () => number;
  /** Told the address once the server listens (tests take the port 0 gave). */
  listening?(url: string): void;
}

export interface WebSettings {
  host: string;
  port: number;
  /** The token writes need, '' for none (loopback only). */
  token: string;
  publicDir: string;
}

const DEFAULT_LIMITS: LiveLimits = { bufferBytes: 256 * 1024, maxViewers: 32, countersMs: 1000 };
const WRITE_PATH = /^\/api\/devices\/([^/]+)\/([^/]+)$/;

/**
 * The gateway's web server: the page, health checks, metrics, the JSON API and the live stream,
 * on node:http. Everything it answers is read from the gateway when asked; it holds only its
 * viewers. Any error while answering is answered (500) and logged, never thrown at the gateway.
 */
export class WebServer implements ExtensionInstance {
  private readonly server: Server;
  private readonly live: LiveStream;
  private readonly metrics: Registry;
  private readonly api: ApiSources;
  private port = 0;

  constructor(
    private readonly ctx: ExtensionContext<WebOptionShape>,
    private readonly settings: WebSettings,
    private readonly tuning: WebTuning = {},
  ) {
    const now = tuning.now ?? Date.now;
    this.live = new LiveStream(
      { ...DEFAULT_LIMITS, ...tuning.live },
      ctx.logger,
      {
        counters: () => ctx.gateway.counters(),
        connection: () => brokerInUse(ctx.gateway),
      },
      now,
    );
    this.api = {
      gateway: ctx.gateway,
      devices: ctx.devices,
      appName: ctx.appName,
      appVersion: ctx.appVersion,
      clientId: ctx.clientId,
      tokenRequired: settings.token !== '',
    };
    this.metrics = createMetrics({ ...this.api, viewers: () => this.live.stats });
    this.server = createServer((req, res) => this.answer(req, res));
    // A request's headers and body must come in time; the live stream's response may last.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.keepAliveTimeout = 5_000;
  }

  async start(): Promise<void> {
    feedLiveStream(this.ctx.gateway, this.ctx.devices, this.live);
    const { host, port } = this.settings;
    await new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'EADDRINUSE'
            ? `port ${port} is in use (set [WEB] port, or 0 for any free port)`
            : err.code === 'EADDRNOTAVAIL'
              ? `${host} is not an address of this machine (check [WEB] host)`
              : err.message;
        reject(new WebError('WEB_LISTEN', `[WEB] cannot listen on ${host}:${port}: ${why}`, { cause: err }));
      };
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    this.server.on('error', (err) => this.ctx.logger.error(`web server: ${err.message}`));
    this.port = (this.server.address() as AddressInfo).port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    const url = `http://${shownHost}:${this.port}/`;
    this.ctx.logger.info(`web page at ${url}`);
    this.tuning.listening?.(url);
  }

  async stop(): Promise<void> {
    this.live.close();
    this.metrics.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets and streams would hold close() until they end by themselves.
      this.server.closeAllConnections();
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      this.ctx.logger.error(`web server: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendProblem(res, { status: 500, reason: 'internal', detail: 'the gateway could not answer; its log says why' });
      else res.destroy();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (isLoopback(this.settings.host) && !hostAllowed(req.headers.host, this.settings.host, this.port))
      return sendProblem(res, { status: 403, reason: 'bad-host', detail: 'this server answers to localhost and its own address only (Host header)' });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      return sendProblem(res, { status: 400, reason: 'bad-path', detail: 'the request path cannot be read' });
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const write = WRITE_PATH.exec(path);
    if (write) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      if (!sameOrigin(req)) return sendProblem(res, { status: 403, reason: 'forbidden', detail: 'a write from another site (Origin header) is refused' });
      const [device, capability] = [decodeSegment(write[1]!), decodeSegment(write[2]!)];
      if (device === undefined || capability === undefined)
        return sendProblem(res, { status: 400, reason: 'bad-path', detail: 'the path is not valid percent-encoding' });
      return handleWrite(req, res, { device, capability }, { token: this.settings.token, devices: this.ctx.devices, write: (w) => this.ctx.write(w) });
    }
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    switch (path) {
      case '/health/live':
        return sendJson(res, 200, { status: 'live' });
      case '/health/ready': {
        const r = readiness(this.ctx.gateway);
        return r.ready ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not-ready', reason: r.reason });
      }
      case '/metrics': {
        // prom-client spells NaN "Nan" (an event-loop mean before any sample): the format says NaN.
        const text = (await this.metrics.metrics()).replace(/ Nan$/gm, ' NaN');
        res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
        res.end(text);
        return;
      }
      case '/api/gateway':
        return sendJson(res, 200, gatewayInfo(this.api));
      case '/api/devices':
        return sendJson(res, 200, devicesInfo(this.ctx.devices));
      case '/api/counters':
        return sendJson(res, 200, this.ctx.gateway.counters());
      case '/api/events':
        return this.live.open(req, res);
    }
    if (path.startsWith('/api/') || path.startsWith('/health/')) return sendProblem(res, { status: 404, reason: 'not-found', detail: `no endpoint ${path}` });
    return serveStatic(this.settings.publicDir, path, req, res);
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendProblem(res, { status: 405, reason: 'method-not-allowed', detail: `use ${allow}`, headers: { Allow: allow } });
}

function decodeSegment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
