import mqttPacket, { type Packet, type Parser } from 'mqtt-packet';
import type { ProxyConnectionEvent, ProxyData } from '@mg/test-helpers';

/** What the tap saw on the wire between the gateway and one broker node. */
export type TapEvent =
  /** A command PUBLISH was written to the gateway's socket. */
  | { kind: 'crossed'; id: string }
  /** The broker sent a command toward the gateway (read from the broker's socket: before any added latency or loss). */
  | { kind: 'broker-sent'; id: string }
  /** The gateway PUBACKed a command (with `received` on entry to its list, with `taken` when its interface took it). */
  | { kind: 'gateway-acked'; id: string }
  /** The broker PUBACKed a reply the gateway published: from now on the reply is the broker's. */
  | { kind: 'reply-acked'; id: string }
  /** A CONNACK accepting the gateway, as the broker sent it: whether it kept the session (the gateway decides its held messages on it). */
  | { kind: 'connack'; sessionPresent: boolean }
  /** The CONNACK (its sessionPresent in the detail) and then the first SUBACK of a connection. */
  | { kind: 'connected'; detail: string }
  | { kind: 'disconnected'; detail: string };

export interface TapOptions {
  /** The node's name in details ("node 1"). */
  node: string;
  /** The command id of a PUBLISH to the gateway, or undefined for anything else. */
  commandId(topic: string, payload: Buffer): string | undefined;
  /** The command id a reply of the gateway answers, or undefined for anything else. */
  replyId(topic: string, payload: Buffer): string | undefined;
  emit(e: TapEvent): void;
  /** A stream that does not parse (the tap stops reading that direction of that connection). */
  onError?(message: string): void;
}

/** The parsers and pending replies of one relayed connection. */
interface Stream {
  parsers: Map<string, Parser>;
  /** Packet id -> command id of the gateway's QoS 1 replies not yet PUBACKed on this connection. */
  replies: Map<number, string>;
  /** Packet id -> command id of the QoS 1 commands written to the gateway and not yet PUBACKed by it. */
  commands: Map<number, string>;
  /** From the CONNACK. */
  sessionPresent: boolean | undefined;
  /** CONNACK and a SUBACK seen, no side closed yet. */
  connected: boolean;
}

const asBuffer = (p: string | Buffer) => (typeof p === 'string' ? Buffer.from(p) : p);

/**
 * Parses the MQTT byte streams a TcpProxy relays for one node: `crossed` from what is written to
 * the gateway (bytes swallowed by a fault never crossed), `gateway-acked` from the gateway's
 * PUBACK of such a command (as it left the gateway), `broker-sent`, `reply-acked` and each
 * connection's CONNACK (with `sessionPresent`) from what the broker sends, as it sends it (even
 * if the gateway never sees it), and each connection's end. Packet ids are per connection: each has its own parsers.
 */
export function createTap(o: TapOptions): { onData(d: ProxyData): void; onConnection(connection: number, event: ProxyConnectionEvent): void } {
  const streams = new Map<number, Stream>();

  const handle = (stream: Stream, key: string, packet: Packet) => {
    if (key === 'up:in' && packet.cmd === 'publish' && packet.qos > 0 && packet.messageId !== undefined) {
      const id = o.replyId(packet.topic, asBuffer(packet.payload));
      if (id !== undefined) stream.replies.set(packet.messageId, id);
    } else if (key === 'down:in' && packet.cmd === 'puback' && packet.messageId !== undefined) {
      const id = stream.replies.get(packet.messageId);
      if (id === undefined) return;
      stream.replies.delete(packet.messageId);
      o.emit({ kind: 'reply-acked', id });
    } else if (key === 'up:in' && packet.cmd === 'puback' && packet.messageId !== undefined) {
      const id = stream.commands.get(packet.messageId);
      if (id === undefined) return;
      stream.commands.delete(packet.messageId);
      o.emit({ kind: 'gateway-acked', id });
    } else if (key === 'down:in' && packet.cmd === 'publish') {
      // The broker's own time: a latency fault delays the crossing, not the sending.
      const id = o.commandId(packet.topic, asBuffer(packet.payload));
      if (id !== undefined) o.emit({ kind: 'broker-sent', id });
    } else if (key === 'down:in' && packet.cmd === 'connack') {
      const code = packet.returnCode ?? packet.reasonCode ?? 0;
      if (code !== 0) return o.emit({ kind: 'disconnected', detail: `${o.node}: CONNACK refused (${code})` });
      stream.sessionPresent = packet.sessionPresent;
      o.emit({ kind: 'connack', sessionPresent: packet.sessionPresent });
    } else if (key === 'down:out' && packet.cmd === 'publish') {
      const id = o.commandId(packet.topic, asBuffer(packet.payload));
      if (id === undefined) return;
      if (packet.qos > 0 && packet.messageId !== undefined) stream.commands.set(packet.messageId, id);
      o.emit({ kind: 'crossed', id });
    } else if (key === 'down:out' && packet.cmd === 'suback' && stream.sessionPresent !== undefined && !stream.connected) {
      // Connected means subscribed: before the SUBACK, a broker that lost the session routes
      // nothing to the gateway, and a command sent then is the broker's loss, not the gateway's.
      stream.connected = true;
      const refused = (packet.granted as unknown[]).filter((g) => typeof g === 'number' && g >= 0x80).length;
      o.emit({ kind: 'connected', detail: `${o.node} sessionPresent=${stream.sessionPresent}${refused > 0 ? ` (${refused} subscriptions refused)` : ''}` });
    }
  };

  /** Only three of the four views are read: what the gateway sent to the broker once is enough. */
  const WATCHED = new Set(['up:in', 'down:in', 'down:out']);

  return {
    onConnection(connection, event) {
      if (event === 'open')
        return void streams.set(connection, { parsers: new Map(), replies: new Map(), commands: new Map(), sessionPresent: undefined, connected: false });
      const stream = streams.get(connection);
      if (event === 'close') streams.delete(connection);
      // The first side to close ends the MQTT connection (under silent loss the other side may
      // not know for a while): the gateway giving up on its keepalive is seen at once.
      if (!stream?.connected) return;
      stream.connected = false;
      const who = event === 'client-closed' ? 'gateway side closed' : event === 'target-closed' ? 'broker side closed' : 'closed';
      o.emit({ kind: 'disconnected', detail: `${o.node} connection ${connection}: ${who}` });
    },
    onData({ connection, direction, stage, chunk }) {
      const key = `${direction}:${stage}`;
      const stream = streams.get(connection);
      if (!stream || !WATCHED.has(key)) return;
      let parser = stream.parsers.get(key);
      if (!parser) {
        parser = mqttPacket.parser({ protocolVersion: 4 });
        parser.on('packet', (p: Packet) => handle(stream, key, p));
        parser.on('error', (err: Error) => {
          stream.parsers.set(key, deadParser);
          o.onError?.(`tap ${o.node} connection ${connection} ${key}: ${err.message}`);
        });
        stream.parsers.set(key, parser);
      }
      parser.parse(chunk);
    },
  };
}

/** Stands in for a parser that failed: the rest of that stream is not read. */
const deadParser = { parse: () => 0 } as unknown as Parser;
