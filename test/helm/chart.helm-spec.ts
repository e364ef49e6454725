import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IService } from 'kubernetes-models/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { parse } from 'yaml';
import { clearhausEnvShape, loadAppConfig, posEnvShape } from '@app/config';
import { runHelm } from './helm-binary';
import {
  CHART_DIR,
  FULLNAME,
  VALUES_DIR,
  componentName,
  containerEnv,
  find,
  helmTemplate,
  mainContainer,
  podSpec,
  render,
  renderedSecretValues,
  validateObject,
  type K8sObject,
} from './rendered-chart';

const ROOT = join(__dirname, '..', '..');
const VALUES_FILES = ['default.yaml', 'production.yaml', 'sentinel.yaml', 'sandbox.yaml'];
const APP_COMPONENTS = ['gateway', 'worker'];

/** Variables the README's configuration table marks `required`. */
function readmeRequiredEnv(): string[] {
  const rows = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+`/.test(line) && /\| required[^|]*\|\s*$/.test(line));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
}

/** Every variable the application's config schema reads (its own keys and the spread PoS shape). */
function appConfigKeys(): string[] {
  const source = readFileSync(join(ROOT, 'libs/config/src/app.config.ts'), 'utf8');
  return [
    ...[...source.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]),
    ...Object.keys(posEnvShape),
    ...Object.keys(clearhausEnvShape),
  ];
}

/** Plain-text secret values a values file holds (to prove none is rendered outside a Secret). */
function inlineSecrets(valuesFile: string): string[] {
  const values = parse(readFileSync(join(VALUES_DIR, valuesFile), 'utf8')) as {
    mobilePay?: { clientSecret?: string };
    pos?: { clientSecret?: string };
    cardDataSeal?: { key?: string };
    adminApi?: { key?: string };
    externalDatabase?: { password?: string };
    externalRedis?: { password?: string };
    cardKeys?: { keys?: { privateKey?: string }[] };
  };
  return [
    values.mobilePay?.clientSecret,
    values.pos?.clientSecret,
    values.cardDataSeal?.key,
    values.adminApi?.key,
    values.externalDatabase?.password,
    values.externalRedis?.password,
    ...(values.cardKeys?.keys ?? []).map((k) => k.privateKey),
  ].filter((v): v is string => Boolean(v));
}

describe('helm chart psp-gateway', () => {
  it.each(VALUES_FILES)('passes helm lint --strict with %s', (file) => {
    const result = runHelm(['lint', '--strict', CHART_DIR, '-f', join(VALUES_DIR, file)]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it('rejects values that break values.schema.json, naming each problem', () => {
    const lint = runHelm(['lint', CHART_DIR, '-f', join(VALUES_DIR, 'invalid.yaml')]);
    const template = helmTemplate(['default.yaml', 'invalid.yaml']);
    expect(lint.status).not.toBe(0);
    expect(template.status).not.toBe(0);
    for (const problem of [
      'gateway.replicaCount',
      'logLevel',
      'externalRedis.mode',
      'patchDeadlineMs',
      'cardKeys.keys.0.publicKeyId',
      'mobilePay.retries',
      'pos.minPollDelayMs',
      'unknownTopLevelKey',
    ]) {
      expect(template.stderr).toContain(problem);
    }
  });

  it('refuses to render without the required values, listing all of them', () => {
    const result = runHelm(['template', 'psp', CHART_DIR]);
    expect(result.status).not.toBe(0);
    for (const value of [
      'publicBaseUrl',
      'mobilePay.apiUrl',
      'mobilePay.clientSecret',
      'cardDataSeal.key',
      'externalDatabase.host',
      'externalRedis.host',
      'cardKeys.keys',
    ]) {
      expect(result.stderr).toContain(value);
    }
  });

  it.each([
    [['--set', 'cardKeys.activeKeyId=999'], 'cardKeys.activeKeyId 999 is not among'],
    [['--set', 'cardDataSeal.key=c2hvcnQ='], 'cardDataSeal.key'],
    [
      ['--set', 'externalRedis.mode=cluster,externalRedis.cluster.nodes={r0:6379},queuePrefix=psp'],
      'queuePrefix needs a {hash tag}',
    ],
    [
      ['--set-json', 'callbacks.allowedCidrs=[]'],
      'callbacks need a sender check in production',
    ],
  ])('rejects inconsistent values %j', (args, message) => {
    const result = helmTemplate(['default.yaml'], args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('runs the image as the user the chart expects, with the files the entry points need', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      containerSecurityContext: { runAsUser: number };
      gateway: { args: string[] };
      worker: { args: string[] };
      sandbox: { args: string[] };
      migrations: { args: string[] };
    };
    expect(dockerfile).toMatch(
      new RegExp(`^USER ${values.containerSecurityContext.runAsUser}:`, 'm'),
    );
    expect(dockerfile).toMatch(/^COPY prisma\/migrations /m);
    expect(dockerfile).toMatch(/^COPY apps\/sandbox\/spec /m);
    for (const role of ['gateway', 'worker', 'sandbox', 'migrations'] as const) {
      const compiled = values[role].args[0];
      const source = compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source))).toBe(true);
    }
  });
});

describe.each(VALUES_FILES)('rendered with %s', (file) => {
  const objects = render([file]);
  const configMap = find(objects, 'ConfigMap', FULLNAME);
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');

  it('renders only objects that validate against their Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(8);
    for (const obj of objects) {
      expect(() => validateObject(obj)).not.toThrow();
      expect(obj.metadata.namespace).toBe('payments');
    }
  });

  it('runs every container non-root, read-only, without privileges, with /tmp on an emptyDir', () => {
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    for (const workload of workloads) {
      const pod = podSpec(workload);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 10001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(container.resources?.requests).toBeDefined();
        expect(container.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  it.each(APP_COMPONENTS)('gives the %s liveness, readiness and startup probes', (component) => {
    const deployment = find(objects, 'Deployment', componentName(component));
    const container = mainContainer(deployment);
    const port = component === 'gateway' ? 'http' : 'health';
    const envPort = component === 'gateway' ? 'GATEWAY_PORT' : 'WORKER_HEALTH_PORT';
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port });
    expect(String(container.ports?.find((p) => p.name === port)?.containerPort)).toBe(
      configMap.data?.[envPort],
    );
  });

  it('drains: the gateway sleeps before SIGTERM, the worker has time for its active jobs', () => {
    const gateway = find(objects, 'Deployment', componentName('gateway'));
    const worker = find(objects, 'Deployment', componentName('worker'));
    const sleep = Number(mainContainer(gateway).lifecycle?.preStop?.exec?.command?.[1]);
    expect(mainContainer(gateway).lifecycle?.preStop?.exec?.command?.[0]).toBe('sleep');
    expect(sleep).toBeGreaterThan(0);
    expect(podSpec(gateway).terminationGracePeriodSeconds).toBeGreaterThan(sleep + 10);
    expect(podSpec(worker).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
  });

  it.each(APP_COMPONENTS)('hands the %s an environment the app config accepts', (component) => {
    const container = mainContainer(find(objects, 'Deployment', componentName(component)));
    const env = containerEnv(container, objects);
    for (const name of readmeRequiredEnv()) expect(env).toHaveProperty(name);
    const known = [...appConfigKeys(), 'DB_PASSWORD', 'REDIS_PASSWORD'];
    for (const name of Object.keys(env)) expect(known).toContain(name);
    const config = loadAppConfig(env);
    expect(config.env).toBe('production');
    expect(config.database.url.reveal()).not.toContain('$(');
    expect(config.redis.url.reveal()).not.toContain('$(');
    expect(config.redis.queuePrefix).toMatch(/\{.+\}/);
  });

  it('keeps secrets out of ConfigMaps and out of literal env values', () => {
    const secrets = [...inlineSecrets(file), ...renderedSecretValues(objects)].filter(
      (s) => s.length >= 8,
    );
    for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        expect(key).not.toMatch(/SECRET|PASSWORD|SEAL_KEY|ADMIN_API_KEY|PRIVATE/);
        for (const secret of secrets) expect(value).not.toContain(secret);
      }
    }
    for (const workload of workloads) {
      for (const variable of mainContainer(workload).env ?? []) {
        if (variable.name.startsWith('SANDBOX_')) continue; // the simulator's own test credentials
        for (const secret of secrets) expect(variable.value ?? '').not.toContain(secret);
      }
    }
  });

  it.each(APP_COMPONENTS)('mounts, read-only, exactly the card keys CARD_KEYS names (%s)', (c) => {
    const deployment = find(objects, 'Deployment', componentName(c));
    const cardKeys = (configMap.data?.CARD_KEYS ?? '').split(',').map((pair) => pair.split('='));
    const mount = mainContainer(deployment).volumeMounts?.find((m) => m.name === 'card-keys');
    const volume = podSpec(deployment).volumes?.find((v) => v.name === 'card-keys')?.secret;
    expect(mount?.readOnly).toBe(true);
    expect(cardKeys.map(([, path]) => path).sort()).toEqual(
      (volume?.items ?? []).map((item) => `${mount?.mountPath}/${item.path}`).sort(),
    );
    for (const [id, path] of cardKeys) expect(path).toBe(`${mount?.mountPath}/${id}.pem`);
    expect(cardKeys.map(([id]) => id)).toContain(configMap.data?.CARD_ACTIVE_KEY_ID);
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === volume?.secretName);
    if (secret) {
      for (const item of volume?.items ?? []) expect(Object.keys(secret.data ?? {})).toContain(item.key);
    }
  });

  it('migrates the database in a pre-install/pre-upgrade hook Job', () => {
    const job = find<IJob & K8sObject>(objects, 'Job', componentName('migrate'));
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const container = mainContainer(job);
    expect(container.args).toEqual(['dist/libs/persistence/src/migrate/migrate.cli.js']);
    expect(podSpec(job).restartPolicy).toBe('Never');
    // A hook runs before the release's own objects exist: what it uses must be a hook too.
    const secretName = container.env?.find((e) => e.name === 'DB_PASSWORD')?.valueFrom
      ?.secretKeyRef?.name;
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === secretName);
    if (secret) {
      expect(secret.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
        Number(job.metadata.annotations?.['helm.sh/hook-weight']),
      );
    }
    expect(podSpec(job).serviceAccountName ?? 'default').not.toBe(FULLNAME);
    const env = containerEnv(container, objects);
    expect(new URL(env.DATABASE_URL).protocol).toBe('postgresql:');
  });

  it('restricts traffic with NetworkPolicies: DNS, PostgreSQL and Redis egress', () => {
    for (const component of [...APP_COMPONENTS, 'migrate']) {
      const policy = find<INetworkPolicy & K8sObject>(
        objects,
        'NetworkPolicy',
        componentName(component),
      );
      expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec?.podSelector.matchLabels?.['app.kubernetes.io/component']).toBe(
        component,
      );
      const egressPorts = (policy.spec?.egress ?? []).flatMap((rule) =>
        (rule.ports ?? []).map((p) => p.port),
      );
      expect(egressPorts).toEqual(expect.arrayContaining([53, 5432]));
      if (component !== 'migrate') {
        const redisPort = Number(new URL(containerEnv(mainContainer(find(objects, 'Deployment', componentName(component))), objects).REDIS_URL).port);
        expect(egressPorts).toContain(redisPort);
      }
    }
  });

  it.each(APP_COMPONENTS)('protects the %s with a PodDisruptionBudget', (component) => {
    const pdb = find<IPodDisruptionBudget & K8sObject>(
      objects,
      'PodDisruptionBudget',
      componentName(component),
    );
    const deployment = find(objects, 'Deployment', componentName(component));
    const podLabels = (deployment.spec as { template: { metadata: { labels: object } } }).template
      .metadata.labels;
    expect(podLabels).toMatchObject(pdb.spec?.selector?.matchLabels ?? { none: true });
  });
});

describe('production-like values', () => {
  const objects = render(['production.yaml']);

  it.each(APP_COMPONENTS)('scales the %s with an HPA that owns its replica count', (c) => {
    const hpa = find<IHorizontalPodAutoscaler & K8sObject>(
      objects,
      'HorizontalPodAutoscaler',
      componentName(c),
    );
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: componentName(c),
    });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec?.metrics?.[0].resource?.name).toBe('cpu');
    expect(find(objects, 'Deployment', componentName(c)).spec).not.toHaveProperty('replicas');
  });

  it('routes only the callbacks and the merchant API through the Ingress, with TLS', () => {
    const ingress = find<IIngress & K8sObject>(objects, 'Ingress', componentName('gateway'));
    const paths = ingress.spec?.rules?.[0].http?.paths ?? [];
    expect(paths.map((p) => p.path)).toEqual(['/callbacks/mobilepay', '/v1']);
    for (const path of paths) {
      expect(path.backend.service).toEqual({ name: componentName('gateway'), port: { number: 80 } });
    }
    expect(ingress.spec?.tls?.[0].hosts).toEqual(['psp.example.com']);
  });

  it('scrapes /metrics of the gateway (main port) and the worker (health port)', () => {
    const expected = { gateway: 'http', worker: 'health' } as const;
    for (const [component, port] of Object.entries(expected)) {
      const monitor = find<IServiceMonitor & K8sObject>(
        objects,
        'ServiceMonitor',
        componentName(component),
      );
      expect(monitor.spec?.endpoints?.[0]).toMatchObject({ port, path: '/metrics' });
      expect(monitor.metadata.labels?.release).toBe('kube-prometheus-stack');
      const services = objects.filter(
        (o): o is IService & K8sObject =>
          o.kind === 'Service' &&
          Object.entries(monitor.spec?.selector.matchLabels ?? {}).every(
            ([k, v]) => o.metadata.labels?.[k] === v,
          ),
      );
      expect(services.flatMap((s) => s.spec?.ports?.map((p) => p.name))).toContain(port);
    }
  });

  it('renders no Secret of its own when every secret is an existingSecret', () => {
    const secrets = objects.filter((o) => o.kind === 'Secret');
    expect(secrets).toEqual([]);
    const env = mainContainer(find(objects, 'Deployment', componentName('gateway'))).env ?? [];
    expect(env.find((e) => e.name === 'ADMIN_API_KEY')?.valueFrom?.secretKeyRef?.name).toBe(
      'psp-admin',
    );
    expect(env.find((e) => e.name === 'DATABASE_URL')?.value).toBe(
      'postgresql://psp:$(DB_PASSWORD)@psp.cluster-abc.eu-north-1.rds.amazonaws.com:5432/psp_prod?sslmode=verify-full',
    );
    expect(env.find((e) => e.name === 'REDIS_URL')?.value).toMatch(/^rediss:\/\//);
    expect(env.find((e) => e.name === 'POS_CLIENT_SECRET')?.valueFrom?.secretKeyRef).toEqual({
      name: 'psp-mobilepay',
      key: 'pos-client-secret',
    });
  });

  it('spreads gateway pods across zones with the component selector filled in', () => {
    const pod = podSpec(find(objects, 'Deployment', componentName('gateway')));
    expect(pod.topologySpreadConstraints?.[0].labelSelector?.matchLabels).toMatchObject({
      'app.kubernetes.io/component': 'gateway',
    });
  });
});

describe('gateway TLS and callback sender checks', () => {
  it('refuses an address allow-list behind the ingress without trusted proxies', () => {
    const result = helmTemplate(
      ['production.yaml'],
      ['--set', 'gateway.trustedProxies=null'],
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('needs gateway.trustedProxies');
  });

  it('terminates TLS in the gateway from a mounted Secret, probing over HTTPS', () => {
    const objects = render(
      ['default.yaml'],
      ['--set', 'gateway.tls.enabled=true,gateway.tls.existingSecret=gw-tls,gateway.tls.clientCaKey=ca.crt'],
    );
    const deployment = find(objects, 'Deployment', componentName('gateway'));
    const container = mainContainer(deployment);
    const env = containerEnv(container, objects);
    const mount = container.volumeMounts?.find((m) => m.name === 'tls');
    expect(mount?.readOnly).toBe(true);
    expect(podSpec(deployment).volumes?.find((v) => v.name === 'tls')?.secret?.secretName).toBe(
      'gw-tls',
    );
    expect(env).toMatchObject({
      GATEWAY_TLS_CERT_FILE: `${mount?.mountPath}/tls.crt`,
      GATEWAY_TLS_KEY_FILE: `${mount?.mountPath}/tls.key`,
      GATEWAY_TLS_CLIENT_CA_FILE: `${mount?.mountPath}/ca.crt`,
    });
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(probe?.httpGet?.scheme).toBe('HTTPS');
    }
    expect(loadAppConfig(env).gateway.tls?.clientCaFile).toBe(`${mount?.mountPath}/ca.crt`);
    const worker = containerEnv(mainContainer(find(objects, 'Deployment', componentName('worker'))), objects);
    expect(worker).not.toHaveProperty('GATEWAY_TLS_CERT_FILE');
  });

  it('checks callback senders by default, and runs without only when told to', () => {
    const gatewayEnv = (values: string[], args: string[] = []) => {
      const objects = render(values, args);
      return containerEnv(
        mainContainer(find(objects, 'Deployment', componentName('gateway'))),
        objects,
      );
    };
    expect(loadAppConfig(gatewayEnv(['default.yaml'])).callbackSenders).toMatchObject({
      allowedCidrs: ['212.93.32.0/19', '185.218.228.0/22'],
      checks: ['cidr'],
    });
    const optedOut = gatewayEnv(
      ['default.yaml'],
      ['--set-json', 'callbacks.allowedCidrs=[]', '--set', 'callbacks.senderCheckDisabled=true'],
    );
    expect(optedOut.CALLBACK_SENDER_CHECK_DISABLED).toBe('true');
    expect(loadAppConfig(optedOut).callbackSenders.checks).toEqual([]);
    // The gateway itself refuses the same release without the opt-out.
    const { CALLBACK_SENDER_CHECK_DISABLED: _optOut, ...open } = optedOut;
    expect(() => loadAppConfig(open)).toThrow(/production needs a callback sender check/);
  });

  it('passes MobilePay\'s address ranges and certificate checks to the app', () => {
    const objects = render(['production.yaml']);
    const env = containerEnv(
      mainContainer(find(objects, 'Deployment', componentName('gateway'))),
      objects,
    );
    const config = loadAppConfig(env);
    expect(config.callbackSenders).toEqual({
      allowedCidrs: ['212.93.32.0/19', '185.218.228.0/22'],
      clientCertCommonName: 'callbacks.mobilepay.dk',
      clientCertCommonNameHeader: 'x-client-cert-cn',
      checks: ['cidr', 'proxied-client-cn'],
    });
    expect(config.gateway.trustedProxies).toEqual(['10.0.0.0/8']);
    expect(config.tokens.methods).toEqual(['VTS', 'MC S4C']);
    // Production MobilePay, production done3ds page; the chart can name another.
    expect(config.threeDs.doneUrl).toBe(
      'https://products.mobilepay.dk/remote-website/apppages/done3ds.html',
    );
  });
});

describe('in-store channel (pos values)', () => {
  const INLINE = 'pos-inline-client-secret';
  const enabled = (extra = '') =>
    ['--set', `pos.enabled=true,pos.clientId=pos-client-id${extra ? `,${extra}` : ''}`];
  const posSecretRefs = (objects: K8sObject[]) =>
    APP_COMPONENTS.map(
      (c) =>
        mainContainer(find(objects, 'Deployment', componentName(c))).env?.find(
          (e) => e.name === 'POS_CLIENT_SECRET',
        )?.valueFrom?.secretKeyRef,
    );

  it('renders no POS_ variable anywhere when pos is off, whatever else pos holds', () => {
    for (const args of [[], ['--set', `pos.clientId=pos-client-id,pos.clientSecret=${INLINE}`]]) {
      const objects = render(['default.yaml'], args);
      const rendered = JSON.stringify(objects);
      expect(rendered).not.toMatch(/\bPOS_/);
      expect(rendered).not.toContain('pos-client-secret');
      expect(renderedSecretValues(objects)).not.toContain(INLINE);
    }
  });

  it('puts the settings in the ConfigMap and the client secret in the chart Secret', () => {
    const objects = render(['default.yaml'], enabled(`pos.clientSecret=${INLINE}`));
    const data = find(objects, 'ConfigMap', FULLNAME).data ?? {};
    expect(data).toMatchObject({
      POS_CLIENT_ID: 'pos-client-id',
      POS_CLIENT_SYSTEM_VERSION: '1.0.0',
      POS_MERCHANT_LOCKED_TOKENS: 'false',
      POS_WRITE_TIMEOUT_MS: '2000',
      POS_READ_TIMEOUT_MS: '500',
      POS_RETRIES: '2',
      POS_RETRY_DELAY_MS: '200',
      POS_MAX_RETRY_AFTER_MS: '5000',
      POS_TOKEN_REFRESH_MARGIN_MS: '60000',
      POS_MIN_POLL_DELAY_MS: '1000',
      POS_MAX_POLL_BACKOFF_MS: '30000',
      POS_ORPHAN_AFTER_MS: '60000',
      POS_RESERVATION_CHECK_MARGIN_MS: '60000',
      POS_REFUND_RESERVATION_MS: '86400000',
    });
    // Unset so that the application's own defaults apply (MOBILEPAY_API_URL, POS_CLIENT_ID).
    for (const name of ['POS_API_URL', 'POS_AUTH_URL', 'POS_IBM_CLIENT_ID', 'POS_CLIENT_SECRET']) {
      expect(data).not.toHaveProperty(name);
    }
    for (const value of Object.values(data)) expect(value).not.toContain(INLINE);

    expect(posSecretRefs(objects)).toEqual([
      { name: FULLNAME, key: 'pos-client-secret' },
      { name: FULLNAME, key: 'pos-client-secret' },
    ]);
    const secret = find(objects, 'Secret', FULLNAME);
    expect(Buffer.from(secret.data?.['pos-client-secret'] ?? '', 'base64').toString()).toBe(INLINE);

    for (const component of APP_COMPONENTS) {
      const container = mainContainer(find(objects, 'Deployment', componentName(component)));
      expect(container.env?.find((e) => e.name === 'POS_CLIENT_SECRET')?.value).toBeUndefined();
      const { pos } = loadAppConfig(containerEnv(container, objects));
      expect(pos.apiUrl).toBe('https://api.mobilepay.dk');
      expect(pos.authUrl).toBe('https://api.mobilepay.dk/integrator-authentication');
      expect(pos.credentials?.clientId).toBe('pos-client-id');
      expect(pos.credentials?.ibmClientId).toBe('pos-client-id');
      expect(pos.credentials?.clientSecret.reveal()).toBe(INLINE);
    }
  });

  it('maps every pos value to the variable the application reads', () => {
    const objects = render(
      ['default.yaml'],
      enabled(
        [
          `pos.clientSecret=${INLINE}`,
          'pos.apiUrl=https://pos.example.com/',
          'pos.authUrl=https://auth.example.com',
          'pos.ibmClientId=portal-app-id',
          'pos.clientSystemVersion=2.3.45',
          'pos.merchantLockedTokens=true',
          'pos.writeTimeoutMs=3000',
          'pos.readTimeoutMs=700',
          'pos.retries=4',
          'pos.retryDelayMs=250',
          'pos.maxRetryAfterMs=6000',
          'pos.tokenRefreshMarginMs=120000',
          'pos.minPollDelayMs=2000',
          'pos.maxPollBackoffMs=40000',
          'pos.orphanAfterMs=90000',
          'pos.reservationCheckMarginMs=30000',
          'pos.refundReservationMs=3600000',
        ].join(','),
      ),
    );
    const container = mainContainer(find(objects, 'Deployment', componentName('worker')));
    const { pos } = loadAppConfig(containerEnv(container, objects));
    expect(pos).toMatchObject({
      apiUrl: 'https://pos.example.com',
      authUrl: 'https://auth.example.com',
      credentials: { clientId: 'pos-client-id', ibmClientId: 'portal-app-id' },
      clientSystemVersion: '2.3.45',
      merchantLockedTokens: true,
      writeTimeoutMs: 3000,
      readTimeoutMs: 700,
      retries: 4,
      retryDelayMs: 250,
      maxRetryAfterMs: 6000,
      tokenRefreshMarginMs: 120000,
      minPollDelayMs: 2000,
      maxPollBackoffMs: 40000,
      orphanAfterMs: 90000,
      reservationCheckMarginMs: 30000,
      refundReservationMs: 3600000,
    });
  });

  it('references pos.existingSecret and keeps the client secret out of the chart Secret', () => {
    const objects = render(
      ['default.yaml'],
      enabled(
        `pos.existingSecret=psp-pos,pos.existingSecretKey=client-secret,pos.clientSecret=${INLINE}`,
      ),
    );
    expect(posSecretRefs(objects)).toEqual([
      { name: 'psp-pos', key: 'client-secret' },
      { name: 'psp-pos', key: 'client-secret' },
    ]);
    const secret = find(objects, 'Secret', FULLNAME);
    expect(secret.data).not.toHaveProperty('pos-client-secret');
    expect(renderedSecretValues(objects)).not.toContain(INLINE);
    expect(JSON.stringify(objects)).not.toContain(INLINE);
    expect(find(objects, 'ConfigMap', FULLNAME).data?.POS_CLIENT_ID).toBe('pos-client-id');
  });

  it('defaults the existingSecret key to pos-client-secret', () => {
    const objects = render(['default.yaml'], enabled('pos.existingSecret=psp-pos'));
    expect(posSecretRefs(objects)[0]).toEqual({ name: 'psp-pos', key: 'pos-client-secret' });
  });

  it.each([
    [['--set', `pos.enabled=true,pos.clientSecret=${INLINE}`], 'pos.clientId is required'],
    [['--set', 'pos.enabled=true,pos.existingSecret=psp-pos'], 'pos.clientId is required'],
    [enabled(), 'pos.clientSecret or pos.existingSecret is required when pos.enabled'],
  ])('refuses pos.enabled without a client id or secret %j', (args, message) => {
    const result = helmTemplate(['default.yaml'], args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('VALUES VALIDATION');
    expect(result.stderr).toContain(message);
  });

  it('limits the acquirer egress rule to its CIDRs, and refuses to render one without peers', () => {
    const egress = (objects: K8sObject[], component: string) =>
      find<INetworkPolicy & K8sObject>(objects, 'NetworkPolicy', componentName(component)).spec
        ?.egress ?? [];
    const objects = render(['production.yaml']);
    for (const component of APP_COMPONENTS) {
      const rules = egress(objects, component);
      expect(rules).toContainEqual({
        ports: [{ port: 443, protocol: 'TCP' }],
        to: [{ ipBlock: { cidr: '198.51.100.0/24' } }, { ipBlock: { cidr: '203.0.113.16/28' } }],
      });
      // No rule opens 443 (or any port) to every address: each one on 443 names its peers.
      for (const rule of rules.filter((r) => r.ports?.some((p) => p.port === 443))) {
        expect(rule.to?.length ?? 0).toBeGreaterThan(0);
      }
    }
    // `to` and `cidrs` together: both kinds of peer.
    const both = render(
      ['production.yaml'],
      [
        '--set-json',
        'networkPolicy.egress.acquirer.to=[{"namespaceSelector":{"matchLabels":{"name":"egress"}}}]',
      ],
    );
    expect(egress(both, 'gateway')).toContainEqual({
      ports: [{ port: 443, protocol: 'TCP' }],
      to: [
        { namespaceSelector: { matchLabels: { name: 'egress' } } },
        { ipBlock: { cidr: '198.51.100.0/24' } },
        { ipBlock: { cidr: '203.0.113.16/28' } },
      ],
    });

    const open = helmTemplate(['default.yaml'], ['--set-json', 'networkPolicy.egress.acquirer.cidrs=[]']);
    expect(open.status).not.toBe(0);
    expect(open.stderr).toContain('VALUES VALIDATION');
    expect(open.stderr).toContain('networkPolicy.egress.acquirer.cidrs');
    const notACidr = helmTemplate(
      ['default.yaml'],
      ['--set-json', 'networkPolicy.egress.acquirer.cidrs=["acquirer.example.com"]'],
    );
    expect(notACidr.status).not.toBe(0);
    expect(notACidr.stderr).toContain('cidrs');
    // Without NetworkPolicies, or against the in-cluster simulators, no ranges are needed.
    expect(
      helmTemplate(
        ['default.yaml'],
        ['--set-json', 'networkPolicy.egress.acquirer.cidrs=[]', '--set', 'networkPolicy.enabled=false'],
      ).status,
    ).toBe(0);
    expect(helmTemplate(['sandbox.yaml']).status).toBe(0);
  });

  it('reaches the PoS API through the MobilePay egress rule unless it has peers of its own', () => {
    const egress = (objects: K8sObject[], component: string) =>
      find<INetworkPolicy & K8sObject>(objects, 'NetworkPolicy', componentName(component)).spec
        ?.egress ?? [];
    const off = render(['production.yaml'], ['--set', 'pos.enabled=false']);
    const on = render(['production.yaml']);
    const own = render(
      ['production.yaml'],
      ['--set-json', 'networkPolicy.egress.pos.to=[{"ipBlock":{"cidr":"203.0.113.0/24"}}]'],
    );
    for (const component of APP_COMPONENTS) {
      expect(egress(on, component)).toEqual(egress(off, component));
      const rules = egress(own, component);
      expect(rules).toHaveLength(egress(on, component).length + 1);
      expect(rules).toContainEqual({
        ports: [{ port: 443, protocol: 'TCP' }],
        to: [{ ipBlock: { cidr: '203.0.113.0/24' } }],
      });
    }
  });
});

describe('Redis Sentinel values', () => {
  const objects = render(['sentinel.yaml']);
  const data = find(objects, 'ConfigMap', FULLNAME).data ?? {};

  it('renders REDIS_MODE, REDIS_SENTINELS and REDIS_SENTINEL_MASTER for the app', () => {
    expect(data).toMatchObject({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINEL_MASTER: 'psp-master',
      REDIS_SENTINELS:
        'redis-sentinel-0.redis-sentinel:26379,redis-sentinel-1.redis-sentinel:26379,redis-sentinel-2.redis-sentinel:26380',
    });
  });

  it('the app reads them: it finds the master through the Sentinels', () => {
    for (const component of APP_COMPONENTS) {
      const container = mainContainer(find(objects, 'Deployment', componentName(component)));
      const { redis } = loadAppConfig(containerEnv(container, objects));
      expect(redis.topology).toMatchObject({
        mode: 'sentinel',
        masterName: 'psp-master',
        sentinels: [
          { host: 'redis-sentinel-0.redis-sentinel', port: 26379 },
          { host: 'redis-sentinel-1.redis-sentinel', port: 26379 },
          { host: 'redis-sentinel-2.redis-sentinel', port: 26380 },
        ],
      });
    }
  });

  it('opens egress to every sentinel port and the data port', () => {
    const policy = find<INetworkPolicy & K8sObject>(objects, 'NetworkPolicy', componentName('worker'));
    const ports = (policy.spec?.egress ?? []).flatMap((r) => (r.ports ?? []).map((p) => p.port));
    expect(ports).toEqual(expect.arrayContaining([6379, 26379, 26380]));
  });
});

describe('seal key rotation (cardDataSeal.previousKeys)', () => {
  const PREVIOUS = Buffer.alloc(32, 9).toString('base64');

  it('hands previous keys to gateway and worker as decrypt-only keys', () => {
    const objects = render(['default.yaml'], ['--set', `cardDataSeal.previousKeys[0]=${PREVIOUS}`]);
    for (const component of APP_COMPONENTS) {
      const container = mainContainer(find(objects, 'Deployment', componentName(component)));
      const config = loadAppConfig(containerEnv(container, objects));
      expect(config.previousSealKeys.reveal()).toEqual([Buffer.from(PREVIOUS, 'base64')]);
    }
  });

  it('without previous keys the variable stays unset (an optional reference)', () => {
    const objects = render(['default.yaml']);
    const container = mainContainer(find(objects, 'Deployment', componentName('worker')));
    const ref = container.env?.find((e) => e.name === 'CARD_DATA_SEAL_PREVIOUS_KEYS');
    expect(ref?.valueFrom?.secretKeyRef).toMatchObject({
      key: 'card-data-seal-previous-keys',
      optional: true,
    });
    expect(loadAppConfig(containerEnv(container, objects)).previousSealKeys.reveal()).toEqual([]);
  });

  it('reads them from the seal key\'s existingSecret under previousKeysSecretKey', () => {
    const objects = render(['production.yaml'], ['--set', 'cardDataSeal.previousKeysSecretKey=old-keys']);
    const container = mainContainer(find(objects, 'Deployment', componentName('gateway')));
    const ref = container.env?.find((e) => e.name === 'CARD_DATA_SEAL_PREVIOUS_KEYS');
    const seal = container.env?.find((e) => e.name === 'CARD_DATA_SEAL_KEY');
    expect(ref?.valueFrom?.secretKeyRef).toMatchObject({
      name: seal?.valueFrom?.secretKeyRef?.name,
      key: 'old-keys',
      optional: true,
    });
  });

  it('refuses a previous key that is not 32 bytes of base64', () => {
    const result = helmTemplate(['default.yaml'], ['--set', 'cardDataSeal.previousKeys[0]=short']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('previousKeys');
  });
});

describe('sandbox values', () => {
  const objects = render(['sandbox.yaml']);
  const data = find(objects, 'ConfigMap', FULLNAME).data ?? {};
  const sandboxUrl = `http://${componentName('sandbox')}:4000`;

  it('deploys one sandbox replica behind a Service, listening on all interfaces', () => {
    const deployment = find(objects, 'Deployment', componentName('sandbox'));
    expect((deployment.spec as { replicas: number }).replicas).toBe(1);
    find(objects, 'Service', componentName('sandbox'));
    const env = containerEnv(mainContainer(deployment), objects);
    expect(env.SANDBOX_HOST).toBe('0.0.0.0');
    expect(mainContainer(deployment).readinessProbe?.httpGet?.path).toBe('/health');
    const callbackHost = new URL(data.PUBLIC_BASE_URL).hostname;
    expect(env.SANDBOX_HTTP_CALLBACK_HOSTS.split(',')).toContain(callbackHost);
    expect(env.SANDBOX_CLIENT_SECRET).toBe('sandbox-client-secret');
  });

  it('points the gateway at the simulators', () => {
    expect(data.MOBILEPAY_API_URL).toBe(sandboxUrl);
    expect(data.ACQUIRER_URL).toBe(sandboxUrl);
    expect(data.MOBILEPAY_CLIENT_ID).toBe('sandbox-client-id');
  });

  it('points the in-store channel at the PoS simulator', () => {
    expect(data.POS_API_URL).toBe(sandboxUrl);
    const worker = mainContainer(find(objects, 'Deployment', componentName('worker')));
    const { pos } = loadAppConfig(containerEnv(worker, objects));
    expect(pos.authUrl).toBe(`${sandboxUrl}/integrator-authentication`);
    expect(pos.credentials?.clientSecret.reveal()).toBe('sandbox-pos-client-secret');
  });

  it('lets the sandbox call the gateway back and the app pods reach the sandbox', () => {
    const policy = find<INetworkPolicy & K8sObject>(objects, 'NetworkPolicy', componentName('gateway'));
    const fromSandbox = (policy.spec?.ingress ?? []).some((rule) =>
      (rule.from ?? []).some(
        (peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'sandbox',
      ),
    );
    expect(fromSandbox).toBe(true);
  });

  it('renders no sandbox object when it is off', () => {
    const names = render(['default.yaml']).map((o) => o.metadata.name);
    expect(names.filter((n) => n.includes('sandbox'))).toEqual([]);
  });
});

