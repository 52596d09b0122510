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

{{/* Labels of every object; objects of a fleet also carry its name. Arguments: root, component, fleet (optional). */}}
{{- define "eg.labels" -}}
{{ include "eg.selectorLabels" . }}
app.kubernetes.io/part-of: event-gateway
{{- with .fleet }}
eventgateway.io/fleet: {{ . }}
{{- end }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The role a component belongs to: a fleet's components (orchestrator-<fleet>) share their
     role's ServiceAccount. Arguments: component, fleet (optional). */}}
{{- define "eg.role" -}}
{{- if .fleet -}}
{{- trimSuffix (printf "-%s" .fleet) .component -}}
{{- else -}}
{{- .component -}}
{{- end -}}
{{- end -}}

{{/* The ServiceAccount of a role's pods. Arguments: root, component, fleet (optional). */}}
{{- define "eg.serviceAccountName" -}}
{{- include "eg.roleName" (dict "root" .root "component" (include "eg.role" .)) -}}
{{- end -}}

{{- define "eg.image" -}}
{{- $global := .root.Values.global.image -}}
{{- printf "%s/%s:%s" $global.registry .values.image (default .root.Chart.AppVersion $global.tag) -}}
{{- end -}}

{{/* The config server's address, as the roles import it. */}}
{{- define "eg.configServerUrl" -}}
{{- printf "http://%s:%v" (include "eg.roleName" (dict "root" . "component" "config-server")) .Values.configServer.ports.http -}}
{{- end -}}

{{/* How a role's actuator is reached. Ingest has a management port of its own (ports.management),
     apart from its public API; publisher, orchestrator, worker and failed-writes serve nothing
     but actuator on ports.http, which is therefore their management port; the config server
     serves its API there. Arguments: values, component. Sets out.httpName (the name of the
     ports.http container port), out.port (the management port's number) and out.name (its
     name). */}}
{{- define "eg.managementPort" -}}
{{- $separate := gt (int (default 0 .values.ports.management)) 0 -}}
{{- $_ := set .out "httpName" (ternary "http" "management" (or $separate (eq .component "config-server"))) -}}
{{- $_ = set .out "port" (ternary .values.ports.management .values.ports.http $separate) -}}
{{- $_ = set .out "name" (ternary "management" .out.httpName $separate) -}}
{{- end -}}

{{/* The management port of a role that has one apart (MANAGEMENT_SERVER_PORT), and the
     management credentials (HTTP Basic on refresh, busrefresh, gateway, metrics, ...) from
     management.credentialsSecret. Arguments: root, values, component. */}}
{{- define "eg.managementEnv" -}}
{{- $secret := .root.Values.management.credentialsSecret -}}
{{- if gt (int (default 0 .values.ports.management)) 0 }}
- name: MANAGEMENT_SERVER_PORT
  value: {{ .values.ports.management | quote }}
{{- end }}
{{- if and $secret (ne .component "config-server") }}
- name: GATEWAY_MANAGEMENT_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $secret | quote }}, key: username}}
- name: GATEWAY_MANAGEMENT_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $secret | quote }}, key: password}}
{{- end }}
{{- end -}}

{{/* Environment every role shares. Arguments: root, values, kafka (the role's cluster; global.kafka when absent). */}}
{{- define "eg.env" -}}
{{- $g := .root.Values.global -}}
{{- $kafka := default $g.kafka .kafka -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "%s %s" $g.javaOpts .values.javaOpts | trim | quote }}
- name: GATEWAY_ENVIRONMENT
  value: {{ $g.environment | quote }}
- name: SPRING_PROFILES_ACTIVE
  value: {{ $g.springProfiles | quote }}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: "optional:file:/config/"
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $kafka.bootstrapServers | quote }}
{{- range (include "eg.kafkaClusters" . | fromYamlArray) }}
{{- include "eg.kafkaSecurityEnv" . }}
{{- end }}
- name: GATEWAY_TOPICS_PREFIX
  value: {{ $g.topicPrefix | quote }}
- name: GATEWAY_TOPICS_CREATE
  value: {{ $g.createTopics | quote }}
- name: GATEWAY_TOPICS_REPLICATION_FACTOR
  value: {{ $kafka.replicationFactor | quote }}
