import { maskIdNumber, maskName, maskWholly } from './person.js';
import { checkResidentId } from './resident-id.js';

/**
 * Natural persons' data in upstream payloads, wherever it sits: under the keys a connector's
 * manifest names, under keys that only look like them (a field renamed by the upstream, say
 * `PersonName` for `Name`), and in free text (a registry change "法定代表人由张三变更为李四"). Raw
 * and quarantined payloads are evidence the hub keeps, and the people who run the sources see
 * them; this is what stands between those payloads and the people who must not see the persons
 * in them (PIPL: the minimum necessary).
 */

// The commonest Chinese surnames: most personal names open with one.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方顾钱严戴邵孟秦尹薛葛付侯白雷龙段郝孔邱史毛常万乔易武贺赖龚文熊邹陶傅江牛汤黎';
const NAME = `[${SURNAMES}]\\p{Script=Han}{1,2}`;
/** What may follow a name in running text. */
const AFTER_NAME = '(?=$|[^\\p{Script=Han}]|变更|改为|诉|与|等|的|为|出资|持股|担任|任|因|向|和|及|系)';
/**
 * A name in running text: up to three characters where what follows shows where it ends, else
 * three whatever follows (a character too many masked rather than one too few).
 */
const NAME_IN_TEXT = `[${SURNAMES}](?:\\p{Script=Han}{2}${AFTER_NAME}|\\p{Script=Han}${AFTER_NAME}|\\p{Script=Han}{1,2})`;
/** A role word, then a name: "法定代表人：张三", "股东李四", "法定代表人由张三变更为李四". */
const ROLE_THEN_NAME = new RegExp(
  `(法定代表人|法人代表|法人|股东|发起人|负责人|经营者|投资人|执行董事|董事长|董事|监事|总经理|经理|财务负责人|联系人|被执行人|当事人|原告|被告|申请人|被申请人|代理人|变更为|改为|由)([：:为是]?\\s*)(${NAME_IN_TEXT})`,
  'gu',
);
/** A value that is nothing but names: "张三", "张三、李四". */
const ONLY_NAMES = new RegExp(`^\\s*${NAME}(\\s*[、，,;；/]\\s*${NAME})*\\s*$`, 'u');
const NAME_IN_LIST = new RegExp(NAME, 'gu');
/** Resident ID numbers (checked: birth date and check character), clear or kept masked (6 and 4 characters). */
const RESIDENT_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const KEPT_ID = /(?<![0-9A-Za-z])\d{6}\*{8}\d{3}[\dXx](?![0-9A-Za-z])/g;
/** Mainland mobile numbers. */
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/** Keys that hold a person's name in one upstream or another, including drifted spellings. */
const NAME_KEY = /name|^xm$|xm$|xingming|oper|person|legal|fddbr|frdb|lxr|contact|dsr|bzxr|partner/i;
const ID_KEY = /sfz|zjhm|idcard|id_?no|id_?number|idnum|cert_?no|zjh/i;
const ADDRESS_KEY = /addr|address|dizhi|zhuzhi|^dz$|^zs$/i;
const PHONE_KEY = /phone|mobile|tel|sjhm|lxdh|dianhua/i;

export interface PersonalKeys {
  /** The manifest's keys of persons' names. */
  names: ReadonlySet<string>;
  /** The manifest's keys of resident ID numbers. */
  idNumbers: ReadonlySet<string>;
}

/**
 * The payload with every natural person's data masked that can be found: by key (the manifest's
 * and any that looks like a name, ID number, phone or address key), by pattern (ID numbers and
 * mobile numbers anywhere, names after a role word or alone in a value), and by name (`known`:
 * the persons the hub knows around the record, and every name found under a name key of the
 * payload, wherever else it appears).
 */
export function maskPersonalData(payload: unknown, keys: PersonalKeys, known: readonly string[] = []): unknown {
  const names = new Set(known.filter((name) => [...name].length >= 2));
  collectNames(payload, keys, names);
  // Longest first, so "欧阳明" is not left half-masked by "欧阳".
  const byLength = [...names].sort((a, b) => b.length - a.length);
  return maskValue(payload, keys, byLength, null);
}

function collectNames(value: unknown, keys: PersonalKeys, into: Set<string>, key: string | null = null): void {
  if (Array.isArray(value)) for (const item of value) collectNames(item, keys, into, key);
  else if (typeof value === 'object' && value !== null) for (const [field, item] of Object.entries(value)) collectNames(item, keys, into, field);
  else if (typeof value === 'string' && key !== null && isNameKey(key, keys) && [...value.trim()].length >= 2 && [...value.trim()].length <= 4) into.add(value.trim());
}

/** Name keys of things, not people: an enterprise's, a change item's, a court's, goods'. */
const THING_KEY = /ent|company|corp|org|project|item|product|goods|bank|court|fymc|spmc|xmmc|hwmc/i;
const isNameKey = (key: string, keys: PersonalKeys) => keys.names.has(key) || (NAME_KEY.test(key) && !THING_KEY.test(key));

function maskValue(value: unknown, keys: PersonalKeys, names: readonly string[], key: string | null): unknown {
  if (Array.isArray(value)) return value.map((item) => maskValue(item, keys, names, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([field, item]) => [field, maskValue(item, keys, names, field)]));
  if (typeof value === 'number' && key !== null && (keys.idNumbers.has(key) || ID_KEY.test(key) || PHONE_KEY.test(key))) return maskWholly(String(value));
  if (typeof value !== 'string') return value;
  if (key !== null) {
    if (keys.idNumbers.has(key) || ID_KEY.test(key)) return maskWholly(value);
    if (isNameKey(key, keys)) return maskName(value);
    if (ADDRESS_KEY.test(key)) return [...value].slice(0, 6).join('') + '*'.repeat(Math.max(0, [...value].length - 6));
    if (PHONE_KEY.test(key)) return value.replace(/\d(?=\d{4})/g, '*');
  }
  return maskText(value, names);
}

/** Free text with persons' names, ID numbers and mobile numbers masked. */
export function maskText(text: string, names: readonly string[] = []): string {
  if (ONLY_NAMES.test(text)) return text.replace(NAME_IN_LIST, maskName);
  let masked = text.replace(RESIDENT_ID, (found) => (checkResidentId(found).valid ? maskWholly(found) : found)).replace(KEPT_ID, maskWholly);
  masked = masked.replace(MOBILE, (_, head: string, _middle: string, tail: string) => `${head}****${tail}`);
  for (const name of names) masked = masked.replaceAll(name, maskName(name));
  return masked.replace(ROLE_THEN_NAME, (_, role: string, separator: string, name: string) => `${role}${separator}${maskName(name)}`);
}

/**
 * Resident ID numbers found anywhere in a payload (a drifted key, free text), masked as the hub
 * keeps them (the first 6 and last 4 characters), before the payload is stored: no clear number
 * is ever kept, whatever key it came under.
 */
export function maskIdNumbersForKeeping(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskIdNumbersForKeeping);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskIdNumbersForKeeping(item)]));
  if (typeof value !== 'string') return value;
  return value.replace(RESIDENT_ID, (found) => (checkResidentId(found).valid ? maskIdNumber(found) : found));
}
