// pool2mqtt: a pool controller on TCP. The framework does the chores (connection, availability,
// polling, retries on ERR BUSY, replies); what is left here is the controller's protocol.
import { address, number } from '@mg/core/options';
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { LineTransport, PollScheduler, type AnswerPatterns } from '@mg/device-io';

const options = {
  port: address('tcp://127.0.0.1:4001', 'The pool controller: tcp://host:port (host:port will do) or a serial port.'),
  interval: number(60, 'Seconds between two status queries (the controller reports its temperature by itself).', { min: 1 }),
  reconnectmin: number(1, 'Seconds before trying the controller again once it is gone (doubling after each failure).', { min: 0.05 }),
  reconnectmax: number(30, 'Longest delay between two attempts to reach the controller, in seconds.', { min: 0.1 }),
};

/** How the controller answers a command: OK, ERR BUSY (sent again a little later), or ERR and why. */
const ANSWERS: AnswerPatterns = { ok: /^OK$/, busy: /^ERR BUSY$/, refused: /^ERR (?<reason>.+)$/ };
/** The line each command sends ({value}: its argument). */
const COMMANDS: Record<string, string> = { PUMP_ON: 'PUMP ON', PUMP_OFF: 'PUMP OFF', SETPOINT_SET: 'SETPOINT {value}' };
/** What the controller says, by itself or when asked: each named group is a status (its action and value). */
const REPORTS = [/^STATUS PUMP=(?<PUMP>ON|OFF) TEMP=(?<TEMP>[\d.-]+) SETPOINT=(?<SETPOINT>[\d.-]+)$/, /^TEMP (?<TEMP>[\d.-]+)$/, /^ALARM (?<ALARM>.+)$/];
const READ: Record<string, (text: string) => string | number> = { PUMP: (text) => text.toLowerCase(), TEMP: Number, SETPOINT: Number };
const POOL = 'pool';
const ADDRESS = { function: 'Pool', location: 'Garden', device: 'Controller' };
const value = (action: string) => ({ action, argument: 'value' });
const CAPABILITIES: DeviceInput['capabilities'] = [
  { id: 'pump', name: 'Pump', kind: 'binary', command: { actions: { on: 'PUMP_ON', off: 'PUMP_OFF' } }, state: value('PUMP') },
  { id: 'temperature', name: 'Water temperature', kind: 'number', unit: '°C', access: 'read', state: value('TEMP') },
  { id: 'setpoint', name: 'Setpoint', kind: 'number', unit: '°C', command: value('SETPOINT_SET'), state: value('SETPOINT') },
];

export class PoolInterface implements GatewayInterface {
  static readonly options = options;
  static readonly describe = (): DeviceInput[] => [{ id: POOL, name: 'Pool controller', address: ADDRESS, capabilities: CAPABILITIES }];
  private readonly pool: LineTransport;
  private readonly polls: PollScheduler;

  constructor(private readonly ctx: InterfaceContext<typeof options>) {
    this.pool = new LineTransport({ address: ctx.options.port, reconnect: { minMs: ctx.options.reconnectmin * 1000, maxMs: ctx.options.reconnectmax * 1000 } });
    this.polls = new PollScheduler({ logger: ctx.logger });
  }

  start(): void {
    this.ctx.devices.follow(POOL, this.pool); // online while connected, offline while not
    const poll = async (signal: AbortSignal) => this.onLine(await this.pool.request('STATUS?', { match: /^STATUS /, signal }));
    this.polls.add(this.ctx.options.port, { device: POOL, id: 'status', intervalMs: this.ctx.options.interval * 1000, poll });
    this.pool.on('state', (s) => s.state === 'connected' && this.polls.pollNow()); // what changed while away
    this.ctx.devices.onPoll((device) => this.polls.pollNow(device)); // asked on [MQTT] polltopic
    this.pool.on('line', this.ctx.contain('pool line', this.onLine)); // a throw in it is counted and logged, never fatal
    this.pool.start(this.ctx.signal);
    this.polls.start(this.ctx.signal);
    void this.commands(); // in the background; all three end when the gateway stops (signal)
  }

  private async commands(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) {
      if (!msg.isCmd) continue;
      const outcome = await this.send(msg).catch((err: Error) => ({ ok: false as const, reason: err.message }));
      this.ctx.outgoing.push(msg.replyWith(outcome));
      if (outcome.ok) this.polls.pollNow(POOL); // the controller reports no change: ask
    }
  }

  /** Sends the command's line; an unknown action or a bad argument throws, worded for the sender (msg.heard: their words). */
  private async send(msg: InternalMessage) {
    const line = COMMANDS[msg.action];
    if (!line) throw new Error(`${msg.heard.action} is not a command of the pool controller`);
    return this.pool.ask(line.replace('{value}', String(msg.argument('value', { type: 'number', required: line.includes('{value}') }))), ANSWERS);
  }

  private readonly onLine = (line: string): void => {
    const groups = REPORTS.map((r) => r.exec(line)?.groups).find(Boolean) ?? {}; // other lines: none of our business
    for (const [action, text] of Object.entries(groups))
      this.ctx.outgoing.push(new InternalMessage({ ...ADDRESS, action, arguments: { value: READ[action]?.(text) ?? text } }));
  };
}
