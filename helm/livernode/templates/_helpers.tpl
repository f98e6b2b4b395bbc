{{- define "livernode.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "livernode.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "livernode.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "livernode.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "livernode.instanceLabels" -}}
app.kubernetes.io/name: {{ include "livernode.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The node's pods only: the Services and the Deployment must not pick up a training pod. */}}
{{- define "livernode.selectorLabels" -}}
{{ include "livernode.instanceLabels" . }}
app.kubernetes.io/component: node
{{- end -}}

{{- define "livernode.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.gpu.enabled -}}
{{- $tag = .Values.image.gpuTag | default (printf "%s-gpu" $tag) -}}
{{- end -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{- define "livernode.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "livernode.fullname" .)) -}}
{{- end -}}

{{- define "livernode.accessMode" -}}
{{- .Values.persistence.accessMode | default (ternary "ReadWriteMany" "ReadWriteOnce" (gt (int .Values.replicaCount) 1)) -}}
{{- end -}}

{{/* Settings the chart cannot run with: fail at helm template/install, not in a crash-looping pod. */}}
{{- define "livernode.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.postgresql.enabled) -}}
{{- fail (printf "replicaCount=%d needs postgresql.enabled=true: the embedded H2 database serves one replica only (series completion and the job queue must be shared)" (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.persistence.enabled) -}}
{{- fail (printf "replicaCount=%d needs persistence.enabled=true: every replica must see every received file on one shared volume" (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (eq (include "livernode.accessMode" .) "ReadWriteOnce") -}}
{{- fail (printf "replicaCount=%d needs persistence.accessMode=ReadWriteMany, found ReadWriteOnce" (int .Values.replicaCount)) -}}
{{- end -}}
{{- if .Values.postgresql.enabled -}}
{{- if not .Values.postgresql.jdbcUrl -}}
{{- fail "postgresql.enabled=true needs postgresql.jdbcUrl, e.g. jdbc:postgresql://postgres:5432/livernode" -}}
{{- end -}}
{{- if not .Values.postgresql.existingSecret -}}
{{- fail "postgresql.enabled=true needs postgresql.existingSecret: the Secret holding the database user and password" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The environment both the node and the training Job run with. */}}
{{- define "livernode.env" -}}
- name: JAVA_OPTS
  value: {{ .Values.javaOpts | quote }}
{{- if .Values.postgresql.enabled }}
- name: QUARKUS_DATASOURCE_POSTGRESQL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.usernameKey }}
- name: QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.passwordKey }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "livernode.nodeSelector" -}}
{{- $selector := deepCopy .Values.nodeSelector -}}
{{- if .Values.gpu.enabled -}}
{{- $selector = merge $selector .Values.gpu.nodeSelector -}}
{{- end -}}
{{- with $selector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $tolerations := .Values.tolerations -}}
{{- if .Values.gpu.enabled -}}
{{- $tolerations = concat $tolerations .Values.gpu.tolerations -}}
{{- end -}}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "livernode.resources" -}}
{{- $resources := deepCopy (.resources | default dict) -}}
{{- if .gpu.enabled -}}
{{- $limits := get $resources "limits" | default dict -}}
{{- $_ := set $limits .gpu.resourceName (.gpu.count | int) -}}
{{- $_ := set $resources "limits" $limits -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}

{{/*
The pod template of an offline command (train, retrain) on the node's data volume, database and settings:
dict "root" $ "component" NAME "command" COMMAND "args" LIST "resources" MAP. Its labels are not the node's,
so it receives no DICOM association and is no replica.
*/}}
{{- define "livernode.commandPod" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "livernode.instanceLabels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  restartPolicy: Never
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .command }}
      image: {{ include "livernode.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args:
        - {{ .command }}
        {{- range .args }}
        - {{ . | quote }}
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "livernode.fullname" $root }}
      env:
        {{- include "livernode.env" $root | nindent 8 }}
      resources:
        {{- include "livernode.resources" (dict "resources" (.resources | default $root.Values.resources) "gpu" $root.Values.gpu) | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: data
          mountPath: /data
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: data
      {{- if $root.Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ include "livernode.claimName" $root }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    - name: tmp
      emptyDir: {}
  {{- include "livernode.nodeSelector" $root | trim | nindent 2 }}
{{- end }}
