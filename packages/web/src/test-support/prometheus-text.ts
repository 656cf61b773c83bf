// A strict parser of the Prometheus text exposition format (version 0.0.4), written from the
// format's specification ("Exposition formats", prometheus.io) because no maintained parser is
// published on npm (the ones there have had no release in years). Strict: anything the
// specification does not allow throws, with the line number, so that a test parsing /metrics
// fails on output Prometheus would reject or misread.

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

interface Sample {
  /** The sample's own name: `x_bucket`, `x_sum` and `x_count` for a histogram `x`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

class ParseError extends Error {
  constructor(line: number, message: string) {
    super(`metrics line ${line}: ${message}`);
  }
}

/** A float as Prometheus reads it (Go's ParseFloat): decimal or exponent form, NaN and Inf in any case (prom-client writes "Nan"). */
function parseFloatToken(token: string): number | undefined {
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(token);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return FLOAT.test(token) ? Number(token) : undefined;
}

/** `\\` and `\n` in a docstring, and `\"` too in a label value; any other escape is an error. */
function unescape(text: string, quotes: boolean, fail: (m: string) => never): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    return fail(`invalid escape "\\${c}"`);
  });
}

/** Reads `name{a="x",b="y"} value [timestamp]`. */
function parseSample(line: string, fail: (m: string) => never): Sample {
  const nameMatch = /^[^\s{]+/.exec(line);
  const name = nameMatch?.[0] ?? '';
  if (!METRIC_NAME.test(name)) fail(`invalid metric name "${name}"`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) break;
      const label = /^([^=\s]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*/.exec(rest);
      if (!label) fail(`malformed label set near "${rest.slice(0, 40)}"`);
      const [whole, key = '', raw = ''] = label;
      if (!LABEL_NAME.test(key)) fail(`invalid label name "${key}"`);
      if (key.startsWith('__')) fail(`label name "${key}" is reserved (starts with "__")`);
      if (key in labels) fail(`label "${key}" given twice`);
      labels[key] = unescape(raw, true, fail);
      rest = rest.slice(whole.length);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) fail(`expected "," or "}" after label "${key}"`);
    }
    rest = rest.slice(1);
  }
  if (!/^[ \t]/.test(rest)) fail('expected whitespace before the value');
  const tokens = rest.trim().split(/[ \t]+/);
  if (tokens.length > 2) fail(`unexpected "${tokens.slice(2).join(' ')}" after the value and timestamp`);
  const value = parseFloatToken(tokens[0] ?? '');
  if (value === undefined) fail(`invalid value "${tokens[0]}"`);
  const sample: Sample = { name, labels, value };
  if (tokens[1] !== undefined) {
    if (!/^-?\d+$/.test(tokens[1])) fail(`invalid timestamp "${tokens[1]}"`);
    sample.timestamp = Number(tokens[1]);
  }
  return sample;
}

/** The family a sample belongs to: `x` for `x_bucket` of a histogram `x`, etc.; its own name otherwise. */
function familyOf(name: string, types: Map<string, MetricType>): string {
  for (const [suffix, kinds] of [
    ['_bucket', ['histogram']],
    ['_sum', ['histogram', 'summary']],
    ['_count', ['histogram', 'summary']],
  ] as const) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && (kinds as readonly string[]).includes(types.get(base) ?? '')) return base;
  }
  return name;
}

const seriesKey = (s: Sample) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)))}`;

/** Checks what the types require: `le` on buckets, `quantile` on summary samples, per series a `+Inf` bucket equal to `_count`. */
function checkFamily(f: MetricFamily, fail: (m: string) => never): void {
  if (f.type === 'counter' && f.samples.some((s) => s.value < 0)) fail(`counter ${f.name} is negative`);
  if (f.type === 'histogram') {
    const inf = new Map<string, number>();
    for (const s of f.samples.filter((x) => x.name === `${f.name}_bucket`)) {
      const { le, ...rest } = s.labels;
      if (le === undefined) fail(`bucket of histogram ${f.name} without "le"`);
      if (le === '+Inf') inf.set(seriesKey({ ...s, name: '', labels: rest }), s.value);
    }
    for (const s of f.samples.filter((x) => x.name === `${f.name}_count`)) {
      const bucket = inf.get(seriesKey({ ...s, name: '' }));
      if (bucket === undefined) fail(`histogram ${f.name}${JSON.stringify(s.labels)} has no +Inf bucket`);
      if (bucket !== s.value) fail(`histogram ${f.name}${JSON.stringify(s.labels)}: the +Inf bucket differs from _count`);
    }
  }
  if (f.type === 'summary')
    for (const s of f.samples.filter((x) => x.name === f.name)) if (!('quantile' in s.labels)) fail(`sample of summary ${f.name} without "quantile"`);
}

/** Parses a whole exposition into its metric families, by name, in order of appearance. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const seen = new Set<string>();
  const closed = new Set<string>();
  if (text !== '' && !text.endsWith('\n')) throw new ParseError(text.split('\n').length, 'the last line must end with a line feed');
  let current: MetricFamily | undefined;
  let lineNo = 0;
  const family = (name: string, fail: (m: string) => never): MetricFamily => {
    if (current?.name === name) return current;
    if (current) closed.add(current.name);
    if (closed.has(name)) fail(`metric ${name} appears again after other metrics (its lines must be one group)`);
    const f = families.get(name) ?? { name, type: types.get(name) ?? 'untyped', samples: [] };
    families.set(name, f);
    current = f;
    return f;
  };
  for (const raw of text.split('\n').slice(0, -1)) {
    lineNo += 1;
    const n = lineNo;
    const fail = (message: string): never => {
      throw new ParseError(n, message);
    };
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name = '', ...rest] = line.split(/[ \t]+/);
      if (keyword !== 'HELP' && keyword !== 'TYPE') continue; // a plain comment
      if (!METRIC_NAME.test(name)) fail(`invalid metric name "${name}" in ${keyword}`);
      const f = family(name, fail);
      if (keyword === 'HELP') {
        if (f.help !== undefined) fail(`second HELP for ${name}`);
        f.help = unescape(line.replace(/^#[ \t]+HELP[ \t]+\S+[ \t]?/, ''), false, fail);
      } else {
        const type = rest[0] as MetricType;
        if (rest.length !== 1 || !TYPES.has(type)) fail(`TYPE ${name} needs one of ${[...TYPES].join(', ')}`);
        if (types.has(name)) fail(`second TYPE for ${name}`);
        if (f.samples.length > 0) fail(`TYPE ${name} after its first sample`);
        types.set(name, type);
        f.type = type;
      }
      continue;
    }
    const sample = parseSample(line, fail);
    const f = family(familyOf(sample.name, types), fail);
    const key = seriesKey(sample);
    if (seen.has(key)) fail(`the series ${sample.name}${JSON.stringify(sample.labels)} appears twice`);
    seen.add(key);
    f.samples.push(sample);
  }
  for (const f of families.values())
    checkFamily(f, (m) => {
      throw new Error(`metrics: ${m}`);
    });
  return families;
}
