{{/* The chart name, or nameOverride. */}}
{{- define "hubble-tls-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of the release's objects: fullnameOverride, or the release name, followed by
the chart name unless the release name already contains it. 63 characters at most, since
some names become DNS labels.
*/}}
{{- define "hubble-tls-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "hubble-tls-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the pods; never change them on upgrade. */}}
{{- define "hubble-tls-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hubble-tls-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "hubble-tls-agent.labels" -}}
helm.sh/chart: {{ include "hubble-tls-agent.chart" . }}
{{ include "hubble-tls-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cilium
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "hubble-tls-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hubble-tls-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: repository, then the digest if set, else the tag or appVersion. */}}
{{- define "hubble-tls-agent.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
The pod security context: podSecurityContext with the identity that opens the Hubble socket.
The socket is mode 0660 root:<gid>, so the agent either carries that gid as a supplemental
group (the default, non-root) or runs as root. Without either it could not open the socket,
so the render fails and says how to find the gid.
*/}}
{{- define "hubble-tls-agent.podSecurityContext" -}}
{{- $context := deepCopy .Values.podSecurityContext }}
{{- if .Values.hubbleSocket.runAsRoot }}
{{- $_ := set $context "runAsNonRoot" false }}
{{- $_ := set $context "runAsUser" 0 }}
{{- $_ := set $context "runAsGroup" 0 }}
{{- $_ := unset $context "fsGroup" }}
{{- else }}
{{- $gid := required (include "hubble-tls-agent.groupIdRemedy" .) .Values.hubbleSocket.groupId }}
{{- $groups := without (default (list) $context.supplementalGroups) $gid }}
{{- $_ := set $context "supplementalGroups" (prepend $groups $gid) }}
{{- end }}
{{- toYaml $context }}
{{- end }}

{{- define "hubble-tls-agent.groupIdRemedy" -}}
{{- /* Helm formats this text: it must not contain a percent sign. */ -}}
{{- $socket := printf "%s/%s" .Values.hubbleSocket.hostPath .Values.hubbleSocket.socketName -}}
hubbleSocket.groupId is required. The agent runs as a non-root user and opens {{ $socket }}
(mode 0660) through the socket's group. Read that group id, the number after "Gid:", with
  kubectl -n kube-system exec ds/cilium -c cilium-agent -- stat {{ $socket }}
then install with --set hubbleSocket.groupId=<gid>, or with --set hubbleSocket.runAsRoot=true.
{{- end }}

{{/*
Fails the render when a server-certificate item would project a private key. The template
projects only items.cert and items.ca; this guards against pointing either at the key.
*/}}
{{- define "hubble-tls-agent.serverCertItem" -}}
{{- $item := .item }}
{{- if or (not $item.key) (not $item.path) }}
{{- fail (printf "serverCerts.items.%s needs both key and path" .name) }}
{{- end }}
{{- if hasSuffix ".key" $item.key }}
{{- fail (printf "serverCerts.items.%s.key is %q: the Hubble server's private key is never mounted. Point it at the certificate (tls.crt) or the CA (ca.crt)." .name $item.key) }}
{{- end }}
- key: {{ $item.key | quote }}
  path: {{ $item.path | quote }}
{{- end }}

{{/* Seconds in a duration written as <n>s, <n>m or <n>h (the schema allows only those). */}}
{{- define "hubble-tls-agent.seconds" -}}
{{- $amount := regexFind "^[0-9]+" . | int }}
{{- $unit := regexFind "[smh]$" . }}
{{- mul $amount (get (dict "s" 1 "m" 60 "h" 3600) $unit) }}
{{- end }}

{{/* OTEL_RESOURCE_ATTRIBUTES: where the agent runs, then otel.resourceAttributes. */}}
{{- define "hubble-tls-agent.resourceAttributes" -}}
{{- $attributes := list "k8s.node.name=$(NODE_NAME)" "k8s.pod.name=$(POD_NAME)" "k8s.namespace.name=$(POD_NAMESPACE)" }}
{{- range $key, $value := .Values.otel.resourceAttributes }}
{{- $attributes = append $attributes (printf "%s=%v" $key $value) }}
{{- end }}
{{- join "," $attributes }}
{{- end }}