- name: GATEWAY_TOPICS_MIN_INSYNC_REPLICAS
  value: {{ $kafka.minInsyncReplicas | quote }}
{{- if .root.Values.configServer.enabled }}
- name: CONFIG_SERVER_URL
  value: {{ include "eg.configServerUrl" .root | quote }}
{{- with .root.Values.configServer.credentialsSecret }}
{{- /* The config server's client account: the server requires it, every role sends it. */}}
- name: CONFIG_SERVER_USERNAME
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: username}}
- name: CONFIG_SERVER_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: password}}
{{- end }}
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
{{- with $g.logFormat }}
- name: LOGGING_STRUCTURED_FORMAT_CONSOLE
  value: {{ . | quote }}
{{- end }}
- name: GATEWAY_TRACING_ENABLED
  value: {{ $g.tracing.enabled | quote }}
{{- with $g.tracing.otlpEndpoint }}
- name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- range $name, $value := .values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The pod template of a role. Arguments: root, values, component, fleet, kafka, env (extra
     entries), mounts, volumes, terminationGracePeriodSeconds (60 when absent). */}}
{{- define "eg.podTemplate" -}}
{{- $g := .root.Values.global -}}
{{- $kafka := default $g.kafka .kafka -}}
{{- $management := dict -}}
{{- include "eg.managementPort" (dict "values" .values "component" .component "out" $management) -}}
metadata:
  labels:
    {{- include "eg.labels" . | nindent 4 }}
  annotations:
    checksum/settings: {{ toYaml .values.settings | sha256sum }}
    {{- /* Unset: on unless a PodMonitor scrapes the pods, so no series is scraped twice. */}}
    {{- $annotations := .root.Values.monitoring.annotations.enabled }}
    {{- if or (eq (toString $annotations) "true") (and (kindIs "invalid" $annotations) (not .root.Values.monitoring.podMonitor.enabled)) }}
    prometheus.io/scrape: "true"
    prometheus.io/path: /actuator/prometheus
    prometheus.io/port: {{ $management.port | quote }}
    {{- end }}
