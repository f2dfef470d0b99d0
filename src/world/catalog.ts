/**
 * Fixed vocabularies of the demo portfolio: regions (with their courts, tax bureaus, market
 * regulators and utilities), industries (with invoice sizes, seasonality and energy
 * intensity), name parts, and the registry's and courts' wording.
 */

export interface Region {
  /** 6-digit administrative division code (GB/T 2260). */
  code: string;
  /** The district as written in addresses and authority names, e.g. 苏州市虎丘区. */
  district: string;
  /** The district alone, used by individual businesses' names, e.g. 虎丘区. */
  districtShort: string;
  /** The place word in company names, e.g. 苏州. */
  city: string;
  province: string;
  /** The province abbreviation in case numbers, e.g. 苏. */
  provinceAbbr: string;
  /** The basic court's code inside case numbers, e.g. 苏0505. */
  courtCode: string;
  court: string;
  /** The intermediate court (bankruptcy, appeals) and its code. */
  intermediateCourt: string;
  intermediateCourtCode: string;
  taxBureau: string;
  marketRegulator: string;
  gridCompany: string;
  waterCompany: string;
  /** Relative weight: the bank lends mostly around Suzhou. */
  weight: number;
}

const jiangsuGrid = (city: string) => `国网江苏省电力有限公司${city}供电分公司`;
const zhejiangGrid = (city: string) => `国网浙江省电力有限公司${city}供电公司`;

function region(
  code: string,
  district: string,
  districtShort: string,
  city: string,
  courtCode: string,
  court: string,
  weight: number,
): Region {
  const provinceAbbr = courtCode.charAt(0);
  const province = provinceAbbr === '苏' ? '江苏省' : provinceAbbr === '浙' ? '浙江省' : '上海市';
  const cityName = provinceAbbr === '沪' ? '上海市' : `${city}市`;
  const intermediate =
    provinceAbbr === '沪'
      ? { intermediateCourt: '上海市第一中级人民法院', intermediateCourtCode: '沪01' }
      : { intermediateCourt: `${cityName}中级人民法院`, intermediateCourtCode: `${provinceAbbr}${courtCode.slice(1, 3)}` };
  return {
    code,
    district,
    districtShort,
    city,
    province,
    provinceAbbr,
    courtCode,
    court,
    ...intermediate,
    taxBureau: `国家税务总局${district}税务局`,
    marketRegulator: `${district}市场监督管理局`,
    gridCompany:
      provinceAbbr === '苏' ? jiangsuGrid(city) : provinceAbbr === '浙' ? zhejiangGrid(city) : '国网上海市电力公司',
    waterCompany: provinceAbbr === '沪' ? '上海城投水务（集团）有限公司' : `${cityName}自来水有限公司`,
    weight,
  };
}

export const REGIONS: readonly Region[] = [
  region('320505', '苏州市虎丘区', '虎丘区', '苏州', '苏0505', '苏州市虎丘区人民法院', 10),
  region('320506', '苏州市吴中区', '吴中区', '苏州', '苏0506', '苏州市吴中区人民法院', 10),
  region('320507', '苏州市相城区', '相城区', '苏州', '苏0507', '苏州市相城区人民法院', 8),
  region('320508', '苏州市姑苏区', '姑苏区', '苏州', '苏0508', '苏州市姑苏区人民法院', 7),
  region('320509', '苏州市吴江区', '吴江区', '苏州', '苏0509', '苏州市吴江区人民法院', 8),
  region('320571', '苏州工业园区', '园区', '苏州', '苏0591', '苏州工业园区人民法院', 10),
  region('320581', '常熟市', '常熟市', '常熟', '苏0581', '常熟市人民法院', 5),
  region('320582', '张家港市', '张家港市', '张家港', '苏0582', '张家港市人民法院', 5),
  region('320583', '昆山市', '昆山市', '昆山', '苏0583', '昆山市人民法院', 7),
  region('320211', '无锡市滨湖区', '滨湖区', '无锡', '苏0211', '无锡市滨湖区人民法院', 3),
  region('320214', '无锡市新吴区', '新吴区', '无锡', '苏0214', '无锡市新吴区人民法院', 4),
  region('320411', '常州市新北区', '新北区', '常州', '苏0411', '常州市新北区人民法院', 3),
  region('320115', '南京市江宁区', '江宁区', '南京', '苏0115', '南京市江宁区人民法院', 3),
  region('330106', '杭州市西湖区', '西湖区', '杭州', '浙0106', '杭州市西湖区人民法院', 2),
  region('330110', '杭州市余杭区', '余杭区', '杭州', '浙0110', '杭州市余杭区人民法院', 3),
  region('330212', '宁波市鄞州区', '鄞州区', '宁波', '浙0212', '宁波市鄞州区人民法院', 2),
  region('330402', '嘉兴市南湖区', '南湖区', '嘉兴', '浙0402', '嘉兴市南湖区人民法院', 2),
  region('310115', '上海市浦东新区', '浦东新区', '上海', '沪0115', '上海市浦东新区人民法院', 4),
  region('310112', '上海市闵行区', '闵行区', '上海', '沪0112', '上海市闵行区人民法院', 2),
  region('310117', '上海市松江区', '松江区', '上海', '沪0117', '上海市松江区人民法院', 2),
];

