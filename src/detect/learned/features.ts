// Numeric features of a generic candidate (its value, name, file and line) for the learned filter. No raw characters.
import { shannonEntropy } from '../entropy.js';

/** What the learned filter sees of a candidate: all plain strings, looked at in memory only. */
export interface CandidateText {
  secret: string;
  /** Name at the leak site (`DB_PASSWORD`, `"token"`), when one was recognised. */
  identifier?: string;
  path: string;
  /** The line(s) of the secret, as a finding's `line`. */
  line: string;
  place?: string;
}

// Common words of weak passwords and of non-secret values (names, placeholders, code words).
const WORDS = (
  'password passwd secret admin administrator welcome summer winter spring autumn monkey dragon master qwerty ' +
  'letmein shadow sunshine princess football baseball login access test testing demo user guest root default ' +
  'change hello world love money super server data base mysql postgres redis oracle example sample dummy fake ' +
  'mock my key token value name string config local host dev prod staging app api web site mail email service ' +
  'account system manager client public private open secure security auth pass word changeme none null true ' +
  'false yes no placeholder your here some foo bar baz xyz abc db username company project boot java python ' +
  'node react docker jenkins build deploy release version number file path http https www com org net json xml ' +
  'yaml type text field input values new old get set update create delete read write list item items'
)
  .split(' ')
  .filter((w) => w.length >= 3)
  .sort((a, b) => b.length - a.length);
const PLACEHOLDER = /x{3,}|\*{3,}|example|sample|dummy|fake|your|changeme|placeholder|redacted|todo|replace|insert|enter|<|>|\.\.\./i;
const HASH_PREFIX = /^(?:\$(?:2[abxy]?|5|6|argon2i?d?|pbkdf2[\w-]*|scrypt|apr1|1)\$|\{(?:SSHA|SHA|MD5|CRYPT|SSHA512|PBKDF2)[^}]*\}|pbkdf2|sha\d+[:$]|md5[:$])/i;
const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|java|kt|kts|scala|go|rb|php|cs|c|cc|cpp|h|hpp|rs|swift|m|pl|sh|bash|ps1|groovy|dart|lua|r|vb|sql)$/i;
const CONFIG_EXT = /(?:\.(?:ya?ml|json|toml|ini|cfg|conf|config|properties|env|xml|plist|tf|tfvars|hcl|gradle|lock)|(?:^|\/)\.env[^/]*|(?:^|\/)(?:Dockerfile|docker-compose[^/]*|\.npmrc|\.pypirc|\.netrc)[^/]*)$/i;
const DOC_EXT = /\.(?:md|markdown|rst|txt|adoc|html?|ipynb|tex)$/i;

/** Feature names, in the order `candidateFeatures` returns them; the committed weights must list the same. */
export const FEATURE_NAMES = [
  'v_len', 'v_short', 'v_long', 'v_lower', 'v_upper', 'v_digit', 'v_symbol', 'v_classes', 'v_entropy', 'v_entropy_rel',
  'v_hex', 'v_hash_len', 'v_uuid', 'v_base64', 'v_dict', 'v_letters_only', 'v_identifier', 'v_dotted', 'v_placeholder',
  'v_repeat', 'v_path_url', 'v_hash_prefix', 'v_sequence', 'v_digits_only_tail',
  'n_none', 'n_password', 'n_secret', 'n_token', 'n_key', 'n_auth', 'n_not_secret', 'n_len',
  'f_code', 'f_config', 'f_doc', 'f_test', 'f_example', 'f_docs_path', 'f_place',
  'l_len', 'l_comment', 'l_quoted', 'l_call', 'l_compare', 'l_env_read', 'l_url', 'l_markup',
] as const;

