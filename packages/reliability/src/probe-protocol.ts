/** What the suite and a probe2mqtt process say to each other over IPC. */
export type ProbeRequest =
  | { type: 'push'; prefix: string; count: number }
  | { type: 'push-invalid'; count: number }
  | { type: 'loop-fault'; on: boolean }
  /** `delayMs` of asynchronous device time per command, one at a time; `stuckMs`: take nothing for that long. */
  | { type: 'behave'; delayMs?: number; stuckMs?: number }
  | { type: 'report' };

export interface ProbeReport {
  type: 'report';
  /** The gateway's counters (what it publishes on its stats topic). */
  counters: {
    received: number;
    delivered: number;
    published: number;
    dropped: number;
    incomingDropped: number;
    incomingPauses: number;
    connections: number;
    disconnections: number;
    interfaceErrors: number;
    subscriptionsRefused: number;
    /** URL of the broker the gateway is on (or was last on). */
    broker: string;
    rejected: Record<string, number>;
  } | null;
  rss: number;
  /** Heap in use right after a full garbage collection: what the process really holds. */
  heapAfterGc: number;
  /** Whether anything was added to Object.prototype. */
  polluted: boolean;
}

export type ProbeEvent =
  | { type: 'connected' }
  /** A connection to the broker at `url`, at `at` (Date.now() in the gateway). */
  | { type: 'connection'; url: string; at: number }
  | { type: 'received'; ids: string[] }
  | { type: 'done'; request: string }
  | ProbeReport;