/**
 * Regions of counterparties outside the portfolio. None is in REGIONS, so an outside USCC
 * can never equal a portfolio one.
 */
export const OUTSIDE_REGIONS: readonly { code: string; city: string }[] = [
  { code: '440305', city: '深圳' },
  { code: '440106', city: '广州' },
  { code: '110108', city: '北京' },
  { code: '340104', city: '合肥' },
  { code: '370212', city: '青岛' },
  { code: '420106', city: '武汉' },
  { code: '350203', city: '厦门' },
  { code: '510107', city: '成都' },
];

/** Birthplace codes of ID numbers: local, and the provinces many owners come from. */
export const BIRTHPLACE_CODES: readonly string[] = [
  '320505', '320506', '320508', '320583', '320582', '320211', '320411', '320102', '320982', '321323',
  '320721', '330106', '330212', '310115', '340121', '340822', '341222', '410526', '411521', '412726',
  '362329', '513922', '370882', '320281', '321088',
];

export type SeasonProfile = readonly number[];

export interface Industry {
  /** GB/T 4754 section letter and class. */
  code: string;
  name: string;
  /** Words for company names (苏州恒瑞<word>有限公司). */
  words: readonly string[];
  /** Words for individual businesses' names (<district><brand><word>). */
  shopWords: readonly string[];
  scope: string;
  weight: number;
  /** VAT rate of a general taxpayer, in percent. */
  vatRate: 13 | 9 | 6;
  /** Average sales invoices a month for a typical enterprise. */
  invoicesPerMonth: number;
  medianMonthlySalesYuan: number;
  season: SeasonProfile;
  /** Electricity: kWh per 10,000 yuan of sales, and a base load in kWh a month. */
  kwhPer10kYuan: number;
  baseKwh: number;
  /** Water: m³ per 10,000 yuan of sales, a base in m³, and the share of enterprises with their own account. */
  waterM3Per10kYuan: number;
  baseWaterM3: number;
  waterShare: number;
  /** Input VAT as a share of output VAT for a general taxpayer. */
  inputShare: number;
  /** Annual sales per insured employee, yuan. */
  salesPerHeadYuan: number;
  /** Pre-tax margin on sales in normal times. */
  margin: number;
}

const flat: SeasonProfile = [1, 0.8, 1, 1, 1, 1, 0.95, 0.95, 1, 1, 1.05, 1.25];
const manufacturing: SeasonProfile = [1, 0.65, 1, 1, 1, 1.05, 0.95, 0.95, 1.05, 1.05, 1.1, 1.2];
const construction: SeasonProfile = [0.7, 0.5, 0.9, 1, 1.05, 1.05, 0.95, 0.95, 1.05, 1.1, 1.2, 1.55];
const retail: SeasonProfile = [1.3, 1, 0.85, 0.9, 0.95, 0.95, 0.9, 0.9, 0.95, 1.05, 1.1, 1.15];
const catering: SeasonProfile = [1.25, 1, 0.85, 0.9, 0.95, 0.9, 0.9, 0.95, 1, 1.05, 1, 1.25];
const apparel: SeasonProfile = [0.9, 0.6, 0.85, 0.9, 0.9, 0.95, 1.05, 1.2, 1.3, 1.25, 1.1, 0.9];
const food: SeasonProfile = [1.35, 0.8, 0.8, 0.85, 0.9, 0.9, 0.9, 1.2, 1.4, 1, 0.9, 1];
const wholesale: SeasonProfile = [1.05, 0.7, 0.95, 1, 1, 1, 0.95, 0.95, 1, 1.05, 1.15, 1.2];

