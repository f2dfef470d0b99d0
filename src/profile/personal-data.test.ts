import fc from 'fast-check';
import { maskPersonalData, maskText, maskIdNumbersForKeeping } from './personal-data.js';
import { residentIdCheckCharacter } from './resident-id.js';

const none = { names: new Set<string>(), idNumbers: new Set<string>() };
const ID = `11010519491231002${residentIdCheckCharacter('11010519491231002')}`;

describe('personal data in upstream payloads', () => {
  it('masks names under the manifest\'s keys and under keys that only look like them, but not the names of things', () => {
    const payload = { Name: '张伟', PersonName: '李娜', OperName: '王芳', EntName: '苏州恒达贸易有限公司', ProjectName: '法定代表人变更', Result: [{ StockName: '赵磊', StockPercent: '40%' }] };
    expect(maskPersonalData(payload, { names: new Set(['Name']), idNumbers: new Set() })).toEqual({
      Name: '张*',
      PersonName: '李*',
      OperName: '王*',
      EntName: '苏州恒达贸易有限公司',
      ProjectName: '法定代表人变更',
      Result: [{ StockName: '赵*', StockPercent: '40%' }],
    });
  });

  it('masks names in free text: after a role word, in a change, alone or listed, and wherever a known name appears', () => {
    expect(maskText('法定代表人由张三变更为李四')).toBe('法定代表人由张*变更为李*');
    expect(maskText('股东：王小明，出资50万元')).toBe('股东：王**，出资50万元');
    expect(maskText('张伟、李娜')).toBe('张*、李*');
    expect(maskText('刘强')).toBe('刘*');
    expect(maskText('原告刘强诉被告陈静与本院')).toBe('原告刘*诉被告陈*与本院');
    // Where nothing shows where a name ends, a character too many is masked rather than one too few.
    expect(maskText('被告陈静买卖合同纠纷')).toBe('被告陈**卖合同纠纷');
    expect(maskText('经办：Ms 欧阳明月', ['欧阳明月'])).toBe('经办：Ms 欧***');
    // A name found under a name key is masked wherever else it appears in the payload.
    expect(maskPersonalData({ PersonName: '周杰', BeforeContent: '周杰（执行董事）' }, none)).toEqual({ PersonName: '周*', BeforeContent: '周*（执行董事）' });
  });

  it('masks resident ID numbers (checked) and mobile numbers anywhere, and leaves USCCs and other numbers alone', () => {
    expect(maskText(`身份证 ${ID} 电话13812345678`)).toBe(`身份证 ${'*'.repeat(18)} 电话138****5678`);
    expect(maskText('110105********002X')).toBe('*'.repeat(18));
    expect(maskText('913205050000000015 发票号码 12345678901234567890')).toBe('913205050000000015 发票号码 12345678901234567890');
    expect(maskPersonalData({ zjhm: 'anything', sfzh: 123, Addr: '江苏省苏州市工业园区星湖街328号' }, none)).toEqual({ zjhm: '********', sfzh: '***', Addr: '江苏省苏州市***********' });
    expect(maskIdNumbersForKeeping({ drifted: { IdCard: ID }, note: `证件${ID}` })).toEqual({ drifted: { IdCard: '110105********002X' }, note: '证件110105********002X' });
  });

  it('never lets a generated name or ID number through, whatever template it sits in', () => {
    const surname = fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑');
    const given = fc.array(fc.constantFrom(...'伟强磊军勇杰涛芳娟敏静丽艳霞婷'), { minLength: 1, maxLength: 2 }).map((chars) => chars.join(''));
    const name = fc.tuple(surname, given).map(([s, g]) => s + g);
    const idNumber = fc
      .tuple(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date('1950-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
      .map(([area, birth, sequence]) => {
        const first17 = `${area}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
        return first17 + residentIdCheckCharacter(first17);
      });
    const template = fc.constantFrom(
      (n: string, id: string) => ({ PersonName: n, IdCard: id }),
      (n: string, id: string) => ({ Content: `法定代表人：${n}，证件号码${id}` }),
      (n: string, id: string) => ({ BeforeContent: n, AfterContent: `${n}、王芳`, Ref: id }),
      (n: string, id: string) => ({ dsr: [{ mc: n, zjhm: id }] }),
      (n: string, id: string) => ({ Legal: n, Note: `由${n}变更为孙丽 ${id}` }),
    );
    fc.assert(
      fc.property(name, idNumber, template, (person, id, build) => {
        const shown = JSON.stringify(maskPersonalData(build(person, id), none));
        return !shown.includes(person) && !shown.includes(id);
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });
});
