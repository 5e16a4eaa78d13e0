{{/* Chart name, shortened to 63 characters. */}}
{{- define "profiler-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name already holds the chart name. */}}
{{- define "profiler-operator.fullname" -}}
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

{{/* chart-version label value. */}}
{{- define "profiler-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "profiler-operator.labels" -}}
helm.sh/chart: {{ include "profiler-operator.chart" . }}
{{ include "profiler-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: profiler-operator
{{- end }}

{{/* Labels that select the controller pods. */}}
{{- define "profiler-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "profiler-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{/* The ServiceAccount's name. */}}
{{- define "profiler-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "profiler-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: repository@digest, or repository:tag (appVersion by default). */}}
{{- define "profiler-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on: asked for, or more than one replica. */}}
{{- define "profiler-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/* The RBAC rules on ProfileJobs, ProfileSchedules and Events (cluster-wide or per watched
namespace). The controller watches ProfileJobs, patches their finalizer (a JSON patch) and status
(merge patches), creates them for schedules, deletes them past ttlSecondsAfterFinished and beyond
a schedule's history limits, and never updates (PUTs) them. It watches ProfileSchedules and
patches their status; a schedule's jobs name it as their owner with blockOwnerDeletion, which the
API server allows only to who may update the schedule's finalizers. */}}
{{- define "profiler-operator.jobRules" -}}
- apiGroups: ["profiler.dev"]
  resources: ["profilejobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["profiler.dev"]
  resources: ["profilejobs/status"]
  verbs: ["patch"]
- apiGroups: ["profiler.dev"]
  resources: ["profilejobs/finalizers"]
  verbs: ["update"]
- apiGroups: ["profiler.dev"]
  resources: ["profileschedules"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["profiler.dev"]
  resources: ["profileschedules/status"]
  verbs: ["patch"]
- apiGroups: ["profiler.dev"]
  resources: ["profileschedules/finalizers"]
  verbs: ["update"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
# A ProfileJob's rules in a ConfigMap of its namespace (spec.rules.configMapRef), read when an
# attempt is submitted: get only (no list or watch).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
{{- end }}

{{/* The RBAC rules on the cluster-scoped ProfilerRuntimes. */}}
{{- define "profiler-operator.runtimeRules" -}}
- apiGroups: ["profiler.dev"]
  resources: ["profilerruntimes"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["profiler.dev"]
  resources: ["profilerruntimes/status"]
  verbs: ["patch"]
{{- end }}