export const INDUSTRIES: readonly Industry[] = [
  {
    code: 'C3311', name: '金属结构制造', words: ['钢结构', '金属结构'], shopWords: ['钢材加工部'],
    scope: '金属结构制造；钢结构工程施工；金属材料销售', weight: 6, vatRate: 13, invoicesPerMonth: 2.5,
    medianMonthlySalesYuan: 900_000, season: manufacturing, kwhPer10kYuan: 380, baseKwh: 3_000,
    waterM3Per10kYuan: 3, baseWaterM3: 60, waterShare: 0.8, inputShare: 0.8, salesPerHeadYuan: 900_000, margin: 0.06,
  },
  {
    code: 'C3484', name: '机械零部件加工', words: ['精密机械', '机械制造', '精工'], shopWords: ['机械加工部'],
    scope: '机械零部件加工；通用设备制造；五金产品批发', weight: 8, vatRate: 13, invoicesPerMonth: 3.5,
    medianMonthlySalesYuan: 700_000, season: manufacturing, kwhPer10kYuan: 420, baseKwh: 2_500,
    waterM3Per10kYuan: 2, baseWaterM3: 50, waterShare: 0.8, inputShare: 0.75, salesPerHeadYuan: 700_000, margin: 0.08,
  },
  {
    code: 'C3982', name: '电子电路制造', words: ['电子科技', '电子', '电路科技'], shopWords: ['电子经营部'],
    scope: '电子电路制造；电子元器件制造；电子产品销售', weight: 6, vatRate: 13, invoicesPerMonth: 4,
    medianMonthlySalesYuan: 1_200_000, season: manufacturing, kwhPer10kYuan: 300, baseKwh: 4_000,
    waterM3Per10kYuan: 4, baseWaterM3: 80, waterShare: 0.9, inputShare: 0.78, salesPerHeadYuan: 800_000, margin: 0.07,
  },
  {
    code: 'C2927', name: '日用塑料制品制造', words: ['塑料制品', '塑胶', '塑业'], shopWords: ['塑料制品厂'],
    scope: '塑料制品制造；塑料制品销售；模具制造', weight: 5, vatRate: 13, invoicesPerMonth: 3,
    medianMonthlySalesYuan: 600_000, season: manufacturing, kwhPer10kYuan: 520, baseKwh: 2_000,
    waterM3Per10kYuan: 3, baseWaterM3: 40, waterShare: 0.75, inputShare: 0.78, salesPerHeadYuan: 650_000, margin: 0.06,
  },
  {
    code: 'C1810', name: '机织服装制造', words: ['服饰', '服装', '制衣'], shopWords: ['服装店'],
    scope: '服装制造；服装服饰批发；针纺织品销售', weight: 5, vatRate: 13, invoicesPerMonth: 3,
    medianMonthlySalesYuan: 500_000, season: apparel, kwhPer10kYuan: 160, baseKwh: 1_200,
    waterM3Per10kYuan: 2, baseWaterM3: 40, waterShare: 0.7, inputShare: 0.72, salesPerHeadYuan: 350_000, margin: 0.07,
  },
  {
    code: 'C2231', name: '纸和纸板容器制造', words: ['包装材料', '包装', '纸业'], shopWords: ['纸箱厂'],
    scope: '纸制品制造；包装材料及制品销售；包装服务', weight: 4, vatRate: 13, invoicesPerMonth: 4,
    medianMonthlySalesYuan: 500_000, season: manufacturing, kwhPer10kYuan: 300, baseKwh: 1_500,
    waterM3Per10kYuan: 5, baseWaterM3: 50, waterShare: 0.8, inputShare: 0.8, salesPerHeadYuan: 600_000, margin: 0.06,
  },
  {
    code: 'C1431', name: '糕点、面包制造', words: ['食品', '食品科技'], shopWords: ['糕点店'],
    scope: '食品生产；食品销售；糕点、面包制造', weight: 3, vatRate: 13, invoicesPerMonth: 5,
    medianMonthlySalesYuan: 350_000, season: food, kwhPer10kYuan: 250, baseKwh: 2_000,
    waterM3Per10kYuan: 12, baseWaterM3: 120, waterShare: 0.95, inputShare: 0.7, salesPerHeadYuan: 400_000, margin: 0.08,
  },
  {
    code: 'F5191', name: '互联网批发', words: ['电子商务', '网络科技', '电商'], shopWords: ['网店'],
    scope: '互联网销售（除销售需要许可的商品）；日用百货销售；电子产品销售', weight: 5, vatRate: 13, invoicesPerMonth: 6,
    medianMonthlySalesYuan: 400_000, season: retail, kwhPer10kYuan: 12, baseKwh: 600,
    waterM3Per10kYuan: 0.3, baseWaterM3: 10, waterShare: 0.3, inputShare: 0.88, salesPerHeadYuan: 1_200_000, margin: 0.04,
  },
  {
    code: 'F5174', name: '五金产品批发', words: ['五金', '五金机电', '贸易'], shopWords: ['五金店', '五金经营部'],
    scope: '五金产品批发；五金产品零售；建筑材料销售', weight: 7, vatRate: 13, invoicesPerMonth: 5,
    medianMonthlySalesYuan: 600_000, season: wholesale, kwhPer10kYuan: 10, baseKwh: 500,
    waterM3Per10kYuan: 0.3, baseWaterM3: 10, waterShare: 0.4, inputShare: 0.9, salesPerHeadYuan: 1_500_000, margin: 0.04,
  },
  {
    code: 'F5165', name: '建材批发', words: ['建材', '建筑材料', '新材料'], shopWords: ['建材经营部', '建材商行'],
    scope: '建筑材料销售；建筑装饰材料销售；水泥制品销售', weight: 5, vatRate: 13, invoicesPerMonth: 4,
    medianMonthlySalesYuan: 800_000, season: construction, kwhPer10kYuan: 8, baseKwh: 500,
    waterM3Per10kYuan: 0.3, baseWaterM3: 10, waterShare: 0.4, inputShare: 0.9, salesPerHeadYuan: 1_800_000, margin: 0.035,
  },
  {
    code: 'F5212', name: '超级市场零售', words: ['商贸', '超市', '便利店'], shopWords: ['便利店', '超市'],
    scope: '食品销售；日用百货销售；烟草制品零售', weight: 4, vatRate: 13, invoicesPerMonth: 7,
    medianMonthlySalesYuan: 250_000, season: retail, kwhPer10kYuan: 60, baseKwh: 2_500,
    waterM3Per10kYuan: 1, baseWaterM3: 30, waterShare: 0.6, inputShare: 0.85, salesPerHeadYuan: 500_000, margin: 0.03,
  },
  {
    code: 'I6510', name: '软件开发', words: ['软件科技', '信息技术', '软件'], shopWords: ['电脑工作室'],
    scope: '软件开发；信息技术咨询服务；信息系统集成服务', weight: 6, vatRate: 6, invoicesPerMonth: 2,
    medianMonthlySalesYuan: 350_000, season: flat, kwhPer10kYuan: 20, baseKwh: 1_200,
    waterM3Per10kYuan: 0.3, baseWaterM3: 15, waterShare: 0.3, inputShare: 0.35, salesPerHeadYuan: 450_000, margin: 0.12,
  },
  {
    code: 'E4790', name: '其他房屋建筑业', words: ['建筑工程', '建设工程', '建设'], shopWords: ['装修工作室'],
    scope: '建设工程施工；房屋建筑和市政基础设施项目工程总承包；建筑劳务分包', weight: 5, vatRate: 9, invoicesPerMonth: 1.3,
    medianMonthlySalesYuan: 1_500_000, season: construction, kwhPer10kYuan: 15, baseKwh: 800,
    waterM3Per10kYuan: 1, baseWaterM3: 20, waterShare: 0.4, inputShare: 0.7, salesPerHeadYuan: 1_000_000, margin: 0.05,
  },
  {
    code: 'E4910', name: '电气安装', words: ['机电安装', '机电工程', '电气工程'], shopWords: ['水电安装部'],
    scope: '电气安装服务；建设工程施工；机电设备安装', weight: 3, vatRate: 9, invoicesPerMonth: 1.8,
    medianMonthlySalesYuan: 600_000, season: construction, kwhPer10kYuan: 20, baseKwh: 600,
    waterM3Per10kYuan: 0.5, baseWaterM3: 10, waterShare: 0.35, inputShare: 0.65, salesPerHeadYuan: 600_000, margin: 0.07,
  },
  {
    code: 'G5430', name: '道路货物运输', words: ['物流', '供应链管理', '运输'], shopWords: ['货运部'],
    scope: '道路货物运输（不含危险货物）；国内货物运输代理；普通货物仓储服务', weight: 5, vatRate: 9, invoicesPerMonth: 5,
    medianMonthlySalesYuan: 500_000, season: wholesale, kwhPer10kYuan: 25, baseKwh: 1_000,
    waterM3Per10kYuan: 0.5, baseWaterM3: 15, waterShare: 0.4, inputShare: 0.7, salesPerHeadYuan: 500_000, margin: 0.05,
  },
  {
    code: 'H6210', name: '正餐服务', words: ['餐饮管理', '餐饮'], shopWords: ['饭店', '餐馆'],
    scope: '餐饮服务；食品销售；餐饮管理', weight: 4, vatRate: 6, invoicesPerMonth: 7,
    medianMonthlySalesYuan: 200_000, season: catering, kwhPer10kYuan: 180, baseKwh: 2_500,
    waterM3Per10kYuan: 25, baseWaterM3: 150, waterShare: 0.95, inputShare: 0.45, salesPerHeadYuan: 250_000, margin: 0.06,
  },
  {
    code: 'L7259', name: '其他广告服务', words: ['广告传媒', '文化传媒', '品牌策划'], shopWords: ['广告部'],
    scope: '广告设计、代理；广告制作；会议及展览服务', weight: 3, vatRate: 6, invoicesPerMonth: 2,
    medianMonthlySalesYuan: 250_000, season: flat, kwhPer10kYuan: 15, baseKwh: 800,
    waterM3Per10kYuan: 0.3, baseWaterM3: 10, waterShare: 0.25, inputShare: 0.5, salesPerHeadYuan: 500_000, margin: 0.1,
  },
  {
    code: 'M7517', name: '节能技术推广服务', words: ['节能科技', '环保科技', '新能源科技'], shopWords: ['节能设备经营部'],
    scope: '节能管理服务；技术服务、技术开发、技术咨询；环保咨询服务', weight: 3, vatRate: 6, invoicesPerMonth: 1.8,
    medianMonthlySalesYuan: 400_000, season: flat, kwhPer10kYuan: 30, baseKwh: 800,
    waterM3Per10kYuan: 0.5, baseWaterM3: 10, waterShare: 0.3, inputShare: 0.55, salesPerHeadYuan: 600_000, margin: 0.1,
  },
];

