{{/* Internal gRPC over TLS (values grpcTls): the Secret mounted at /grpc-tls and the settings
     that make a role serve gRPC with it (side "server": publisher, orchestrator) or call with it
     (side "ingest": its channel to the publisher; side "worker": its channels to the
     orchestrators), as YAML with the lists env, mounts and volumes, all empty when grpcTls is
     off. The SSL bundles are named gateway-grpc-server and gateway-grpc-client; their names hold
     dashes, which an environment variable cannot carry in a map key, so they travel in
     SPRING_APPLICATION_JSON. Arguments: root, side. */}}
{{- define "eg.grpcTls" -}}
{{- $tls := .root.Values.grpcTls -}}
{{- $out := dict "env" (list) "mounts" (list) "volumes" (list) -}}
{{- if $tls.enabled }}
{{- if not $tls.secret }}
{{- fail "grpcTls.enabled needs grpcTls.secret: the name of a Secret with tls.crt, tls.key and ca.crt (the shape cert-manager writes)" }}
{{- end }}
{{- $name := ternary "gateway-grpc-server" "gateway-grpc-client" (eq .side "server") -}}
{{- $bundle := dict "keystore" (dict "certificate" "file:/grpc-tls/tls.crt" "private-key" "file:/grpc-tls/tls.key") "truststore" (dict "certificate" "file:/grpc-tls/ca.crt") -}}
{{- $spring := dict "ssl" (dict "bundle" (dict "pem" (dict $name $bundle))) -}}
{{- $settings := dict "spring" $spring -}}
{{- if eq .side "server" }}
{{- /* mutual: a caller without a certificate signed by ca.crt fails the handshake. */}}
{{- $_ := set $spring "grpc" (dict "server" (dict "ssl" (dict "bundle" $name "client-auth" (ternary "require" "none" (ne (toString $tls.mutual) "false"))))) -}}
{{- else if eq .side "ingest" }}
{{- $_ := set $spring "grpc" (dict "client" (dict "channels" (dict "publisher" (dict "ssl" (dict "bundle" $name))))) -}}
{{- else if eq .side "worker" }}
{{- $_ := set $settings "gateway" (dict "worker" (dict "tls" (dict "bundle" $name))) -}}
{{- else }}
{{- fail (printf "eg.grpcTls: unknown side %q" .side) }}
{{- end }}
{{- $_ := set $out "env" (list (dict "name" "SPRING_APPLICATION_JSON" "value" (toJson $settings))) -}}
{{- $_ := set $out "mounts" (list (dict "name" "grpc-tls" "mountPath" "/grpc-tls" "readOnly" true)) -}}
{{- $_ := set $out "volumes" (list (dict "name" "grpc-tls" "secret" (dict "secretName" $tls.secret))) -}}
{{- end }}
{{- toYaml $out -}}
{{- end -}}
