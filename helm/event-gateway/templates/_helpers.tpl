{{/* Names, labels and the shared shape of every role's objects. */}}

{{- define "eg.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of a role's objects: <fullname>-<component>. Arguments: root, component. */}}
{{- define "eg.roleName" -}}
{{- printf "%s-%s" (include "eg.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "eg.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "eg.labels" -}}
{{ include "eg.selectorLabels" . }}
app.kubernetes.io/part-of: event-gateway
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "eg.image" -}}
{{- $global := .root.Values.global.image -}}
{{- printf "%s/%s:%s" $global.registry .values.image (default .root.Chart.AppVersion $global.tag) -}}
{{- end -}}

{{/* The config server's address, as the roles import it. */}}
{{- define "eg.configServerUrl" -}}
{{- printf "http://%s:%v" (include "eg.roleName" (dict "root" . "component" "config-server")) .Values.configServer.ports.http -}}
{{- end -}}

{{/* Environment every role shares. Arguments: root, values. */}}
{{- define "eg.env" -}}
{{- $g := .root.Values.global -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "%s %s" $g.javaOpts .values.javaOpts | trim | quote }}
- name: GATEWAY_ENVIRONMENT
  value: {{ $g.environment | quote }}
- name: SPRING_PROFILES_ACTIVE
  value: {{ $g.springProfiles | quote }}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: "optional:file:/config/"
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $g.kafka.bootstrapServers | quote }}
- name: SPRING_KAFKA_SECURITY_PROTOCOL
  value: {{ $g.kafka.securityProtocol | quote }}
{{- if $g.kafka.saslSecret }}
- name: KAFKA_SASL_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $g.kafka.saslSecret | quote }}, key: username}}
- name: KAFKA_SASL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $g.kafka.saslSecret | quote }}, key: password}}
- name: SPRING_KAFKA_PROPERTIES_SASL_MECHANISM
  value: {{ $g.kafka.saslMechanism | quote }}
- name: SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
  value: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="$(KAFKA_SASL_USERNAME)" password="$(KAFKA_SASL_PASSWORD)";'
{{- end }}
{{- if $g.kafka.tlsSecret }}
- name: SPRING_KAFKA_SSL_TRUST_STORE_LOCATION
  value: "file:/tls/truststore.p12"
- name: SPRING_KAFKA_SSL_TRUST_STORE_TYPE
  value: "PKCS12"
- name: SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $g.kafka.tlsSecret | quote }}, key: password}}
{{- end }}
- name: GATEWAY_TOPICS_PREFIX
  value: {{ $g.topicPrefix | quote }}
- name: GATEWAY_TOPICS_CREATE
  value: {{ $g.createTopics | quote }}
{{- if .root.Values.configServer.enabled }}
- name: CONFIG_SERVER_URL
  value: {{ include "eg.configServerUrl" .root | quote }}
{{- end }}
- name: STATSD_ENABLED
  value: {{ $g.statsd.enabled | quote }}
{{- if $g.statsd.host }}
- name: STATSD_HOST
  value: {{ $g.statsd.host | quote }}
{{- else }}
- name: STATSD_HOST
  valueFrom: {fieldRef: {fieldPath: status.hostIP}}
{{- end }}
- name: STATSD_PORT
  value: {{ $g.statsd.port | quote }}
{{- range $name, $value := .values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The pod template of a role. Arguments: root, values, component, env (extra entries). */}}
{{- define "eg.podTemplate" -}}
{{- $g := .root.Values.global -}}
metadata:
  labels:
    {{- include "eg.labels" . | nindent 4 }}
  annotations:
    checksum/settings: {{ toYaml .values.settings | sha256sum }}
    prometheus.io/scrape: "true"
    prometheus.io/path: /actuator/prometheus
    prometheus.io/port: {{ .values.ports.http | quote }}
spec:
  {{- with $g.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- toYaml $g.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: 60
  containers:
    - name: {{ .component }}
      image: {{ include "eg.image" . | quote }}
      imagePullPolicy: {{ $g.image.pullPolicy }}
      securityContext:
        {{- toYaml $g.containerSecurityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ .values.ports.http }}
        {{- if gt (int .values.ports.grpc) 0 }}
        - name: grpc
          containerPort: {{ .values.ports.grpc }}
        {{- end }}
      env:
        {{- include "eg.env" . | nindent 8 }}
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /actuator/health/liveness, port: http}
        periodSeconds: 5
        failureThreshold: 36
      livenessProbe:
        httpGet: {path: /actuator/health/liveness, port: http}
        periodSeconds: 10
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /actuator/health/readiness, port: http}
        periodSeconds: 5
        failureThreshold: 3
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      volumeMounts:
        - {name: tmp, mountPath: /tmp}
        - {name: settings, mountPath: /config, readOnly: true}
        {{- if $g.kafka.tlsSecret }}
        - {name: kafka-tls, mountPath: /tls, readOnly: true}
        {{- end }}
        {{- with .mounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {}
    - name: settings
      configMap:
        name: {{ include "eg.roleName" . }}
    {{- if $g.kafka.tlsSecret }}
    - name: kafka-tls
      secret: {secretName: {{ $g.kafka.tlsSecret | quote }}}
    {{- end }}
    {{- with .volumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* A role's Deployment. Arguments: root, values, component, role (the Spring config name), env, mounts, volumes. */}}
{{- define "eg.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  {{- if not .values.hpa.enabled }}
  replicas: {{ .values.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "eg.selectorLabels" . | nindent 6 }}
  template:
    {{- include "eg.podTemplate" . | nindent 4 }}
{{- end -}}

{{/* A role's settings file, mounted at /config/<role>.yml. Arguments: root, values, component, role. */}}
{{- define "eg.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
data:
  {{ .role }}.yml: |
    {{- if .values.settings }}
    {{- toYaml .values.settings | nindent 4 }}
    {{- else }}
    # No role-specific settings; hot settings come from the config server.
    {}
    {{- end }}
{{- end -}}

{{/* A role's Service. Arguments: root, values, component, headless (bool). */}}
{{- define "eg.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "eg.roleName" . }}{{ if .headless }}-headless{{ end }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  {{- if .headless }}
  clusterIP: None
  publishNotReadyAddresses: true
  {{- end }}
  selector:
    {{- include "eg.selectorLabels" . | nindent 4 }}
  ports:
    - {name: http, port: {{ .values.ports.http }}, targetPort: http}
    {{- if gt (int .values.ports.grpc) 0 }}
    - {name: grpc, port: {{ .values.ports.grpc }}, targetPort: grpc}
    {{- end }}
{{- end -}}

{{/* A role's PodDisruptionBudget. Arguments: root, values, component. */}}
{{- define "eg.pdb" -}}
{{- if .values.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  minAvailable: {{ .values.pdb.minAvailable }}
  selector:
    matchLabels:
      {{- include "eg.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/* A role's HorizontalPodAutoscaler. Arguments: root, values, component, kind. */}}
{{- define "eg.hpa" -}}
{{- if .values.hpa.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ default "Deployment" .kind }}
    name: {{ include "eg.roleName" . }}
  minReplicas: {{ .values.hpa.minReplicas }}
  maxReplicas: {{ .values.hpa.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .values.hpa.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}
