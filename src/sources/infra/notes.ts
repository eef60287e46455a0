// What each infrastructure place means for a secret, and the fix: attached to every finding made there.

/** The `note` of each infrastructure place: why a secret there is exposed, and the fix. */
export const NOTES = {
  dockerfileEnv:
    'ENV values are baked into the image config (docker inspect, docker history): pass secrets at run time, or mount them during the build with RUN --mount=type=secret.',
  dockerfileArg:
    'Build ARG values are recorded in the image history (docker history): use RUN --mount=type=secret (docker build --secret) instead.',
  dockerfileRun:
    'RUN commands are recorded in the image history and what they write stays in a layer: use RUN --mount=type=secret (docker build --secret) instead.',
  dockerfileCopy:
    'Files copied into an image stay in its layers, even when a later step deletes them: exclude them in .dockerignore and mount them with RUN --mount=type=secret.',
  dockerfileLabel: 'Labels are part of the image config and visible to anyone who can pull the image.',
  composeEnvironment:
    'Values in a compose file are committed and visible in docker inspect: reference them (${VAR}) and keep the values out of git (Vault, or an uncommitted .env).',
  composeBuildArgs:
    'Build args are recorded in the image history: use build secrets (secrets: + RUN --mount=type=secret) instead.',
  composeEnvFile:
    'env_file points to a file with environment values: it must not be committed (.gitignore it; keep the values in Vault).',
  configMap:
    'ConfigMaps are not for secrets (anyone who can read the ConfigMap sees them): store the value in Vault and sync it into a Secret with an ExternalSecret.',
  secret:
    'A Secret manifest in git exposes its values (base64 is not encryption): store the value in Vault and let an ExternalSecret create the Secret.',
  podEnv:
    'A literal env value in a pod spec is committed with the manifest: store it in Vault, sync it with an ExternalSecret and use valueFrom.secretKeyRef.',
  kustomizeSecret:
    'secretGenerator literals are committed in plain text: store the value in Vault and use an ExternalSecret instead.',
  sopsUnencrypted:
    'This file is SOPS-encrypted (sops metadata, or a SOPS file name) but this value is in plain text: the decrypted file was committed. Rotate the value, encrypt the file again (sops encrypt --in-place FILE) and purge the plain version from git history.',
  unsealedSecret:
    'This Secret has a SealedSecret of the same name in the same file: the plain Secret is what kubeseal encrypted, and it must not be committed. Rotate the values, delete the Secret manifest (keep only the SealedSecret) and purge it from git history.',
  unsealedSecretInFolder:
    'This Secret has a SealedSecret of the same name in another file of the same folder: the plain Secret is what kubeseal encrypted, and it must not be committed. Rotate the values, delete the Secret manifest (keep only the SealedSecret) and purge it from git history.',
  helmValues:
    'Values files are committed and rendered into manifests: keep secrets out of them (Vault + ExternalSecret, or --set at deploy time from a secret store).',
  ciLog:
    'The value was printed in a CI log, which anyone with read access to the runs can download: rotate it, delete the run logs, and mask it (::add-mask::).',
  imageEnv: 'ENV baked into the image config is visible to anyone who can pull the image (docker inspect).',
  imageHistory: 'The build command is recorded in the image history (docker history): use build secrets (RUN --mount=type=secret).',
  imageLayer: 'A file in an image layer can be extracted by anyone who can pull the image, even when a later layer deletes it.',
} as const;
