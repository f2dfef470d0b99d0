import { createContext, useContext } from 'react';

export type Language = 'zh-CN' | 'en';

/** The console's words in both languages; the hub's own texts (reasons, rule hits) come localized. */
const WORDS = {
  title: ['CreditGraph 风控台', 'CreditGraph risk console'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  demoRoles: ['以演示角色登录', 'Sign in as a demo role'],
  pasteToken: ['或粘贴令牌', 'Or paste a token'],
  token: ['令牌', 'Token'],
  tokenInvalid: ['这不是令牌（JWT）', 'This is not a token (JWT)'],
  enterprises: ['企业', 'Enterprises'],
  searchByName: ['按名称搜索', 'Search by name'],
  search: ['搜索', 'Search'],
  found: ['共 {n} 家', '{n} found'],
  next: ['下一页', 'Next page'],
  previous: ['上一页', 'Previous page'],
  name: ['名称', 'Name'],
  uscc: ['统一社会信用代码', 'USCC'],
  status: ['状态', 'Status'],
  region: ['地区', 'Region'],
  industry: ['行业', 'Industry'],
  established: ['成立日期', 'Established'],
  legalForm: ['企业类型', 'Legal form'],
  capital: ['注册资本', 'Registered capital'],
  legalRepresentative: ['法定代表人', 'Legal representative'],
  registry: ['工商信息', 'Registry'],
  shareholders: ['股东', 'Shareholders'],
  holder: ['股东名称', 'Holder'],
  share: ['持股比例', 'Share'],
  since: ['自', 'Since'],
  monthly: ['月度经营', 'Month by month'],
  invoiceSales: ['开票销售额（元）', 'Invoice sales (yuan)'],
  declaredRevenue: ['增值税申报收入（元）', 'VAT declared revenue (yuan)'],
  taxPaid: ['已缴税额（元）', 'Tax paid (yuan)'],
  electricity: ['用电量（kWh）', 'Electricity (kWh)'],
  court: ['司法记录', 'Court records'],
  cases: ['涉诉案件', 'Cases'],
  enforcements: ['被执行', 'Enforcements'],
  none: ['无', 'None'],
  freshness: ['数据时效', 'Data freshness'],
  source: ['数据源', 'Source'],
  lastObserved: ['最近获取', 'Last observed'],
  riskView: ['风险视图', 'Risk view'],
  asOf: ['评估时点', 'As of'],
  now: ['现在', 'Now'],
  score: ['评分', 'Score'],
  grade: ['等级', 'Grade'],
  decision: ['决策', 'Decision'],
  pd: ['违约概率', 'Probability of default'],
  limit: ['建议额度', 'Recommended limit'],
  price: ['建议利率', 'Price'],
  reasons: ['原因', 'Reasons'],
  ruleHits: ['规则命中', 'Rule hits'],
  features: ['特征', 'Features'],
  value: ['值', 'Value'],
  missing: ['缺失', 'missing'],
  back: ['返回列表', 'Back to the list'],
  loading: ['加载中…', 'Loading…'],
  notFound: ['没有这家企业', 'No such enterprise'],
  language: ['English', '中文'],
  APPROVE: ['批准', 'Approve'],
  REVIEW: ['人工审核', 'Review'],
  DECLINE: ['拒绝', 'Decline'],
} satisfies Record<string, [string, string]>;

export type Word = keyof typeof WORDS;

export const LanguageContext = createContext<Language>('zh-CN');

export function useT() {
  const language = useContext(LanguageContext);
  const index = language === 'zh-CN' ? 0 : 1;
  return {
    language,
    t: (word: Word, values: Record<string, string | number> = {}) => WORDS[word][index].replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? '')),
    /** A text the hub sends in both languages. */
    local: (text: { zhCN: string; en: string }) => (language === 'zh-CN' ? text.zhCN : text.en),
  };
}