/** Characters of two-character brand words (恒瑞, 鑫泰, ...). */
export const BRAND_CHARACTERS = [
  '恒', '瑞', '华', '盛', '鑫', '泰', '宏', '达', '丰', '源', '博', '创', '嘉', '诚', '信', '德', '润', '通',
  '汇', '鼎', '凯', '晟', '昌', '隆', '兴', '旺', '东', '方', '远', '航', '明', '辉', '新', '科', '顺', '安',
  '永', '益', '和', '祥', '金', '银', '宝', '正', '元', '天', '海', '峰', '中', '立', '佳', '优', '锦', '程',
  '志', '誉', '腾', '飞', '利', '亿', '合', '力', '品', '智', '汉', '骏', '豪', '启', '星', '光',
] as const;

export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林',
  '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于',
  '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆',
  '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '方', '顾', '钱', '严', '戴', '邵', '孟', '秦', '尹', '薛', '葛',
];
/** Rough frequencies of the surnames above (the first ones are the most common). */
export const SURNAME_WEIGHTS: readonly number[] = SURNAMES.map((_, i) => 1 / (i + 4));

export const GIVEN_MALE = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '宇',
  '浩', '建', '国', '峰', '林', '俊', '志', '晨', '凯', '文', '海', '东', '亮', '庆', '春', '小', '卫', '新', '荣',
] as const;
export const GIVEN_FEMALE = [
  '芳', '娟', '敏', '静', '丽', '艳', '霞', '婷', '玲', '燕', '娜', '红', '梅', '琳', '雪', '慧', '莉', '倩', '颖',
  '佳', '欣', '月', '萍', '洁', '云', '琴', '晓', '秀', '英', '兰', '华', '小', '丹', '蓉',
] as const;