describe('Clearhaus acquirer values', () => {
  it('routes Visa and Mastercard to Clearhaus with the API key and signing key from the Secret', () => {
    const objects = render(['production.yaml']);
    for (const component of APP_COMPONENTS) {
      const deployment = find(objects, 'Deployment', componentName(component));
      const container = mainContainer(deployment);
      const env = containerEnv(container, objects);
      expect(env.ACQUIRER_ROUTES).toBe('DANKORT=nets-iso8583,*=clearhaus');
      expect(env.CLEARHAUS_SIGNING_API_KEY).toBe('6f1c2a9e-3b7d-4e21-9c55-0d8a7b3e4f10');
      expect(env.CLEARHAUS_SIGNING_KEY_FILE).toBe('/etc/psp/clearhaus/signing-key.pem');
      expect((container.env ?? []).find((e) => e.name === 'CLEARHAUS_API_KEY')?.valueFrom).toEqual({
        secretKeyRef: { name: 'psp-clearhaus', key: 'clearhaus-api-key' },
      });
      expect(container.volumeMounts).toContainEqual({
        name: 'clearhaus-signing-key',
        mountPath: '/etc/psp/clearhaus',
        readOnly: true,
      });
      expect(podSpec(deployment).volumes).toContainEqual(
        expect.objectContaining({
          name: 'clearhaus-signing-key',
          secret: expect.objectContaining({
            secretName: 'psp-clearhaus',
            items: [{ key: 'clearhaus-signing-key.pem', path: 'signing-key.pem' }],
          }),
        }),
      );
    }
  });

  it('refuses routes to clearhaus without its keys', () => {
    const result = helmTemplate(['default.yaml'], ['--set', 'acquirer.routes=*=clearhaus']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('acquirer.routes names clearhaus: set clearhaus.enabled');
    const missing = helmTemplate(['default.yaml'], ['--set', 'clearhaus.enabled=true']);
    expect(missing.stderr).toContain('clearhaus.signingApiKey is required');
  });
});