spec:
  {{- with $g.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  serviceAccountName: {{ include "eg.serviceAccountName" . }}
  # No role talks to the Kubernetes API: no token in the pod to steal.
  automountServiceAccountToken: false
  securityContext:
    {{- toYaml $g.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ default 60 .terminationGracePeriodSeconds }}
  containers:
    - name: {{ .component }}
      image: {{ include "eg.image" . | quote }}
      imagePullPolicy: {{ $g.image.pullPolicy }}
      securityContext:
        {{- toYaml $g.containerSecurityContext | nindent 8 }}
      ports:
        - name: {{ $management.httpName }}
          containerPort: {{ .values.ports.http }}
        {{- if ne $management.name $management.httpName }}
        - name: {{ $management.name }}
          containerPort: {{ $management.port }}
        {{- end }}
        {{- if gt (int .values.ports.grpc) 0 }}
        - name: grpc
          containerPort: {{ .values.ports.grpc }}
        {{- end }}
      env:
        {{- include "eg.env" . | nindent 8 }}
        {{- include "eg.managementEnv" . | nindent 8 }}
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /actuator/health/liveness, port: {{ $management.name }}}
        periodSeconds: 5
        failureThreshold: 36
      livenessProbe:
        httpGet: {path: /actuator/health/liveness, port: {{ $management.name }}}
        periodSeconds: 10
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /actuator/health/readiness, port: {{ $management.name }}}
        periodSeconds: 5
        failureThreshold: 3
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      volumeMounts:
        - {name: tmp, mountPath: /tmp}
        - {name: settings, mountPath: /config, readOnly: true}
        {{- range (include "eg.kafkaClusters" . | fromYamlArray) }}
        {{- if .security.tlsSecret }}
        - {name: {{ printf "kafka-tls-%s" .name }}, mountPath: {{ .dir }}, readOnly: true}
        {{- end }}
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
    {{- range (include "eg.kafkaClusters" . | fromYamlArray) }}
    {{- if .security.tlsSecret }}
    - name: {{ printf "kafka-tls-%s" .name }}
      secret: {secretName: {{ .security.tlsSecret | quote }}}
    {{- end }}
    {{- end }}
    {{- with .volumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* A role's Deployment. Arguments: those of eg.podTemplate. */}}
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

{{/* A role's Service. Arguments: root, values, component, headless (bool). Ingest's management
     port is never part of it: its Service is the public API. */}}
{{- define "eg.service" -}}
{{- $management := dict -}}
{{- include "eg.managementPort" (dict "values" .values "component" .component "out" $management) -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "eg.roleName" . }}{{ if .headless }}-headless{{ end }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  {{- if .headless }}
  # Only ready pods are published: clients resolve every address behind the name and must not
  # be handed a pod that is still starting or is shutting down.
  clusterIP: None
  {{- end }}
  selector:
    {{- include "eg.selectorLabels" . | nindent 4 }}
  ports:
    - {name: {{ $management.httpName }}, port: {{ .values.ports.http }}, targetPort: {{ $management.httpName }}}
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
  {{- /* A budget that keeps every pod (a small fleet inheriting a larger default) would block
         every node drain for good: keep at most all but one. */}}
  {{- $min := .values.pdb.minAvailable }}
  {{- if and (not (kindIs "string" $min)) .values.replicas (ge (int $min) (int .values.replicas)) }}
  {{- $min = max 0 (sub (int .values.replicas) 1) }}
  {{- end }}
  minAvailable: {{ $min }}
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
  {{- if eq .kind "StatefulSet" }}
  # Each pod owns a spool volume that only it replays: a scale-down would leave what it could
  # not drain on a claim no pod mounts. Scale down by hand once its spool is empty.
  behavior:
    scaleDown:
      selectPolicy: Disabled
  {{- end }}
{{- end }}
{{- end -}}

{{/* A role's StatefulSet, for roles that keep state on a volume of their own. Arguments: those
     of eg.podTemplate, and claims (volumeClaimTemplates). Its governing service is the role's
     headless service. */}}
{{- define "eg.statefulSet" -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  {{- if not .values.hpa.enabled }}
  replicas: {{ .values.replicas }}
  {{- end }}
  serviceName: {{ include "eg.roleName" . }}-headless
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      {{- include "eg.selectorLabels" . | nindent 6 }}
  template:
    {{- include "eg.podTemplate" . | nindent 4 }}
  {{- with .claims }}
  # A claim outlives a scale-down and the StatefulSet itself: what a pod spooled is still there
  # when its ordinal comes back (or for an operator to replay), never deleted with the pod.
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}
  volumeClaimTemplates:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Merges .over into .target in place, map by map; unlike Sprig's mergeOverwrite, a false, 0
     or empty value in .over still wins. Arguments: target, over. */}}
{{- define "eg.mergeInto" -}}
{{- $target := .target -}}
{{- range $key, $value := .over }}
{{- if and (kindIs "map" $value) (kindIs "map" (get $target $key)) }}
{{- include "eg.mergeInto" (dict "target" (get $target $key) "over" $value) }}
{{- else }}
{{- $_ := set $target $key $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/* "true" when two bootstrap lists name the same cluster, that is share a broker address.
     Arguments: a, b. */}}
{{- define "eg.sameCluster" -}}
{{- $b := .b -}}
{{- range $x := splitList "," .a }}
{{- range $y := splitList "," $b }}
{{- if and (trim $x) (eq (trim $x) (trim $y)) }}true{{ end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Resolves one entry of .Values.fleets into what its objects render from, filling .out with:
     name; kafka (global.kafka with the fleet's kafka over it); onPrimaryCluster; orchestrator
     and worker (the role sections with the fleet's overrides over them); orchestratorComponent
     and workerComponent. The first fleet keeps the component names, and so the object names
     and selectors, of a single-fleet release; every other fleet's are suffixed with its name,
     so that no selector of one fleet matches pods of another. Arguments: root, fleet, index,
     out. */}}
{{- define "eg.resolveFleet" -}}
{{- $v := .root.Values -}}
{{- $kafka := deepCopy $v.global.kafka -}}
{{- include "eg.mergeInto" (dict "target" $kafka "over" (default (dict) .fleet.kafka)) -}}
{{- $orchestrator := deepCopy $v.orchestrator -}}
{{- include "eg.mergeInto" (dict "target" $orchestrator "over" (default (dict) .fleet.orchestrator)) -}}
{{- $worker := deepCopy $v.worker -}}
{{- include "eg.mergeInto" (dict "target" $worker "over" (default (dict) .fleet.worker)) -}}
{{- $suffix := ternary "" (printf "-%s" .fleet.name) (eq (int .index) 0) -}}
{{- $_ := set .out "name" .fleet.name -}}
{{- $_ := set .out "kafka" $kafka -}}
{{- $_ := set .out "onPrimaryCluster" (contains "true" (include "eg.sameCluster" (dict "a" $kafka.bootstrapServers "b" $v.global.kafka.bootstrapServers))) -}}
{{- $_ := set .out "orchestrator" $orchestrator -}}
{{- $_ := set .out "worker" $worker -}}
{{- $_ := set .out "orchestratorComponent" (printf "orchestrator%s" $suffix) -}}
{{- $_ := set .out "workerComponent" (printf "worker%s" $suffix) -}}
{{- end -}}

{{/* The spool of a publisher-image role (publisher, failed-writes), filling .out with: kind
     (StatefulSet when the directory spool is on a claim per pod, else Deployment), env, mounts,
     volumes, claims and terminationGracePeriodSeconds. Arguments: root, values (the role's
     section), settings (the role's Spring settings), out. */}}
{{- define "eg.spool" -}}
{{- $spool := .values.spool -}}
{{- $type := dig "gateway" "publisher" "spool" "type" "directory" .settings | toString | lower -}}
{{- $drain := int $spool.drainOnStopSeconds -}}
{{- $env := list (dict "name" "GATEWAY_PUBLISHER_SPOOL_DRAIN_ON_STOP" "value" (printf "%ds" $drain)) -}}
{{- $mounts := list -}}
{{- $volumes := list -}}
{{- $claims := list -}}
{{- $kind := "Deployment" -}}
{{- if eq $type "s3" }}
{{- /* Every instance sees the same bucket: only one replays at a time. */}}
{{- $env = append $env (dict "name" "GATEWAY_PUBLISHER_SPOOL_SHARED" "value" "true") -}}
{{- else }}
{{- $env = append $env (dict "name" "GATEWAY_PUBLISHER_SPOOL_DIRECTORY" "value" "/spool") -}}
{{- $mounts = append $mounts (dict "name" "spool" "mountPath" "/spool") -}}
{{- if $spool.persistence.enabled }}
{{- $kind = "StatefulSet" -}}
{{- $env = append $env (dict "name" "GATEWAY_PUBLISHER_SPOOL_PERSISTENT" "value" "true") -}}
{{- $claimSpec := dict "accessModes" (list "ReadWriteOnce") "resources" (dict "requests" (dict "storage" $spool.persistence.size)) -}}
{{- with $spool.persistence.storageClass }}
{{- $_ := set $claimSpec "storageClassName" . -}}
{{- end }}
{{- $claims = append $claims (dict "metadata" (dict "name" "spool") "spec" $claimSpec) -}}
{{- else }}
{{- $volumes = append $volumes (dict "name" "spool" "emptyDir" (dict)) -}}
{{- end }}
{{- end }}
{{- $_ := set .out "kind" $kind -}}
{{- $_ := set .out "env" $env -}}
{{- $_ := set .out "mounts" $mounts -}}
{{- $_ := set .out "volumes" $volumes -}}
{{- $_ := set .out "claims" $claims -}}
{{- /* The drain, then gRPC's shutdown grace (5s) and the producers' flush, which may take a
       delivery timeout (30s). */}}
{{- $_ := set .out "terminationGracePeriodSeconds" (add $drain 40) -}}
{{- $_ := set .out "onEmptyDir" (and (ne $type "s3") (not $spool.persistence.enabled)) -}}
{{- end -}}

{{/* The failed-writes section with its settings completed, into .out: the publisher's
     gateway.publisher.fallback-cluster and gateway.publisher.spool (the cluster it drains and
     the spool it shares), with the role's own settings over them. Arguments: root, out. */}}
{{- define "eg.failedWritesValues" -}}
{{- $v := .root.Values -}}
{{- $publisher := dig "gateway" "publisher" (dict) $v.publisher.settings -}}
{{- $inherited := dict -}}
{{- with (get $publisher "fallback-cluster") }}
{{- $_ := set $inherited "fallback-cluster" (deepCopy .) -}}
{{- end }}
{{- with (get $publisher "spool") }}
{{- $_ := set $inherited "spool" (deepCopy .) -}}
{{- end }}
{{- $settings := dict -}}
{{- if $inherited }}
{{- $settings = dict "gateway" (dict "publisher" $inherited) -}}
{{- end }}
{{- include "eg.mergeInto" (dict "target" $settings "over" (deepCopy $v.failedWrites.settings)) -}}
{{- include "eg.mergeInto" (dict "target" .out "over" (deepCopy $v.failedWrites)) -}}
{{- $_ := set .out "settings" $settings -}}
{{- end -}}

{{/* A role's NetworkPolicy: its pods accept only the given ingress rules (NetworkPolicyIngressRule
     maps); egress is not restricted. Arguments: root, component, fleet (optional), rules. */}}
{{- define "eg.networkPolicy" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "eg.roleName" . }}
  labels:
    {{- include "eg.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "eg.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress]
  ingress:
    {{- toYaml .rules | nindent 4 }}
{{- end -}}

{{/* The ingress rule of a role's management (actuator) port: the monitoring namespace and
     networkPolicy.managementFrom. Arguments: root, values. */}}
{{- define "eg.managementRule" -}}
{{- $np := .root.Values.networkPolicy -}}
{{- $from := prepend $np.managementFrom (dict "namespaceSelector" $np.monitoringNamespaceSelector) -}}
{{- $management := dict -}}
{{- include "eg.managementPort" (dict "values" .values "component" "" "out" $management) -}}
{{- toJson (dict "ports" (list (dict "protocol" "TCP" "port" (int $management.port))) "from" $from) -}}
{{- end -}}

{{/* The Kafka clusters a role's pod talks to, each with its security values, the prefix of its
     gateway settings as environment variables and where its TLS Secret is mounted: the role's
     own cluster (global.kafka, or its fleet's kafka), and for the publisher and the
     failed-writes role the fallback cluster (publisher.fallbackCluster.security) and for the
     publisher the rollout cluster (rollout.kafka.security) when they have a protocol of their
     own; without one they use the primary's. A YAML list. Arguments: those of eg.env. */}}
{{- define "eg.kafkaClusters" -}}
{{- $v := .root.Values -}}
{{- $kafka := default $v.global.kafka .kafka -}}
{{- $clusters := list (dict "name" "primary" "env" "GATEWAY_KAFKA_SECURITY" "dir" "/tls/primary" "security" (default (dict) $kafka.security)) -}}
{{- if has .component (list "publisher" "failed-writes") -}}
{{- $fallback := default (dict) (dig "fallbackCluster" "security" (dict) $v.publisher) -}}
{{- if $fallback.protocol -}}
{{- $clusters = append $clusters (dict "name" "fallback" "env" "GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY" "dir" "/tls/fallback" "security" $fallback) -}}
{{- end -}}
{{- end -}}
{{- if eq .component "publisher" -}}
{{- $rollout := default (dict) (dig "kafka" "security" (dict) (default (dict) $v.rollout)) -}}
{{- if $rollout.protocol -}}
{{- $clusters = append $clusters (dict "name" "rollout" "env" "GATEWAY_PUBLISHER_ROLLOUT_SECURITY" "dir" "/tls/rollout" "security" $rollout) -}}
{{- end -}}
{{- end -}}
{{- toYaml $clusters -}}
{{- end -}}

{{/* The gateway Kafka security settings of one cluster as environment variables (see
     docs/security.md): credentials from saslSecret (username and password; client-id and
     client-secret for OAUTHBEARER), stores from tlsSecret (truststore.p12 and password;
     keystore.p12 and keystore-password with clientCertificate). Arguments: an entry of
     eg.kafkaClusters. */}}
{{- define "eg.kafkaSecurityEnv" -}}
{{- $s := .security }}
{{- if $s.protocol }}
- name: {{ .env }}_PROTOCOL
  value: {{ $s.protocol | quote }}
{{- if hasPrefix "SASL_" $s.protocol }}
- name: {{ .env }}_SASL_MECHANISM
  value: {{ $s.saslMechanism | quote }}
{{- if eq $s.saslMechanism "OAUTHBEARER" }}
- name: {{ .env }}_SASL_OAUTHBEARER_TOKENENDPOINTURL
  value: {{ $s.tokenEndpointUrl | quote }}
- name: {{ .env }}_SASL_OAUTHBEARER_CLIENTID
  valueFrom: {secretKeyRef: {name: {{ $s.saslSecret | quote }}, key: client-id}}
- name: {{ .env }}_SASL_OAUTHBEARER_CLIENTSECRET
  valueFrom: {secretKeyRef: {name: {{ $s.saslSecret | quote }}, key: client-secret}}
{{- else }}
- name: {{ .env }}_SASL_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $s.saslSecret | quote }}, key: username}}
- name: {{ .env }}_SASL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $s.saslSecret | quote }}, key: password}}
{{- end }}
{{- end }}
{{- if and (hasSuffix "SSL" $s.protocol) $s.tlsSecret }}
- name: {{ .env }}_SSL_TRUSTSTORELOCATION
  value: {{ printf "%s/truststore.p12" .dir | quote }}
- name: {{ .env }}_SSL_TRUSTSTORETYPE
  value: "PKCS12"
- name: {{ .env }}_SSL_TRUSTSTOREPASSWORD
  valueFrom: {secretKeyRef: {name: {{ $s.tlsSecret | quote }}, key: password}}
{{- if $s.clientCertificate }}
- name: {{ .env }}_SSL_KEYSTORELOCATION
  value: {{ printf "%s/keystore.p12" .dir | quote }}
- name: {{ .env }}_SSL_KEYSTORETYPE
  value: "PKCS12"
- name: {{ .env }}_SSL_KEYSTOREPASSWORD
  valueFrom: {secretKeyRef: {name: {{ $s.tlsSecret | quote }}, key: keystore-password}}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