const bit = (b: boolean): number => (b ? 1 : 0);
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The feature vector of a candidate, each feature in [0, 1], rounded to three decimals. */
export function candidateFeatures(c: CandidateText): number[] {
  const v = c.secret;
  const n = Math.max(1, v.length);
  const count = (re: RegExp): number => (v.match(re) ?? []).length;
  const lower = count(/[a-z]/g);
  const upper = count(/[A-Z]/g);
  const digit = count(/[0-9]/g);
  const symbol = v.length - lower - upper - digit;
  const entropy = shannonEntropy(v);
  const name = (c.identifier ?? '').toLowerCase();
  const path = c.path.toLowerCase();
  const line = c.line;
  const at = line.indexOf(v);
  const before = at >= 0 ? line.slice(0, at) : line;
  const features = [
    Math.min(v.length, 64) / 64,
    bit(v.length < 8),
    bit(v.length >= 24),
    lower / n,
    upper / n,
    digit / n,
    symbol / n,
    [lower, upper, digit, symbol].filter((k) => k > 0).length / 4,
    Math.min(entropy, 6) / 6,
    v.length > 1 ? Math.min(1, entropy / Math.log2(v.length)) : 0,
    bit(/^[0-9a-f]+$/i.test(v) && v.length >= 16),
    bit(/^[0-9a-f]+$/i.test(v) && [32, 40, 56, 64, 96, 128].includes(v.length)),
    bit(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(v)),
    bit(/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(v) && lower > 0 && upper > 0 && digit > 0),
    dictionaryCover(v),
    bit(/^[A-Za-z]+$/.test(v)),
    bit(/^[a-z]+(?:[A-Z][a-z0-9]*)+$|^[a-z]+(?:_[a-z0-9]+)+$|^[A-Z]+(?:_[A-Z0-9]+)+$/.test(v)),
    bit(/[A-Za-z_]\.[A-Za-z_]/.test(v)),
    bit(PLACEHOLDER.test(v)),
    longestRun(v) / n,
    bit(/\/|:\/\//.test(v)),
    bit(HASH_PREFIX.test(v)),
    bit(/0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef|qwer|asdf/i.test(v)),
    bit(/^[A-Za-z]+[0-9]{1,4}[!.?#@$]?$/.test(v)),
    bit(name === ''),
    bit(/passw|passwd|pwd|pass$|^pass|_pass/.test(name)),
    bit(/secret/.test(name)),
    bit(/token/.test(name)),
    bit(/key/.test(name)),
    bit(/auth|cred/.test(name)),
    bit(/(?:^|[_.\-])(?:id|name|user(?:name)?|file|path|url|uri|hash|salt|public|type|len(?:gth)?|field|label|hint|placeholder|prompt|policy|format)(?:$|[_.\-])|[a-z](?:Id|Name|File|Path|Url|Hash|Type)$/.test(c.identifier ?? '') || /hash|salt|public/.test(name)),
    Math.min(name.length, 32) / 32,
    bit(CODE_EXT.test(path)),
    bit(CONFIG_EXT.test(path)),
    bit(DOC_EXT.test(path)),
    bit(/(?:^|[/_.\-])(?:tests?|spec|specs|__tests__|testdata|fixtures?|mocks?)(?:$|[/_.\-])/.test(path)),
    bit(/(?:^|[/_.\-])(?:examples?|samples?|demos?|templates?|tutorials?)(?:$|[/_.\-])/.test(path)),
    bit(/(?:^|\/)(?:docs?|documentation|wiki|man)(?:\/|$)/.test(path)),
    bit(c.place !== undefined),
    Math.min(line.length, 400) / 400,
    bit(/^\s*(?:#|\/\/|\/\*|\*|--|;|<!--|rem\b)/i.test(line)),
    bit(/["'`]$/.test(before.trimEnd())),
    bit(/\w\(/.test(before)),
    bit(/==|!=|assert|expect\(|should/i.test(line)),
    bit(/getenv|environ|process\.env|ENV\[|System\.getProperty|config\.get/i.test(line)),
    bit(/:\/\//.test(line)),
    bit(/<\/?[A-Za-z][\w:-]*[\s>]/.test(line)),
  ];
  return features.map(round);
}

/** Share of the value's characters covered by common words (3+ letters), case-insensitive. */
function dictionaryCover(v: string): number {
  const lower = v.toLowerCase();
  const covered = new Uint8Array(lower.length);
  for (const w of WORDS) {
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) covered.fill(1, i, i + w.length);
  }
  return covered.reduce((a, b) => a + b, 0) / Math.max(1, lower.length);
}

function longestRun(v: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < v.length; i++) {
    run = i > 0 && v[i] === v[i - 1] ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}
