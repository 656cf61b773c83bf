import type { Capability, Device } from '@mg/core';
import { uniqueIds } from './ids.js';
import { propertyFor, type PropertyDescription } from './property.js';

/** The convention version written in every `$description` (major.minor, no patch). */
const HOMIE_VERSION = '5.0';

/**
 * The one node of every device. The core's devices have capabilities and no grouping, and
 * Homie 5 puts properties in nodes: one node, named after what it holds.
 */
export const NODE_ID = 'capabilities';

interface NodeDescription {
  name: string;
  properties: Record<string, PropertyDescription>;
}

/** A `$description` document (convention 5, "Device Attributes"). */
export interface DeviceDescription {
  homie: string;
  version: number;
  name: string;
  /** The root device's id, in a child's description only. */
  root?: string;
  children?: string[];
  nodes?: Record<string, NodeDescription>;
}

export interface HomieProperty {
  /** Its property id: the capability id, made a valid Homie id. */
  id: string;
  capability: Capability;
  description: PropertyDescription;
}

export interface HomieChild {
  /** `<root id>-<device id>`: Homie device ids share one namespace per domain, so two gateways with an `amp` never meet. */
  id: string;
  device: Device;
  properties: HomieProperty[];
}

/** The gateway as a Homie root device and the interface's devices as its children. */
export interface HomieTree {
  root: { id: string; name: string };
  children: HomieChild[];
}

export function buildTree(root: { id: string; name: string }, devices: readonly Device[]): HomieTree {
  const childIds = uniqueIds(
    devices.map((d) => d.id),
    root.id,
  );
  const children = devices.map((device, i) => {
    const propertyIds = uniqueIds(device.capabilities.map((c) => c.id));
    const properties = device.capabilities.map((capability, j) => ({ id: propertyIds[j]!, capability, description: propertyFor(capability) }));
    return { id: childIds[i]!, device, properties };
  });
  return { root, children };
}

/** The root's description without its version: the gateway, no nodes, its children listed. */
export function describeRoot(tree: HomieTree): Omit<DeviceDescription, 'version'> {
  return { homie: HOMIE_VERSION, name: tree.root.name, children: tree.children.map((c) => c.id) };
}

/** A child's description without its version. Its parent is the root, so only `root` is written (`parent` defaults to it). */
export function describeChild(tree: HomieTree, child: HomieChild): Omit<DeviceDescription, 'version'> {
  const properties = Object.fromEntries(child.properties.map((p) => [p.id, p.description]));
  return { homie: HOMIE_VERSION, name: child.device.name, root: tree.root.id, nodes: { [NODE_ID]: { name: child.device.name, properties } } };
}