export const ROADS = [
  '长江路', '珠江路', '运河路', '太湖大道', '人民路', '建设路', '工业园路', '科技路', '创业路', '兴业路',
  '金山路', '滨河路', '东环路', '中山路', '解放路', '新华路', '星湖街', '金鸡湖大道', '竹园路', '玉山路',
] as const;

/** The four legal causes of an abnormal-operations listing (经营异常名录). */
export const ABNORMAL_REASONS = {
  noAnnualReport: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的',
  noDisclosure: '未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息的',
  falseDisclosure: '公示企业信息隐瞒真实情况、弄虚作假的',
  unreachable: '通过登记的住所或者经营场所无法联系的',
} as const;

export const ABNORMAL_REMOVALS = {
  noAnnualReport: '补报未报年份的年度报告并公示，申请移出经营异常名录',
  noDisclosure: '履行公示义务后，申请移出经营异常名录',
  falseDisclosure: '更正其公示的信息后，申请移出经营异常名录',
  unreachable: '依法办理住所或者经营场所变更登记，或者提出通过登记的住所或者经营场所可以重新取得联系，申请移出经营异常名录',
} as const;

/**
 * Causes of civil suits against a distressed SME: relative weight, claim size in months of
 * sales, whether a bank sues, and how often the legal representative guaranteed the debt (and
 * so is enforced against in person).
 */
