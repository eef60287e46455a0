// Who wrote a report: the tool's name and where to read about it.

/** The tool name reports carry (SARIF `tool.driver.name`, JSON `tool.name`). */
export const TOOL_NAME = 'spillway';

/** NOTE: the project's home page; update it here when the repository's public address is settled. */
export const TOOL_INFORMATION_URI = 'https://github.com/spillway/spillway';

/** Default advice for rules that do not carry their own remediation text. */
export const DEFAULT_REMEDIATION =
  'Revoke or rotate the secret at its provider first (it must be treated as compromised), then remove it from ' +
  'the code and load it from a secret store or the environment instead. Removing it from git history does not ' +
  'make it safe again.';
