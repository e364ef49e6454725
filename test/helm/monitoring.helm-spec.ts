import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IConfigMap } from 'kubernetes-models/v1';
import { stringify } from 'yaml';
import { runPromtool } from './promtool-binary';
import { FULLNAME, NAMESPACE, find, render, validateObject, type K8sObject } from './rendered-chart';

const ROOT = join(__dirname, '..', '..');
const MONITORING = [
  '--set',
  'metrics.prometheusRule.enabled=true',
  '--set',
  'metrics.grafanaDashboard.enabled=true',
];

/** Every metric name the services export (Prometheus names: counters get `_total`). */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const file of ['psp-metrics.ts', 'runtime-metrics.ts']) {
    const source = readFileSync(join(ROOT, 'libs/observability/src/metrics', file), 'utf8');
    for (const [, kind, name] of source.matchAll(/create(\w+)\(\s*'([a-z_]+)'/g)) {
      if (kind === 'Counter' || kind === 'ObservableCounter') names.add(`${name}_total`);
      else if (kind === 'Histogram')
        for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
      else names.add(name);
    }
  }
  return names;
}

/** Metric names an expression reads (`psp_…`, `http_…`, `process_…`, `nodejs_…`). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:psp|http|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]);
}

describe('helm chart monitoring', () => {
  const objects = render(['default.yaml'], MONITORING);
  const rule = find<IPrometheusRule & K8sObject>(objects, 'PrometheusRule', FULLNAME);

  it('ships neither alert rules nor the dashboard unless asked', () => {
    const plain = render(['default.yaml']);
    expect(plain.filter((o) => o.kind === 'PrometheusRule')).toEqual([]);
    expect(plain.filter((o) => o.metadata.name.endsWith('-dashboard'))).toEqual([]);
  });

  it('renders a PrometheusRule that validates and that promtool accepts and tests', () => {
    validateObject(rule);
    const dir = mkdtempSync(join(tmpdir(), 'psp-rules-'));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rule.spec?.groups }));
    const check = runPromtool(['check', 'rules', 'rules.yaml'], dir);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
    copyFileSync(join(__dirname, 'prometheus-rules.test.yaml'), join(dir, 'rules.test.yaml'));
    const test = runPromtool(['test', 'rules', 'rules.test.yaml'], dir);
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('alerts on what pages a PSP at night, scoped to this release', () => {
    const rules = (rule.spec?.groups ?? []).flatMap((g) => g.rules ?? []);
    const alerts = rules.map((r) => r.alert);
    for (const alert of [
      'PspPatchNearDeadline',
      'PspPatchDeadlineMissed',
      'PspAttemptsOverdue',
      'PspUnknownOutcomesUnresolved',
      'PspOutboxStale',
      'PspAuthorizationQueueOld',
      'PspQueueOld',
      'PspAcquirerErrorRate',
      'PspWebhookFailureRate',
      'PspCallbackRefusals',
      'PspCallbackErrors',
    ])
      expect(alerts).toContain(alert);
    for (const r of rules) {
      const expr = String(r.expr);
      expect(expr).toContain(`namespace="${NAMESPACE}"`);
      expect(['warning', 'critical']).toContain(r.labels?.severity);
      expect(r.annotations?.summary).toBeTruthy();
    }
    // 75 % of the 32 s PATCH deadline.
    const near = rules.find((r) => r.alert === 'PspPatchNearDeadline');
    expect(String(near?.expr)).toMatch(/> 24\s*$/);
  });

  it('reads only metrics the services export', () => {
    const exported = exportedMetricNames();
    const dashboard = find<IConfigMap & K8sObject>(objects, 'ConfigMap', `${FULLNAME}-dashboard`);
    const json = JSON.parse(dashboard.data?.['psp-gateway.json'] ?? '{}') as {
      panels: { targets?: { expr: string }[] }[];
    };
    const exprs = [
      ...(rule.spec?.groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => String(r.expr))),
      ...json.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    ];
    const unknown = exprs.flatMap(metricsIn).filter((name) => !exported.has(name));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('ships the Grafana dashboard in a ConfigMap the dashboard sidecar picks up', () => {
    const dashboard = find<IConfigMap & K8sObject>(objects, 'ConfigMap', `${FULLNAME}-dashboard`);
    validateObject(dashboard);
    expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
    const json = JSON.parse(dashboard.data?.['psp-gateway.json'] ?? '') as {
      uid: string;
      panels: { title: string }[];
    };
    expect(json.uid).toBe('psp-gateway');
    expect(json.panels.map((p) => p.title)).toEqual(
      expect.arrayContaining(['Callback → final PATCH (p50, p99)', 'Oldest waiting job']),
    );
  });
});