export const DEFENDANT_CAUSES: readonly {
  cause: string;
  weight: number;
  monthsOfSales: [number, number];
  bank: boolean;
  guaranteedByRepresentative: number;
}[] = [
  { cause: '买卖合同纠纷', weight: 10, monthsOfSales: [0.2, 1.5], bank: false, guaranteedByRepresentative: 0.15 },
  { cause: '金融借款合同纠纷', weight: 6, monthsOfSales: [1, 4], bank: true, guaranteedByRepresentative: 0.75 },
  { cause: '劳动争议', weight: 4, monthsOfSales: [0.02, 0.15], bank: false, guaranteedByRepresentative: 0 },
  { cause: '民间借贷纠纷', weight: 3, monthsOfSales: [0.3, 2], bank: false, guaranteedByRepresentative: 0.6 },
  { cause: '租赁合同纠纷', weight: 3, monthsOfSales: [0.05, 0.4], bank: false, guaranteedByRepresentative: 0.1 },
  { cause: '承揽合同纠纷', weight: 3, monthsOfSales: [0.2, 1], bank: false, guaranteedByRepresentative: 0.1 },
  { cause: '追偿权纠纷', weight: 2, monthsOfSales: [0.8, 3], bank: true, guaranteedByRepresentative: 0.7 },
];

export const PLAINTIFF_CAUSES: readonly string[] = ['买卖合同纠纷', '承揽合同纠纷', '服务合同纠纷', '建设工程施工合同纠纷'];

export const BANKS = ['中国银行', '中国工商银行', '中国建设银行', '中国农业银行', '江苏银行', '苏州银行', '交通银行', '招商银行'] as const;
