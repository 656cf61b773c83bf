import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parsePrometheusText } from './prometheus-text.js';

describe('the strict Prometheus text-format parser', () => {
  it("reads the specification's example: help, types, labels with escapes, timestamps, histogram and summary", () => {
    const text = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '',
      '# Escaping in label values:',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '# HELP http_request_duration_seconds A histogram of the request duration.',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.05"} 24054',
      'http_request_duration_seconds_bucket{le="+Inf"} 144320',
      'http_request_duration_seconds_sum 53423',
      'http_request_duration_seconds_count 144320',
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      'rpc_duration_seconds_sum 1.7560473e+07',
      'rpc_duration_seconds_count 2693',
      '',
    ].join('\n');
    const families = parsePrometheusText(text);
    expect(families.get('http_requests_total')).toMatchObject({ type: 'counter', help: 'The total number of HTTP requests.' });
    expect(families.get('http_requests_total')?.samples[1]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'post', code: '400' },
      value: 3,
      timestamp: 1395066363000,
    });
    expect(families.get('msdos_file_access_time_seconds')?.samples[0]?.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(families.get('something_weird')?.samples[0]).toMatchObject({ value: Infinity, timestamp: -3982045 });
    expect(families.get('http_request_duration_seconds')?.samples.map((s) => s.name)).toEqual([
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_sum',
      'http_request_duration_seconds_count',
    ]);
    expect(families.get('rpc_duration_seconds')).toMatchObject({ type: 'summary' });
    expect(families.get('metric_without_timestamp_and_labels')).toMatchObject({ type: 'untyped', samples: [{ value: 12.47 }] });
  });

  it('reads what prom-client writes, default process metrics included', async () => {
    const register = new Registry();
    collectDefaultMetrics({ register });
    new Counter({ name: 'mg_test_total', help: 'A help with a \\ backslash\nand a new line', labelNames: ['reason'], registers: [register] }).inc({
      reason: 'a "quoted"\\ value',
    });
    new Gauge({ name: 'mg_test_gauge', help: 'g', registers: [register] }).set(-1.5);
    new Histogram({ name: 'mg_test_seconds', help: 'h', buckets: [0.1, 1], registers: [register] }).observe(0.5);
    const families = parsePrometheusText(await register.metrics());
    expect(families.get('mg_test_total')).toMatchObject({
      type: 'counter',
      help: 'A help with a \\ backslash\nand a new line',
      samples: [{ labels: { reason: 'a "quoted"\\ value' }, value: 1 }],
    });
    expect(families.get('mg_test_gauge')?.samples[0]?.value).toBe(-1.5);
    expect(families.get('mg_test_seconds')?.samples.find((s) => s.labels.le === '+Inf')?.value).toBe(1);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
  });

  it.each([
    ['no final line feed', 'a 1', /last line must end with a line feed/],
    ['a bad metric name', '1a 1\n', /line 1: invalid metric name "1a"/],
    ['a bad value', 'a one\n', /invalid value "one"/],
    ['a bad timestamp', 'a 1 1.5\n', /invalid timestamp "1.5"/],
    ['tokens after the timestamp', 'a 1 2 3\n', /unexpected "3"/],
    ['an unquoted label value', 'a{b=c} 1\n', /malformed label set/],
    ['an unknown escape', 'a{b="\\t"} 1\n', /invalid escape "\\t"/],
    ['a reserved label name', 'a{__b="c"} 1\n', /reserved/],
    ['a label given twice', 'a{b="1",b="2"} 1\n', /label "b" given twice/],
    ['no space before the value', 'a{b="1"}1\n', /whitespace before the value/],
    ['an unknown type', '# TYPE a meter\n', /TYPE a needs one of/],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\n', /line 2: second TYPE for a/],
    ['a second HELP', '# HELP a x\n# HELP a y\n', /second HELP/],
    ['TYPE after a sample', 'a 1\n# TYPE a gauge\n', /TYPE a after its first sample/],
    ['a metric in two groups', 'a 1\nb 1\na{x="1"} 2\n', /line 3: metric a appears again/],
    ['a series given twice', 'a{x="1",y="2"} 1\na{y="2",x="1"} 2\n', /appears twice/],
    ['a negative counter', '# TYPE a counter\na -1\n', /counter a is negative/],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\nh_sum 1\n', /no \+Inf bucket/],
    ['a +Inf bucket unlike _count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 1\nh_sum 1\n', /differs from _count/],
    ['a summary sample without quantile', '# TYPE s summary\ns 1\n', /without "quantile"/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parsePrometheusText(text)).toThrow(message);
  });
});
