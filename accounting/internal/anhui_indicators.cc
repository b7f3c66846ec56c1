// The table of seed 000 附件3 (评价指标体系) and 附件1 (准入标准), transcribed.
#include "accounting/internal/anhui_indicators.h"

#include <array>

namespace carbonledger::accounting {
namespace {

constexpr int kNone[] = {0};
constexpr int k0135[] = {0, 1, 3, 5};
constexpr int k02345[] = {0, 2, 3, 4, 5};
constexpr int k02467[] = {0, 2, 4, 6, 7};
constexpr int k024[] = {0, 2, 4};
constexpr int k0123[] = {0, 1, 2, 3};
constexpr int k0124[] = {0, 1, 2, 4};
constexpr int k012[] = {0, 1, 2};
constexpr int k03[] = {0, 3};
constexpr int k04[] = {0, 4};
constexpr int k023[] = {0, 2, 3};
constexpr int k05[] = {0, 5};

constexpr std::array<GroupDef, 7> kGroups{{
    {"emission_control", "排放控制", "emission control", 30},
    {"energy_structure", "能源结构", "energy structure", 20},
    {"pollution_and_carbon", "减污降碳", "pollution and carbon reduction", 15},
    {"transport", "零碳交通物流", "zero-carbon transport and logistics", 11},
    {"buildings", "零碳建筑", "zero-carbon buildings", 10},
    {"sinks", "碳汇提升", "carbon sinks", 4},
    {"management", "零碳管理", "zero-carbon management", 10},
}};

constexpr std::array<IndicatorDef, 22> kIndicators{{
    {"co2_per_industrial_value_added", "emission_control", "单位工业增加值二氧化碳排放",
     "CO2 per unit of industrial value added", 20, true, kNone,
     "0.25吨/万元及以下20分；0.25-0.45吨/万元15分；0.45-0.85吨/万元10分；0.85-1.5吨/万元5分；3.5吨/"
     "万元及以上0分"},
    {"total_co2_change", "emission_control", "二氧化碳排放总量", "total CO2 emissions", 10, true,
     kNone, "削减5%以内或无增长5分；削减5%以上或无排放10分"},
    {"green_power_share", "energy_structure", "园区绿色电力使用占比（绿电及绿证消纳）",
     "green-power share (green power and certificates)", 10, true, kNone,
     "占比达到50%得5分；达到80%得7分；达到100%得10分"},
    {"coal_consumption_total", "energy_structure", "煤炭消费总量", "total coal consumption", 5,
     true, kNone, "削减5%以内2.5分；削减5%以上或消费为零5分"},
    {"renewable_energy_share", "energy_structure", "可再生能源使用占比", "renewable energy share",
     5, true, kNone, "50%-70%得3分；70%以上得5分"},
    {"industrial_water_reuse", "pollution_and_carbon", "工业用水重复利用率",
     "industrial water reuse rate", 5, false, k0135,
     "达到75%得1分；达到85%得3分；达到95%及以上得5分"},
    {"waste_heat_utilisation", "pollution_and_carbon", "余热/余冷/余压利用率",
     "waste heat, cold and pressure utilisation rate", 5, false, k0135,
     "达到20%得1分；达到30%得3分；达到40%及以上得5分"},
    {"solid_waste_utilisation", "pollution_and_carbon", "工业固体废弃物综合利用率",
     "industrial solid waste utilisation rate", 5, false, k02345,
     "达到60%得2分；达到75%得3分；达到85%及以上得4分；达到95%及以上得5分"},
    {"nev_transport_share", "transport", "新能源交通物流运输工具比例",
     "new-energy transport and logistics vehicle share", 7, false, k02467,
     "达到40%得2分；达到50%得4分；达到60%得6分；达到60%以上得7分"},
    {"nev_infrastructure_coverage", "transport", "新能源交通基础设施覆盖率",
     "new-energy transport infrastructure coverage", 4, false, k024, "达到15%得2分；达到30%得4分"},
    {"green_building_share", "buildings", "新建建筑中绿色建筑（二星及以上）的面积占比",
     "green buildings (two stars or more) in new floor area", 3, false, k0123,
     "达到30%得1分；达到40%得2分；达到50%得3分"},
    {"near_zero_energy_buildings", "buildings", "新建建筑中近零能耗建筑的比例（或面积）",
     "near-zero-energy buildings in new buildings (share or area)", 3, false, k0123,
     "达到10%（或3000平方米）得1分；达到20%（或10000平方米）得2分；达到30%（或20000平方米）得3分"},
    {"existing_building_savings", "buildings", "现有建筑节能率",
     "energy saving rate of existing buildings", 4, false, k0124,
     "达到5%得1分；达到10%得2分；达到20%得4分"},
    {"negative_carbon_technology", "sinks", "负碳技术使用", "negative-carbon technologies used", 4,
     false, k024, "每使用一项负碳技术得2分，合计最高4分"},
    {"carbon_management_platform", "management", "碳排放管理平台建立", "carbon management platform",
     2, false, k012, "基本建立1分；建立健全2分"},
    {"carbon_accounting_system", "management", "碳排放统计核算体系建立",
     "carbon statistics and accounting system", 2, false, k012, "基本建立1分；建立健全2分"},
    {"ghg_inventory_enterprises", "management", "完成温室气体碳盘查企业比例",
     "share of enterprises with a GHG inventory", 3, false, k03, "达到100%得3分，否则不得分"},
    {"carbon_footprint_enterprises", "management", "已开展碳足迹核算认证的企业比例",
     "share of enterprises with certified carbon footprints", 3, false, k0123,
     "10-30%得1分；30-50%得2分；50%及以上得3分"},
    {"pv_storage_charging", "bonus", "光储充或光储直柔场景应用",
     "PV-storage-charging or PEDF applications", 4, false, k04, "应用的园区得分，否则无此项加分"},
    {"low_carbon_rnd", "bonus", "低碳技术研发", "low-carbon technology R&D", 3, false, k03,
     "研发技术入选国家或安徽省节能低碳相关技术目录"},
    {"carbon_neutral_enterprise", "bonus", "碳中和企业", "carbon-neutral enterprises", 3, false,
     k023,
     "至少1户规上企业实现碳中和得2分；至少1户实现碳中和的规上企业使用安徽省碳普惠减排量进行抵消的再"
     "得1分"},
    {"data_quality_problems", "penalty", "能耗数据或碳排放数据质量问题",
     "energy or emission data quality problems", 5, false, k05,
     "园区企业上报的能耗数据或碳排放数据存在严重质量问题"},
}};

constexpr std::array<CriterionDef, 21> kCriteria{{
    {"national_policy_compliance", "附件1 1.1", "符合国家相关发展政策及法律法规",
     "complies with national policy, laws and regulations", CriterionKind::kFlag, 0},
    {"zero_carbon_plan", "附件1 1.2", "制定零碳发展策略和实施方案",
     "zero-carbon strategy and implementation plan", CriterionKind::kFlag, 0},
    {"carbon_organisation", "附件1 1.3", "建立组织机构、碳减排工作体系和碳排放管理统计制度",
     "organisation, reduction work system and carbon statistics", CriterionKind::kFlag, 0},
    {"no_major_incidents", "附件1 1.4", "未发生重大及以上安全、质量事故和突发环境事件",
     "no major safety, quality or environmental incidents", CriterionKind::kFlag, 0},
    {"whole_park_accounting", "附件1 1.5", "碳排放核算与报告范围包含整个园区运营层面",
     "accounting covers the whole park's operations", CriterionKind::kFlag, 0},
    {"coal_decline", "附件1 2.1", "煤炭消费总量同期下降3%及以上",
     "coal consumption falls by 3 % or more a year", CriterionKind::kComputed, 0},
    {"renewable_electricity_share", "附件1 2.1", "可再生能源电量比例达到40%及以上",
     "renewable electricity share 40 % or more", CriterionKind::kComputed, 0},
    {"waste_heat_recovery_rate", "附件1 2.1", "余热余能回收率达到10%及以上",
     "waste heat and energy recovery rate 10 % or more", CriterionKind::kRate, 10},
    {"nev_transport_share", "附件1 2.2", "新能源交通物流运输工具比例达到30%及以上",
     "new-energy transport vehicle share 30 % or more", CriterionKind::kRate, 30},
    {"nev_infrastructure_coverage", "附件1 2.2", "新能源交通基础设施覆盖率达到10%及以上",
     "new-energy transport infrastructure coverage 10 % or more", CriterionKind::kRate, 10},
    {"grade1_energy_efficiency", "附件1 2.4", "高耗能等重点企业用能设备能效达到国家标准1级",
     "key energy-intensive enterprises' equipment at efficiency grade 1", CriterionKind::kFlag, 0},
    {"key_polluter_compliance_rate", "附件1 2.5", "重点污染源稳定达标排放率达到100%",
     "key pollution sources steadily compliant: 100 %", CriterionKind::kRate, 100},
    {"public_bicycles_and_chargers", "附件1 2.6", "设置公共自行车服务系统及充电桩",
     "public bicycle system and charging posts", CriterionKind::kFlag, 0},
    {"green_lighting_share", "附件1 2.6", "公共设施、道路绿色照明比例达到90%及以上",
     "green lighting of public facilities and roads 90 % or more", CriterionKind::kRate, 90},
    {"green_coverage_rate", "附件1 2.6", "绿化覆盖率达到15%及以上", "green coverage 15 % or more",
     CriterionKind::kRate, 15},
    {"management_system_certified", "附件1 2.7", "管理机构通过ISO14000或ISO9001认证",
     "park management certified to ISO 14000 or ISO 9001", CriterionKind::kFlag, 0},
    {"green_information_platform", "附件1 2.7", "建立绿色低碳、节能环保信息平台并定期发布信息",
     "green and low-carbon information platform", CriterionKind::kFlag, 0},
    {"ghg_inventory_enterprise_share", "附件1 2.7", "每年完成温室气体盘查的企业比例达到100%",
     "enterprises completing a GHG inventory each year: 100 %", CriterionKind::kRate, 100},
    {"quota_obligations_met", "附件1 2.8", "控排企业履行碳配额清缴规定",
     "ETS-covered enterprises surrender their allowances", CriterionKind::kFlag, 0},
    {"environmental_disclosure_rate", "附件1 2.8", "重点企业环境信息依法披露率达到100%",
     "key enterprises' environmental disclosure: 100 %", CriterionKind::kRate, 100},
    {"clean_production_audit_rate", "附件1 2.8", "重点企业清洁生产审核实施率达到100%",
     "key enterprises' cleaner-production audits: 100 %", CriterionKind::kRate, 100},
}};

}  // namespace

std::span<const IndicatorDef> AnhuiIndicators() { return kIndicators; }
std::span<const GroupDef> AnhuiGroups() { return kGroups; }
std::span<const CriterionDef> AnhuiEntryCriteria() { return kCriteria; }

const IndicatorDef* FindAnhuiIndicator(std::string_view id) {
  for (const IndicatorDef& d : kIndicators) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

const CriterionDef* FindAnhuiCriterion(std::string_view id) {
  for (const CriterionDef& d : kCriteria) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

}  // namespace carbonledger::accounting
