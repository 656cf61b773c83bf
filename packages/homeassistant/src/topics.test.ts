import { HomeAssistantError } from './errors.js';
import { nodeIdFor } from './ids.js';
import { checkTopicBase, DiscoveryTopics, EntityTopics } from './topics.js';

describe('topics', () => {
  it('refuses wildcards and empty levels in its topics', () => {
    for (const bad of ['', 'a/+/b', 'a/#', 'a//b', '/a', 'a/'])
      expect(() => checkTopicBase('basetopic', bad)).toThrow(expect.objectContaining({ code: 'HOMEASSISTANT_TOPIC_INVALID' }));
    expect(() => checkTopicBase('prefix', 'a/+')).toThrow(HomeAssistantError);
    expect(checkTopicBase('prefix', 'homeassistant')).toBe('homeassistant');
  });

  it('tells command topics from state topics', () => {
    const t = new EntityTopics('home/gw/ha');
    expect(t.parseCommand(t.command('avr', 'power'))).toEqual({ device: 'avr', capability: 'power' });
    expect(t.parseCommand(t.state('avr', 'power'))).toBeUndefined();
    expect(t.parseCommand('home/gw/ha/avr/power/set/more')).toBeUndefined();
    expect(t.parseCommand('home/gw/hax/avr/power/set')).toBeUndefined();
  });

  it('puts both forms of config under one filter of the node', () => {
    const d = new DiscoveryTopics('homeassistant', 'n');
    expect(d.filter).toBe('homeassistant/+/n/+/config');
    expect(d.device('avr')).toBe('homeassistant/device/n/avr/config');
    expect(d.entity('switch', 'avr', 'power')).toBe('homeassistant/switch/n/avr_power/config');
    expect(d.status).toBe('homeassistant/status');
  });

  it('takes the node id from the option, else from the application name in characters Home Assistant accepts', () => {
    expect(nodeIdFor('dummy2mqtt', '')).toBe('dummy2mqtt');
    expect(nodeIdFor('@acme/av2mqtt', '')).toBe('acme_av2mqtt');
    expect(nodeIdFor('...', '')).toBe('mg');
    expect(nodeIdFor('dummy2mqtt', ' attic ')).toBe('attic');
  });
});
