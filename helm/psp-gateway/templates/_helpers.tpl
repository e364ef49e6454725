{{/* vim: set filetype=mustache: */}}

{{- define "psp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "psp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", within the 63 characters of a DNS label. */}}
{{- define "psp.componentName" -}}
{{- printf "%s-%s" (include "psp.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "psp.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "psp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; pass (dict "root" $ "component" "gateway") or just $. */}}
{{- define "psp.labels" -}}
{{- $root := default . .root -}}
helm.sh/chart: {{ include "psp.chart" $root }}
{{ include "psp.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: psp-gateway
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "psp.selectorLabels" -}}
{{- $root := default . .root -}}
app.kubernetes.io/name: {{ include "psp.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{- define "psp.annotations" -}}
{{- with .Values.commonAnnotations }}
{{- toYaml . }}
{{- end }}
{{- end -}}

{{- define "psp.image" -}}
{{- $registry := default .Values.image.registry .Values.global.imageRegistry -}}
{{- $repository := .Values.image.repository -}}
{{- $ref := "" -}}
{{- if .Values.image.digest -}}
{{- $ref = printf "@%s" .Values.image.digest -}}
{{- else -}}
{{- $ref = printf ":%s" (default .Chart.AppVersion .Values.image.tag | toString) -}}
{{- end -}}
{{- if $registry -}}
{{- printf "%s/%s%s" $registry $repository $ref -}}
{{- else -}}
{{- printf "%s%s" $repository $ref -}}
{{- end -}}
{{- end -}}

{{- define "psp.imagePullSecrets" -}}
{{- $secrets := concat (.Values.global.imagePullSecrets | default list) (.Values.image.pullSecrets | default list) | uniq -}}
{{- if $secrets }}
imagePullSecrets:
{{- range $secrets }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "psp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "psp.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* ---- secrets: an existingSecret wins over the chart's own Secret ---- */}}

{{- define "psp.secretName" -}}
{{- include "psp.fullname" . -}}
{{- end -}}

{{- define "psp.database.secretName" -}}
{{- default (include "psp.secretName" .) .Values.externalDatabase.existingSecret -}}
{{- end -}}
{{- define "psp.database.secretKey" -}}
{{- if .Values.externalDatabase.existingSecret -}}{{ .Values.externalDatabase.existingSecretPasswordKey }}{{- else -}}db-password{{- end -}}
{{- end -}}

{{- define "psp.redis.authEnabled" -}}
{{- if or .Values.externalRedis.existingSecret .Values.externalRedis.password -}}true{{- end -}}
{{- end -}}
{{- define "psp.redis.secretName" -}}
{{- default (include "psp.secretName" .) .Values.externalRedis.existingSecret -}}
{{- end -}}
{{- define "psp.redis.secretKey" -}}
{{- if .Values.externalRedis.existingSecret -}}{{ .Values.externalRedis.existingSecretPasswordKey }}{{- else -}}redis-password{{- end -}}
{{- end -}}

{{- define "psp.mobilePay.secretName" -}}
{{- default (include "psp.secretName" .) .Values.mobilePay.existingSecret -}}
{{- end -}}
{{- define "psp.mobilePay.secretKey" -}}
{{- if .Values.mobilePay.existingSecret -}}{{ .Values.mobilePay.existingSecretKey }}{{- else -}}mobilepay-client-secret{{- end -}}
{{- end -}}

{{- define "psp.pos.secretName" -}}
{{- default (include "psp.secretName" .) .Values.pos.existingSecret -}}
{{- end -}}
{{- define "psp.pos.secretKey" -}}
{{- if .Values.pos.existingSecret -}}{{ .Values.pos.existingSecretKey }}{{- else -}}pos-client-secret{{- end -}}
{{- end -}}

{{- define "psp.seal.secretName" -}}
{{- default (include "psp.secretName" .) .Values.cardDataSeal.existingSecret -}}
{{- end -}}
{{- define "psp.seal.secretKey" -}}
{{- if .Values.cardDataSeal.existingSecret -}}{{ .Values.cardDataSeal.existingSecretKey }}{{- else -}}card-data-seal-key{{- end -}}
{{- end -}}

{{- define "psp.admin.enabled" -}}
{{- if or .Values.adminApi.existingSecret .Values.adminApi.key -}}true{{- end -}}
{{- end -}}
{{- define "psp.admin.secretName" -}}
{{- default (include "psp.secretName" .) .Values.adminApi.existingSecret -}}
{{- end -}}
{{- define "psp.admin.secretKey" -}}
{{- if .Values.adminApi.existingSecret -}}{{ .Values.adminApi.existingSecretKey }}{{- else -}}admin-api-key{{- end -}}
{{- end -}}

{{/* True when the chart has to render its own Secret (some value is given inline). */}}
{{- define "psp.createSecret" -}}
{{- $v := .Values -}}
{{- if or (and (not $v.externalDatabase.existingSecret) $v.externalDatabase.password) (and (not $v.externalRedis.existingSecret) $v.externalRedis.password) (not $v.mobilePay.existingSecret) (not $v.cardDataSeal.existingSecret) (and (not $v.adminApi.existingSecret) $v.adminApi.key) (and $v.pos.enabled (not $v.pos.existingSecret) $v.pos.clientSecret) (and $v.clearhaus.enabled (not $v.clearhaus.existingSecret)) (and $v.threeDs.server.enabled (not $v.threeDs.server.existingSecret)) -}}true{{- end -}}
{{- end -}}

{{- define "psp.cardKeys.secretName" -}}
{{- default (printf "%s-card-keys" (include "psp.fullname" .)) .Values.cardKeys.existingSecret -}}
{{- end -}}

{{/* Key of a card key's PEM inside the Secret. */}}
{{- define "psp.cardKeys.secretKey" -}}
{{- default (printf "%d.pem" (int64 .publicKeyId)) .secretKey -}}
{{- end -}}

{{/* CARD_KEYS: "<publicKeyId>=<mountPath>/<publicKeyId>.pem,…", matching the mounted files. */}}
{{- define "psp.cardKeys.env" -}}
{{- $mount := trimSuffix "/" .Values.cardKeys.mountPath -}}
{{- $pairs := list -}}
{{- range .Values.cardKeys.keys -}}
{{- $pairs = append $pairs (printf "%d=%s/%d.pem" (int64 .publicKeyId) $mount (int64 .publicKeyId)) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{- define "psp.cardKeys.activeKeyId" -}}
{{- if .Values.cardKeys.activeKeyId -}}
{{- .Values.cardKeys.activeKeyId | int64 | toString -}}
{{- else if .Values.cardKeys.keys -}}
{{- (first .Values.cardKeys.keys).publicKeyId | int64 | toString -}}
{{- end -}}
{{- end -}}

{{/* ---- URLs ---- */}}

{{- define "psp.gateway.serviceUrl" -}}
{{- printf "http://%s:%v" (include "psp.componentName" (dict "root" . "component" "gateway")) .Values.gateway.service.ports.http -}}
{{- end -}}

{{- define "psp.sandbox.serviceUrl" -}}
{{- printf "http://%s:%v" (include "psp.componentName" (dict "root" . "component" "sandbox")) .Values.sandbox.service.ports.http -}}
{{- end -}}

{{- define "psp.mobilePay.apiUrl" -}}
{{- if .Values.mobilePay.apiUrl -}}{{ .Values.mobilePay.apiUrl }}{{- else if .Values.sandbox.enabled -}}{{ include "psp.sandbox.serviceUrl" . }}{{- end -}}
{{- end -}}

{{/* POS_API_URL: empty (the application falls back to MOBILEPAY_API_URL) unless set or the sandbox is on. */}}
{{- define "psp.pos.apiUrl" -}}
{{- if .Values.pos.apiUrl -}}{{ .Values.pos.apiUrl }}{{- else if .Values.sandbox.enabled -}}{{ include "psp.sandbox.serviceUrl" . }}{{- end -}}
{{- end -}}

{{- define "psp.acquirer.url" -}}
{{- if .Values.acquirer.url -}}{{ .Values.acquirer.url }}{{- else if .Values.sandbox.enabled -}}{{ include "psp.sandbox.serviceUrl" . }}{{- end -}}
{{- end -}}

{{- define "psp.publicBaseUrl" -}}
{{- if .Values.publicBaseUrl -}}{{ .Values.publicBaseUrl }}{{- else if .Values.sandbox.enabled -}}{{ include "psp.gateway.serviceUrl" . }}{{- end -}}
{{- end -}}

{{- define "psp.mobilePay.clientId" -}}
{{- if .Values.mobilePay.clientId -}}{{ .Values.mobilePay.clientId }}{{- else if .Values.sandbox.enabled -}}{{ .Values.sandbox.clientId }}{{- end -}}
{{- end -}}

{{/* DATABASE_URL with the password left to Kubernetes' $(DB_PASSWORD) expansion. */}}
{{- define "psp.database.url" -}}
{{- $db := .Values.externalDatabase -}}
{{- $url := printf "postgresql://%s:$(DB_PASSWORD)@%s:%v/%s" (urlquery $db.user) $db.host $db.port (urlquery $db.database) -}}
{{- if $db.params -}}{{- $url = printf "%s?%s" $url (trimPrefix "?" $db.params) -}}{{- end -}}
{{- $url -}}
{{- end -}}

{{/*
REDIS_URL. Standalone: the server. Sentinel/Cluster: the first sentinel/seed node, so that credentials,
TLS and database travel in the one variable the application reads today; the addresses come from
REDIS_SENTINELS / REDIS_CLUSTER_NODES.
*/}}
{{- define "psp.redis.url" -}}
{{- $r := .Values.externalRedis -}}
{{- $scheme := ternary "rediss" "redis" (eq (toString $r.tls) "true") -}}
{{- $auth := "" -}}
{{- if include "psp.redis.authEnabled" . -}}
{{- $auth = printf "%s:$(REDIS_PASSWORD)@" (urlquery $r.username) -}}
{{- end -}}
{{- $address := printf "%s:%v" $r.host $r.port -}}
{{- if and (eq $r.mode "sentinel") $r.sentinel.sentinels -}}
{{- $address = first $r.sentinel.sentinels -}}
{{- else if and (eq $r.mode "cluster") $r.cluster.nodes -}}
{{- $address = first $r.cluster.nodes -}}
{{- end -}}
{{- $db := ternary "" (printf "/%v" $r.db) (eq $r.mode "cluster") -}}
{{- printf "%s://%s%s%s" $scheme $auth $address $db -}}
{{- end -}}

{{/* ---- validation: every problem at once ---- */}}
{{- define "psp.validateValues" -}}
{{- $v := .Values -}}
{{- $errors := list -}}
{{- if not $v.sandbox.enabled -}}
{{- if not $v.publicBaseUrl -}}{{- $errors = append $errors "publicBaseUrl is required (MobilePay's callbacks go there)" -}}{{- end -}}
{{- if not $v.mobilePay.apiUrl -}}{{- $errors = append $errors "mobilePay.apiUrl is required" -}}{{- end -}}
{{- if not $v.mobilePay.clientId -}}{{- $errors = append $errors "mobilePay.clientId is required" -}}{{- end -}}
{{- if not $v.acquirer.url -}}{{- $errors = append $errors "acquirer.url is required" -}}{{- end -}}
{{- end -}}
{{- if and (not $v.mobilePay.existingSecret) (not $v.mobilePay.clientSecret) -}}{{- $errors = append $errors "mobilePay.clientSecret or mobilePay.existingSecret is required" -}}{{- end -}}
{{- if and (not $v.cardDataSeal.existingSecret) (not $v.cardDataSeal.key) -}}{{- $errors = append $errors "cardDataSeal.key (32 random bytes, base64) or cardDataSeal.existingSecret is required" -}}{{- end -}}
{{- if and $v.cardDataSeal.key (ne (len (b64dec $v.cardDataSeal.key)) 32) -}}{{- $errors = append $errors "cardDataSeal.key must be 32 random bytes, base64-encoded" -}}{{- end -}}
{{- if not $v.externalDatabase.host -}}{{- $errors = append $errors "externalDatabase.host is required" -}}{{- end -}}
{{- if and (not $v.externalDatabase.existingSecret) (not $v.externalDatabase.password) -}}{{- $errors = append $errors "externalDatabase.password or externalDatabase.existingSecret is required" -}}{{- end -}}
{{- if and (eq $v.externalRedis.mode "standalone") (not $v.externalRedis.host) -}}{{- $errors = append $errors "externalRedis.host is required in standalone mode" -}}{{- end -}}
{{- if and (eq $v.externalRedis.mode "sentinel") (not $v.externalRedis.sentinel.sentinels) -}}{{- $errors = append $errors "externalRedis.sentinel.sentinels is required in sentinel mode" -}}{{- end -}}
{{- if and (eq $v.externalRedis.mode "cluster") (not $v.externalRedis.cluster.nodes) -}}{{- $errors = append $errors "externalRedis.cluster.nodes is required in cluster mode" -}}{{- end -}}
{{- if and (eq $v.externalRedis.mode "cluster") (not (regexMatch "\\{[^{}]+\\}" $v.queuePrefix)) -}}{{- $errors = append $errors "queuePrefix needs a {hash tag} with Redis Cluster" -}}{{- end -}}
{{- if not $v.cardKeys.keys -}}{{- $errors = append $errors "cardKeys.keys needs at least one key" -}}{{- end -}}
{{- if $v.clearhaus.enabled -}}
{{- if not $v.clearhaus.signingApiKey -}}{{- $errors = append $errors "clearhaus.signingApiKey is required with clearhaus.enabled" -}}{{- end -}}
{{- if and (not $v.clearhaus.existingSecret) (or (not $v.clearhaus.apiKey) (not $v.clearhaus.signingKey)) -}}{{- $errors = append $errors "clearhaus.apiKey and clearhaus.signingKey, or clearhaus.existingSecret, are required with clearhaus.enabled" -}}{{- end -}}
{{- end -}}
{{- if and $v.threeDs.server.enabled (not $v.threeDs.server.acquirerBin) -}}{{- $errors = append $errors "threeDs.server.acquirerBin is required with threeDs.server.enabled" -}}{{- end -}}
{{- if and $v.threeDs.server.enabled (not $v.threeDs.server.existingSecret) (not $v.threeDs.server.apiKey) -}}{{- $errors = append $errors "threeDs.server.apiKey or threeDs.server.existingSecret is required with threeDs.server.enabled" -}}{{- end -}}
{{- if and (contains "clearhaus" $v.acquirer.routes) (not $v.clearhaus.enabled) -}}{{- $errors = append $errors "acquirer.routes names clearhaus: set clearhaus.enabled" -}}{{- end -}}
{{- $ids := list -}}
{{- range $v.cardKeys.keys -}}
{{- $ids = append $ids (int64 .publicKeyId | toString) -}}
{{- if and (not $v.cardKeys.existingSecret) (not .privateKey) -}}{{- $errors = append $errors (printf "cardKeys.keys[publicKeyId=%v].privateKey is required without cardKeys.existingSecret" (int64 .publicKeyId)) -}}{{- end -}}
{{- end -}}
{{- if ne (len $ids) (len (uniq $ids)) -}}{{- $errors = append $errors "cardKeys.keys has a duplicate publicKeyId" -}}{{- end -}}
{{- if and $v.cardKeys.activeKeyId (not (has (int64 $v.cardKeys.activeKeyId | toString) $ids)) -}}{{- $errors = append $errors (printf "cardKeys.activeKeyId %v is not among cardKeys.keys" $v.cardKeys.activeKeyId) -}}{{- end -}}
{{- if and $v.adminApi.key (lt (len $v.adminApi.key) 24) -}}{{- $errors = append $errors "adminApi.key must have at least 24 characters" -}}{{- end -}}
{{- if and $v.callbacks.allowedCidrs $v.ingress.enabled (not $v.gateway.trustedProxies) -}}{{- $errors = append $errors "callbacks.allowedCidrs behind the ingress needs gateway.trustedProxies (else every callback comes from the ingress's address)" -}}{{- end -}}
{{- if and (not $v.callbacks.allowedCidrs) (not $v.callbacks.clientCertCommonName) (not $v.callbacks.senderCheckDisabled) -}}{{- $errors = append $errors "callbacks need a sender check in production: callbacks.allowedCidrs or callbacks.clientCertCommonName (or, knowingly, callbacks.senderCheckDisabled)" -}}{{- end -}}
{{- if and $v.pos.enabled (not $v.pos.clientId) -}}{{- $errors = append $errors "pos.clientId is required when pos.enabled" -}}{{- end -}}
{{- if and $v.pos.enabled (not $v.pos.existingSecret) (not $v.pos.clientSecret) -}}{{- $errors = append $errors "pos.clientSecret or pos.existingSecret is required when pos.enabled" -}}{{- end -}}
{{- if and $v.networkPolicy.enabled (not $v.sandbox.enabled) (not $v.networkPolicy.egress.acquirer.to) (not $v.networkPolicy.egress.acquirer.cidrs) -}}{{- $errors = append $errors "networkPolicy.egress.acquirer.cidrs (the acquirer's address ranges) or .to is required with networkPolicy.enabled: a rule without peers opens its ports to every address" -}}{{- end -}}
{{- if and $v.otel.enabled (not $v.otel.endpoint) -}}{{- $errors = append $errors "otel.endpoint is required when otel.enabled" -}}{{- end -}}
{{- if and $v.sandbox.enabled $v.mobilePay.clientSecret (ne $v.mobilePay.clientSecret $v.sandbox.clientSecret) (not $v.mobilePay.apiUrl) -}}{{- $errors = append $errors "mobilePay.clientSecret must equal sandbox.clientSecret when the gateway talks to the sandbox" -}}{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}

{{/* ---- pod building blocks ---- */}}

{{- define "psp.podSecurityContext" -}}
{{- if .Values.podSecurityContext.enabled }}
securityContext: {{- omit .Values.podSecurityContext "enabled" | toYaml | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "psp.containerSecurityContext" -}}
{{- if .Values.containerSecurityContext.enabled }}
securityContext: {{- omit .Values.containerSecurityContext "enabled" | toYaml | nindent 2 }}
{{- end }}
{{- end -}}

{{/* affinity: explicit, else the soft/hard pod anti-affinity preset. (dict "root" $ "component" "x" "values" .Values.x) */}}
{{- define "psp.affinity" -}}
{{- if .values.affinity }}
affinity: {{- toYaml .values.affinity | nindent 2 }}
{{- else if eq .values.podAntiAffinityPreset "soft" }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels: {{- include "psp.selectorLabels" (dict "root" .root "component" .component) | nindent 14 }}
{{- else if eq .values.podAntiAffinityPreset "hard" }}
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels: {{- include "psp.selectorLabels" (dict "root" .root "component" .component) | nindent 12 }}
{{- end }}
{{- end -}}

{{- define "psp.topologySpreadConstraints" -}}
{{- if .values.topologySpreadConstraints }}
topologySpreadConstraints:
{{- range .values.topologySpreadConstraints }}
{{- $constraint := deepCopy . }}
{{- if not (hasKey $constraint "labelSelector") }}
{{- $_ := set $constraint "labelSelector" (dict "matchLabels" (include "psp.selectorLabels" (dict "root" $.root "component" $.component) | fromYaml)) }}
{{- end }}
  - {{- toYaml $constraint | nindent 4 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* An HTTP probe with the values' timings, or the custom one. (dict "probe" .livenessProbe "custom" .customLivenessProbe "path" "/health/live" "port" "http") */}}
{{- define "psp.httpProbe" -}}
{{- if .custom -}}
{{- toYaml .custom -}}
{{- else -}}
httpGet:
  path: {{ .path }}
  port: {{ .port }}
  {{- if .https }}
  scheme: HTTPS
  {{- end }}
{{ omit .probe "enabled" | toYaml }}
{{- end -}}
{{- end -}}

{{/* Volumes shared by the app pods: /tmp and the card keys, files named <publicKeyId>.pem. */}}
{{- define "psp.appVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
- name: card-keys
  secret:
    secretName: {{ include "psp.cardKeys.secretName" . }}
    defaultMode: 0440
    items:
{{- range .Values.cardKeys.keys }}
      - key: {{ include "psp.cardKeys.secretKey" . }}
        path: {{ printf "%d.pem" (int64 .publicKeyId) }}
{{- end }}
{{- if .Values.clearhaus.enabled }}
- name: clearhaus-signing-key
  secret:
    secretName: {{ include "psp.clearhaus.secretName" . }}
    defaultMode: 0440
    items:
      - key: {{ .Values.clearhaus.signingKeySecretKey }}
        path: signing-key.pem
{{- end }}
{{- end -}}

{{- define "psp.appVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: card-keys
  mountPath: {{ .Values.cardKeys.mountPath }}
  readOnly: true
{{- if .Values.clearhaus.enabled }}
- name: clearhaus-signing-key
  mountPath: {{ .Values.clearhaus.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* The Secret with the Clearhaus API key and signing key: the chart's own, or an existing one. */}}
{{- define "psp.clearhaus.secretName" -}}
{{- default (include "psp.secretName" .) .Values.clearhaus.existingSecret -}}
{{- end -}}

{{/*
Secret-backed environment of the gateway and the worker. Order matters: $(DB_PASSWORD) and
$(REDIS_PASSWORD) are expanded by Kubernetes only from variables defined earlier in the list.
(dict "root" $ "admin" true)
*/}}
{{- define "psp.secretEnv" -}}
{{- $root := .root -}}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.database.secretName" $root }}
      key: {{ include "psp.database.secretKey" $root }}
- name: DATABASE_URL
  value: {{ include "psp.database.url" $root | quote }}
{{- if include "psp.redis.authEnabled" $root }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.redis.secretName" $root }}
      key: {{ include "psp.redis.secretKey" $root }}
{{- end }}
- name: REDIS_URL
  value: {{ include "psp.redis.url" $root | quote }}
- name: MOBILEPAY_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.mobilePay.secretName" $root }}
      key: {{ include "psp.mobilePay.secretKey" $root }}
- name: CARD_DATA_SEAL_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.seal.secretName" $root }}
      key: {{ include "psp.seal.secretKey" $root }}
{{- /* Decrypt-only keys of a rotation; absent from the Secret = none. */}}
- name: CARD_DATA_SEAL_PREVIOUS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.seal.secretName" $root }}
      key: {{ $root.Values.cardDataSeal.previousKeysSecretKey }}
      optional: true
{{- if $root.Values.pos.enabled }}
- name: POS_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.pos.secretName" $root }}
      key: {{ include "psp.pos.secretKey" $root }}
{{- end }}
{{- if $root.Values.clearhaus.enabled }}
- name: CLEARHAUS_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.clearhaus.secretName" $root }}
      key: {{ $root.Values.clearhaus.apiKeySecretKey }}
{{- end }}
{{- if $root.Values.threeDs.server.enabled }}
- name: THREE_DS_SERVER_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ default (include "psp.secretName" $root) $root.Values.threeDs.server.existingSecret }}
      key: {{ $root.Values.threeDs.server.apiKeySecretKey }}
{{- end }}
{{- if and .admin (include "psp.admin.enabled" $root) }}
- name: ADMIN_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "psp.admin.secretName" $root }}
      key: {{ include "psp.admin.secretKey" $root }}
{{- end }}
{{- end -}}

{{/* envFrom of the app containers. (dict "root" $ "values" .Values.gateway) */}}
{{- define "psp.appEnvFrom" -}}
- configMapRef:
    name: {{ include "psp.fullname" .root }}
{{- with .values.extraEnvVarsCM }}
- configMapRef:
    name: {{ . }}
{{- end }}
{{- with .values.extraEnvVarsSecret }}
- secretRef:
    name: {{ . }}
{{- end }}
{{- end -}}

{{/* Pod annotations that roll the pods when configuration or chart-managed secrets change. */}}
{{- define "psp.checksumAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
checksum/card-keys: {{ include (print .Template.BasePath "/card-keys-secret.yaml") . | sha256sum }}
{{- end -}}

{{/* Egress rules of the gateway and the worker. */}}
{{- define "psp.appEgress" -}}
{{- $np := .Values.networkPolicy -}}
{{- $r := .Values.externalRedis -}}
{{- include "psp.dnsEgress" . }}
{{- $dbPorts := $np.egress.database.ports | default (list .Values.externalDatabase.port) }}
- ports:
{{- range $dbPorts }}
    - port: {{ . }}
      protocol: TCP
{{- end }}
{{- with $np.egress.database.to }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- $redisPorts := list $r.port -}}
{{- if eq $r.mode "sentinel" -}}
{{- range $r.sentinel.sentinels -}}{{- $redisPorts = append $redisPorts (last (splitList ":" .)) -}}{{- end -}}
{{- else if eq $r.mode "cluster" -}}
{{- range $r.cluster.nodes -}}{{- $redisPorts = append $redisPorts (last (splitList ":" .)) -}}{{- end -}}
{{- end -}}
{{- $redisPorts = $np.egress.redis.ports | default $redisPorts }}
- ports:
{{- range (uniq (toStrings $redisPorts)) }}
    - port: {{ . }}
      protocol: TCP
{{- end }}
{{- with $np.egress.redis.to }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- range $target := list "mobilePay" "acquirer" }}
{{- $rule := index $np.egress $target }}
{{- /* Peers: `to` as given, then one ipBlock per CIDR. */}}
{{- $peers := list }}
{{- range $rule.to }}{{- $peers = append $peers . }}{{- end }}
{{- range $rule.cidrs }}{{- $peers = append $peers (dict "ipBlock" (dict "cidr" .)) }}{{- end }}
- ports:
{{- range $rule.ports }}
    - port: {{ . }}
      protocol: TCP
{{- end }}
{{- with $peers }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- end }}
{{- /* The PoS API is MobilePay's: the rule above covers it unless its peers or ports are set apart. */}}
{{- if and .Values.pos.enabled (or $np.egress.pos.to $np.egress.pos.ports) }}
- ports:
{{- range ($np.egress.pos.ports | default $np.egress.mobilePay.ports) }}
    - port: {{ . }}
      protocol: TCP
{{- end }}
{{- with ($np.egress.pos.to | default $np.egress.mobilePay.to) }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- end }}
{{- if .Values.otel.enabled }}
- ports:
{{- range $np.egress.otel.ports }}
    - port: {{ . }}
      protocol: TCP
{{- end }}
{{- with $np.egress.otel.to }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- end }}
{{- if .Values.sandbox.enabled }}
- ports:
    - port: {{ .Values.sandbox.containerPorts.http }}
      protocol: TCP
  to:
    - podSelector:
        matchLabels: {{- include "psp.selectorLabels" (dict "root" . "component" "sandbox") | nindent 10 }}
{{- end }}
{{- with $np.egress.extra }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "psp.dnsEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- with .Values.networkPolicy.egress.dns.to }}
  to: {{- toYaml . | nindent 4 }}
{{- end }}
{{- end -}}

{{/* Prometheus may scrape this pod's port. (dict "root" $ "port" 3000) */}}
{{- define "psp.monitoringIngress" -}}
{{- $m := .root.Values.networkPolicy.monitoring }}
- ports:
    - port: {{ .port }}
      protocol: TCP
  from:
    - namespaceSelector: {{- toYaml $m.namespaceSelector | nindent 8 }}
      podSelector: {{- toYaml $m.podSelector | nindent 8 }}
{{- end -}}
