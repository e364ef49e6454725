import { join } from 'node:path';
import type { ModelConstructor } from '@kubernetes-models/base';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  type IContainer,
  type IPodSpec,
} from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { runHelm } from './helm-binary';

export const CHART_DIR = join(__dirname, '..', '..', 'helm', 'psp-gateway');
export const VALUES_DIR = join(__dirname, 'values');
export const RELEASE = 'psp';
export const NAMESPACE = 'payments';

/** Every kind the chart may render, with the model that validates it (apiVersion included). */
const MODELS: Record<string, ModelConstructor<unknown>> = {
  'v1/ConfigMap': ConfigMap as ModelConstructor<unknown>,
  'v1/Secret': Secret as ModelConstructor<unknown>,
  'v1/Service': Service as ModelConstructor<unknown>,
  'v1/ServiceAccount': ServiceAccount as ModelConstructor<unknown>,
  'apps/v1/Deployment': Deployment as ModelConstructor<unknown>,
  'batch/v1/Job': Job as ModelConstructor<unknown>,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as ModelConstructor<unknown>,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as ModelConstructor<unknown>,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as ModelConstructor<unknown>,
  'networking.k8s.io/v1/Ingress': Ingress as ModelConstructor<unknown>,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as ModelConstructor<unknown>,
};

/** A rendered object, loosely typed: the tests read what they assert on. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
  data?: Record<string, string>;
}

export function helmTemplate(valuesFiles: string[], extraArgs: string[] = []) {
  const files = valuesFiles.flatMap((file) => ['-f', join(VALUES_DIR, file)]);
  return runHelm(['template', RELEASE, CHART_DIR, '-n', NAMESPACE, ...files, ...extraArgs]);
}

/** `helm template` that must succeed, parsed into objects. */
export function render(valuesFiles: string[], extraArgs: string[] = []): K8sObject[] {
  const result = helmTemplate(valuesFiles, extraArgs);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null);
}

/** Validates one object against the Kubernetes (or Prometheus Operator) schema of its kind. */
export function validateObject(obj: K8sObject): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no model for ${key} (${obj.metadata.name})`);
  new Model(obj).validate();
}

/** The object of that kind and name, typed as its model's interface (e.g. IDeployment). */
export function find<T = K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const names = objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    throw new Error(`${kind} ${name} not rendered (have: ${names.join(', ') || 'none'})`);
  }
  return found as T;
}

export const componentName = (component: string) => `${RELEASE}-psp-gateway-${component}`;
export const FULLNAME = `${RELEASE}-psp-gateway`;

/** Pod spec of a Deployment or a Job. */
export function podSpec(workload: K8sObject): IPodSpec {
  return (workload.spec as { template: { spec: IPodSpec } }).template.spec;
}

export function mainContainer(workload: K8sObject): IContainer {
  return podSpec(workload).containers[0];
}

/** Stand-ins for secrets that live in existingSecrets (not rendered by the chart). */
const EXTERNAL_SECRET_STAND_INS: Record<string, string> = {
  DB_PASSWORD: 'external-db-password',
  REDIS_PASSWORD: 'external-redis-password',
  MOBILEPAY_CLIENT_SECRET: 'external-client-secret',
  POS_CLIENT_SECRET: 'external-pos-client-secret',
  CARD_DATA_SEAL_KEY: Buffer.alloc(32, 9).toString('base64'),
  ADMIN_API_KEY: 'external-admin-key-of-at-least-24-chars',
  CLEARHAUS_API_KEY: 'external-clearhaus-api-key',
};

/**
 * The environment the container would see: envFrom ConfigMaps, then env entries with secrets read
 * from the rendered Secrets (or stand-ins for existing ones) and `$(VAR)` expanded as the kubelet does.
 */
export function containerEnv(container: IContainer, objects: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) continue;
    const configMap = find(objects, 'ConfigMap', source.configMapRef.name ?? '');
    Object.assign(env, configMap.data);
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (secretRef) {
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === secretRef.name);
      const encoded = secret?.data?.[secretRef.key];
      if (encoded === undefined && secretRef.optional) continue; // Kubernetes leaves it unset
      if (secret && encoded === undefined) {
        throw new Error(`${variable.name}: Secret ${secretRef.name} has no key ${secretRef.key}`);
      }
      env[variable.name] =
        encoded !== undefined
          ? Buffer.from(encoded, 'base64').toString('utf8')
          : EXTERNAL_SECRET_STAND_INS[variable.name];
      continue;
    }
    env[variable.name] = (variable.value ?? '').replace(
      /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (whole, name: string) => env[name] ?? whole,
    );
  }
  return env;
}

/** Every value a Secret of the release holds, decoded (to prove none leaks elsewhere). */
export function renderedSecretValues(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Secret')
    .flatMap((o) => Object.values(o.data ?? {}))
    .map((encoded) => Buffer.from(encoded, 'base64').toString('utf8'));
}
