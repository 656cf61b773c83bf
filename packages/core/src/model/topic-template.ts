/** Fills `{root}`, `{app}` and `{clientid}` in a topic option; an empty root leaves no empty level. */
export function expandTopic(template: string, values: { root: string; app: string; clientid: string }): string {
  const t = values.root === '' ? template.replace(/^\{root\}\//, '') : template;
  return t.replace(/\{(root|app|clientid)\}/g, (_, key: 'root' | 'app' | 'clientid') => values[key]);
}
