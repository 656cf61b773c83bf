import { NameError, namesFor } from './names.js';

describe('namesFor', () => {
  it.each(['pool', 'pool2mqtt', ' pool2mqtt '])('gives %j the interface "pool" and the application "pool2mqtt"', (typed) => {
    expect(namesFor(typed)).toMatchObject({ name: 'pool', className: 'PoolInterface', app: 'pool2mqtt', module: 'pool-interface' });
  });

  it('says whether the application name was typed', () => {
    expect(namesFor('pool').fromApp).toBe(false);
    expect(namesFor('pool2mqtt').fromApp).toBe(true);
  });

  it('keeps dashes and digits, and takes "-2mqtt" off too', () => {
    expect(namesFor('knx-ip')).toMatchObject({ name: 'knx-ip', className: 'KnxIpInterface', app: 'knx-ip2mqtt' });
    expect(namesFor('knx-ip2mqtt')).toMatchObject({ name: 'knx-ip', app: 'knx-ip2mqtt' });
    expect(namesFor('knx-2mqtt')).toMatchObject({ name: 'knx', app: 'knx2mqtt' });
    expect(namesFor('s7')).toMatchObject({ name: 's7', app: 's72mqtt' });
  });

  it('never makes 2mqtt2mqtt', () => {
    for (const typed of ['pool2mqtt', 'a2mqtt2mqtt', 'x-y2mqtt']) expect(namesFor(typed).app).not.toMatch(/2mqtt2mqtt/);
    expect(namesFor('a2mqtt2mqtt')).toMatchObject({ name: 'a', app: 'a2mqtt' });
  });

  it.each(['2mqtt', 'Pool', 'pool_2', ''])('refuses %j, saying why', (typed) => {
    expect(() => namesFor(typed)).toThrow(NameError);
  });

  it('refuses a name that is only the suffix, with words that help', () => {
    expect(() => namesFor('2mqtt')).toThrow(/valid interface name/);
    expect(namesFor('x-2mqtt2mqtt')).toMatchObject({ name: 'x', app: 'x2mqtt' });
  });
});
